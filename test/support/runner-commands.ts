/**
 * The Actions runner's reading of a step's stdout, ported from actions/runner (src/Runner.Common/
 * ActionCommand.cs: TryParseV2 for `::name props::data`, TryParse for the legacy `##[name props]data`;
 * src/Runner.Worker/ActionCommandManager.cs: the stop-commands state). Tests parse whole action logs with
 * it to prove that no workflow command appears that the tool did not emit.
 */

/** The commands the runner registers (ActionCommandManager's extensions, plus stop-commands). */
export const REGISTERED_COMMANDS = [
  'internal-set-repo-path',
  'set-env',
  'set-output',
  'save-state',
  'add-mask',
  'add-path',
  'add-matcher',
  'remove-matcher',
  'debug',
  'warning',
  'error',
  'notice',
  'group',
  'endgroup',
  'echo',
  'stop-commands',
] as const;

export interface RunnerCommand {
  grammar: 'v2' | 'legacy';
  name: string;
  data: string;
  line: string;
}

/** .NET's char.IsWhiteSpace, which TrimStart() uses. */
const DOTNET_SPACE = /^[\s\u0085]+/;

function parseV2(line: string, registered: Set<string>): RunnerCommand | null {
  const message = line.replace(DOTNET_SPACE, '');
  if (!message.startsWith('::')) return null;
  const end = message.indexOf('::', 2);
  if (end < 0) return null;
  const info = message.slice(2, end);
  const space = info.indexOf(' ');
  const name = space < 0 ? info : info.slice(0, space);
  if (!registered.has(name)) return null;
  return { grammar: 'v2', name, data: message.slice(end + 2), line };
}

function parseLegacy(line: string, registered: Set<string>): RunnerCommand | null {
  const prefix = line.indexOf('##[');
  if (prefix < 0) return null;
  const rb = line.indexOf(']', prefix);
  if (rb < 0) return null;
  const info = line.slice(prefix + 3, rb);
  const space = info.indexOf(' ');
  const name = space < 0 ? info : info.slice(0, space);
  if (!registered.has(name)) return null;
  return { grammar: 'legacy', name, data: line.slice(rb + 1), line };
}

/**
 * Every command the runner would process in `stdout`, in order, as TryProcessCommand does: V2 first, then
 * legacy; while stopped, only the resume token counts (and is reported as `resume`).
 */
export function runnerCommands(stdout: string): RunnerCommand[] {
  const registered = new Set<string>(REGISTERED_COMMANDS);
  const found: RunnerCommand[] = [];
  let stopToken: string | null = null;
  // StreamReader.ReadLine: \r, \n and \r\n end a line.
  for (const line of stdout.split(/\r\n|\r|\n/)) {
    const command = parseV2(line, registered) ?? parseLegacy(line, registered);
    if (!command) continue;
    if (stopToken !== null) {
      if (command.name.toLowerCase() === stopToken.toLowerCase()) {
        registered.delete(stopToken);
        stopToken = null;
        found.push({ ...command, name: 'resume' });
      }
      continue;
    }
    if (command.name === 'stop-commands') {
      stopToken = command.data;
      registered.add(stopToken);
    }
    found.push(command);
  }
  return found;
}
