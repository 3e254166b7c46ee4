import { type CommandLoader, dispatch } from './dispatch.js';
import { type CliIO, processIO } from './io.js';

export type { Command, CommandLoader } from './dispatch.js';

// Each command is loaded on demand so that `handover validate` never loads the HTTP clients. A new
// command is one description in usage.ts and one line here.
const commands: Readonly<Record<string, CommandLoader>> = {
  validate: async () => (await import('./commands/validate.js')).validateCommand,
  init: async () => (await import('./commands/init.js')).initCommand,
  plan: async () => (await import('./commands/plan.js')).planCommand,
  apply: async () => (await import('./commands/apply.js')).applyCommand,
  prepare: async () => (await import('./commands/prepare.js')).prepareCommand,
  sandbox: async () => (await import('./commands/sandbox.js')).sandboxCommand,
  setup: async () => (await import('./commands/setup.js')).setupCommand,
  doctor: async () => (await import('./commands/doctor.js')).doctorCommand,
  demo: async () => (await import('./commands/demo.js')).demoCommand,
};

export function main(argv: string[], io: CliIO = processIO()): Promise<number> {
  return dispatch(argv, io, commands);
}
