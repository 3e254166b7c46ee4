import { parseArgs } from 'node:util';
import { runDemo } from '../../demo/run.js';
import { type CliIO, EXIT, UsageError } from '../io.js';

const HELP = `usage: handover demo [--dir PATH] [--keep]

Runs a whole on-call handover, alice → bob, against a sandbox started in this process (nothing leaves
127.0.0.1): init, validate, a pull request in the sandbox's GitHub, plan, bob's approval, merge, apply,
and a second apply that repeats nothing. Takes a few seconds.

options:
  --dir PATH   work in PATH (created if missing; must be empty) instead of a fresh temporary folder
  --keep       keep the folder afterwards (the default: the manifest, journals, summary and sandbox
               state stay there for you to read)
  -h, --help   show this help

exit: 0 the demo ran as expected, 1 a step did not, 2 a usage mistake
`;

/** `handover demo`: see src/demo/run.ts. */
export async function demoCommand(argv: string[], io: CliIO): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    options: {
      dir: { type: 'string' },
      keep: { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    },
    allowPositionals: true,
    strict: true,
  });
  if (values.help) {
    io.stdout(HELP);
    return EXIT.ok;
  }
  if (positionals.length > 0)
    throw new UsageError(`demo takes no arguments (got '${positionals.join(' ')}')`);
  if (values.dir === '') throw new UsageError('--dir needs a folder');
  return runDemo(values.dir === undefined ? {} : { dir: values.dir }, io);
}
