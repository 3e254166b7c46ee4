import { execFileSync } from 'node:child_process';

/** Builds lib/ (the CLI) so that tests which spawn `bin/handover.js` run the current source. */
export default function setup(): void {
  execFileSync(process.execPath, ['scripts/build.mjs', '--cli-only'], { stdio: 'inherit' });
}
