import type * as actionsCore from '@actions/core';

/**
 * The part of @actions/core the action uses. Modules take it as a parameter so that unit tests can pass a
 * small recording fixture; the entry point passes the real module.
 */
export type ActionsToolkit = Pick<
  typeof actionsCore,
  | 'getInput'
  | 'setSecret'
  | 'setOutput'
  | 'setFailed'
  | 'info'
  | 'notice'
  | 'warning'
  | 'error'
  | 'startGroup'
  | 'endGroup'
  | 'summary'
>;
