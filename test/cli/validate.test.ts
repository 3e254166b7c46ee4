import { spawnSync } from 'node:child_process';
import {
  cpSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { renderAnnotations, sourceExcerpt } from '../../src/cli/report/diagnostics.js';
import type { Diagnostic } from '../../src/diagnostics.js';
import { CONFIG_TEXT, BASE as PAST_BASE, withLine as withPastLine } from '../manifest/fixtures.js';

// The command judges windows against the real clock (a warning when one is over): these manifests
// are dated in the future, except where a test wants that warning.
const future = (text: string) => text.replaceAll('2026-11-26T', '2099-11-26T');
const BASE = future(PAST_BASE);
const withLine = (line: number, text: string) => future(withPastLine(line, text));

const root = join(import.meta.dirname, '../..');
const BIN = join(root, 'bin/handover.js');
const MANIFEST = 'handovers/2026-11-26-alice-to-bob.yaml';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'handover-validate-'));
  writeFileSync(join(dir, 'handover.config.yaml'), CONFIG_TEXT);
  mkdirSync(join(dir, 'handovers'));
});
afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
});

function write(path: string, content: string): void {
  mkdirSync(join(dir, path, '..'), { recursive: true });
  writeFileSync(join(dir, path), content);
}

/** Runs the installed command in the temporary repository, with a clean environment. */
function validate(args: string[], env: Record<string, string> = {}) {
  const result = spawnSync(process.execPath, [BIN, 'validate', ...args], {
    cwd: dir,
    env: { PATH: process.env.PATH ?? '', ...env },
    encoding: 'utf8',
    timeout: 60_000,
  });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

describe('handover validate', () => {
  it('passes a repository of valid manifests: exit 0', () => {
    cpSync(join(root, 'handovers'), join(dir, 'handovers'), { recursive: true });
    write(MANIFEST, BASE);
    const { code, stdout, stderr } = validate([]);
    expect(stderr).toBe('');
    expect(stdout).toBe('6 manifests and the config checked: no problems\n');
    expect(code).toBe(0);
  });

  it('refuses a manifest that is a symbolic link, or a link to a folder, in a folder scan and by name: exit 2', () => {
    write(MANIFEST, BASE);
    cpSync(join(dir, MANIFEST), join(dir, 'elsewhere.yaml'));
    symlinkSync('../elsewhere.yaml', join(dir, 'handovers/linked.yaml'));
    symlinkSync('../elsewhere', join(dir, 'handovers/folder-link'));
    for (const args of [[], ['handovers/linked.yaml']]) {
      const { code, stderr } = validate(args);
      expect(stderr, args.join(' ')).toContain('linked.yaml: it is a symbolic link');
      expect(code).toBe(2);
    }
    expect(validate([]).stderr).toContain('folder-link: it is a symbolic link');
  });

  it('prints findings like a compiler, with the source line and a caret: exit 1', () => {
    write(MANIFEST, withLine(16, '      lastActon: Raised pool size from 50 to 80.'));
    const { code, stdout } = validate([]);
    expect(stdout).toBe(
      [
        `${MANIFEST}:16:7: error [schema.unknown-key] unknown key \`lastActon\` in \`incidents[0].status\`: did you mean \`lastAction\`?`,
        '  16 |       lastActon: Raised pool size from 50 to 80.',
        '     |       ^',
        '1 manifest and the config checked: 1 error',
        '',
      ].join('\n'),
    );
    expect(code).toBe(1);
  });

  it('prints exactly one JSON array of {file, line, column, severity, rule, message}', () => {
    write(MANIFEST, withLine(20, '    disposition: TODO'));
    write('handover.config.yaml', CONFIG_TEXT.replace('slack:', 'slak:'));
    const { code, stdout, stderr } = validate(['--format', 'json']);
    expect(stderr).toBe(
      'handover validate: the config has errors, so roster handles in manifests were not checked\n',
    );
    const parsed = JSON.parse(stdout) as Diagnostic[];
    expect(parsed).toEqual(
      [
        {
          file: 'handover.config.yaml',
          line: 4,
          column: 1,
          severity: 'error',
          rule: 'schema.unknown-key',
          message: 'unknown key `slak` in the config: did you mean `slack`?',
        },
        {
          file: 'handover.config.yaml',
          line: 1,
          column: 1,
          severity: 'error',
          rule: 'schema.required',
          message: expect.stringContaining('missing `slack`'),
        },
        {
          file: MANIFEST,
          line: 20,
          column: 18,
          severity: 'error',
          rule: 'schema.enum',
          message:
            '`tickets[0].disposition` must be one of `waiting_on_customer`, `waiting_on_engineering`, `active` (found `TODO`)',
        },
      ].sort((a, b) => (a.file === b.file ? a.line - b.line : a.file < b.file ? -1 : 1)),
    );
    expect(code).toBe(1);
  });

  it('prints a Markdown table with escaped cells', () => {
    write(MANIFEST, withLine(13, '    title: 1'));
    const { code, stdout } = validate(['--format', 'markdown']);
    expect(stdout).toContain('| File | Line | Column | Severity | Rule | Message |');
    expect(stdout).toContain(
      `| ${MANIFEST} | 13 | 12 | error | schema.type | \\\`incidents\\[0\\].title\\\` must be text, but YAML reads \\\`1\\\` as a number: quote it, e.g. '1' |`,
    );
    expect(stdout).toContain('**1 manifest and the config checked: 1 error**');
    expect(code).toBe(1);
  });

  it('checks only the files it is given, and the manifests in a folder it is given', () => {
    write(MANIFEST, withLine(7, 'incoming: alice'));
    write('elsewhere/2026-11-26-alice-to-bob.yaml', BASE);
    expect(validate(['elsewhere/2026-11-26-alice-to-bob.yaml'])).toMatchObject({ code: 0 });
    expect(validate(['elsewhere'])).toMatchObject({
      code: 0,
      stdout: '1 manifest and the config checked: no problems\n',
    });
    expect(validate([MANIFEST])).toMatchObject({ code: 1 });
  });

  it('exits 0 when there are only warnings', () => {
    write(MANIFEST, PAST_BASE.replaceAll('2026-11-26T', '2020-11-26T'));
    const { code, stdout } = validate([MANIFEST]);
    expect(stdout).toContain('warning [window.past]');
    expect(stdout).toContain('1 manifest and the config checked: 1 warning');
    expect(code).toBe(0);
  });

  it('says nothing about windows long over when it checks the whole folder (history)', () => {
    write(MANIFEST, PAST_BASE.replaceAll('2026-11-26T', '2020-11-26T'));
    const { code, stdout } = validate([]);
    expect(stdout).not.toContain('window.past');
    expect(code).toBe(0);
  });

  it.each([
    ['an unknown flag', ['--fromat', 'json'], /Unknown option '--fromat'/],
    ['an unknown format', ['--format', 'yaml'], /--format must be one of text, json, markdown/],
    ['a missing file', ['handovers/nope.yaml'], /cannot read handovers\/nope\.yaml: no such file/],
    ['a missing config', ['--config', 'other.yaml'], /cannot read the config other\.yaml: no such file/],
  ])('exits 2 for %s, in one line and without a stack trace', (_name, args, message) => {
    write(MANIFEST, BASE);
    const { code, stderr } = validate(args);
    expect(stderr).toMatch(message);
    expect(stderr).not.toMatch(/\n\s+at /);
    expect(code).toBe(2);
  });

  it('exits 2 when the default config is missing', () => {
    rmSync(join(dir, 'handover.config.yaml'));
    write(MANIFEST, BASE);
    const { code, stderr } = validate([]);
    expect(stderr).toContain('cannot read the config handover.config.yaml: no such file');
    expect(code).toBe(2);
  });

  it('does not end with "no problems" when a file could not be read', () => {
    const { code, stdout } = validate(['handovers/missing.yaml']);
    expect(stdout).toBe('0 manifests and the config checked: no problems; 1 file could not be read\n');
    expect(code).toBe(2);
  });

  it('says so when a directory given holds no manifest, instead of passing silently', () => {
    mkdirSync(join(dir, 'drafts'));
    const { code, stdout, stderr } = validate(['drafts']);
    expect(stderr).toBe('handover validate: no manifests (*.yaml, *.yml) found in drafts\n');
    expect(stdout).toBe('0 manifests and the config checked: no problems\n');
    expect(code).toBe(0);
  });

  it('survives two deeply nested files in one run: clean findings, exit 1 (not an abort)', () => {
    write('handovers/deep-1.yaml', `a: ${'['.repeat(5000)}${']'.repeat(5000)}\n`);
    write('handovers/deep-2.yaml', `a: ${'['.repeat(5000)}${']'.repeat(5000)}\n`);
    write('handovers/deep-3.yaml', `a: ${'{b: '.repeat(3000)}\n`);
    const { code, stdout, stderr } = validate([]);
    expect(stderr).toBe('');
    expect(stdout.match(/error \[yaml\.too-deep\]/g)).toHaveLength(3);
    expect(code).toBe(1);
  });

  it('validates 500 manifests in one process', () => {
    for (let i = 0; i < 500; i++) {
      const id = `2026-11-${String(i).padStart(3, '0')}-alice-to-bob`;
      const text = i % 50 === 7 ? `a: ${'['.repeat(2000)}` : BASE.replace('2026-11-26-alice-to-bob', id);
      write(`handovers/2026/${id}.yaml`, text);
    }
    const started = performance.now();
    const { code, stdout, stderr } = validate([]);
    expect(performance.now() - started).toBeLessThan(20_000);
    expect(stderr).toBe('');
    expect(stdout).toContain('500 manifests and the config checked: 10 errors');
    expect(code).toBe(1);
  });

  it('never prints a stack trace, even for a binary file', () => {
    write(MANIFEST, '\u0000\u0001\u0002\u00ff\ufffe'.repeat(200));
    const { code, stderr } = validate([]);
    expect(stderr).toBe('');
    expect(code).toBe(1);
  });

  it('echoes nothing that drives a terminal, leaks a token or becomes a workflow command', () => {
    const token = 'xoxb-123456789012-abcdefghijkl';
    write(
      MANIFEST,
      `${withLine(13, `    title: "\\e[31m red ${token}"`)}# ::add-mask::secret\n::error title=Approved::ok: 1\n`,
    );
    for (const env of [{}, { GITHUB_ACTIONS: 'true' }] as Record<string, string>[]) {
      const { stdout, stderr } = validate([], env);
      const output = stdout + stderr;
      expect(output).not.toMatch(/\u001b/);
      expect(output).not.toContain(token);
      const commands = output.split('\n').filter((line) => line.startsWith('::'));
      expect(commands.every((line) => /^::(error|warning) file=/.test(line))).toBe(true);
    }
  });

  it('prints annotations inside GitHub Actions, at most 10 per severity', () => {
    const lines = [...BASE.trimEnd().split('\n')];
    for (let i = 0; i < 12; i++) lines.push(`extra${i}: 1`);
    write(MANIFEST, `${lines.join('\n')}\n`);
    const { code, stdout } = validate([], { GITHUB_ACTIONS: 'true' });
    const annotations = stdout.split('\n').filter((line) => line.startsWith('::'));
    expect(annotations).toHaveLength(10);
    expect(annotations[0]).toBe(
      `::error file=${MANIFEST},line=33,col=1,title=schema.unknown-key::unknown key \`extra0\` in the manifest: allowed keys here: \`apiVersion\`, \`kind\`, \`id\`, \`variant\`, \`reason\`, \`outgoing\`, \`incoming\`, \`window\`, \`incidents\`, \`tickets\`, \`rollouts\`, \`emergency\`, \`outage\``,
    );
    // The text report still lists every finding.
    expect(stdout.match(/error \[schema\.unknown-key\]/g)).toHaveLength(12);
    expect(code).toBe(1);
  });

  it('keeps stdout one JSON array inside GitHub Actions: annotations go to stderr', () => {
    write(MANIFEST, withLine(7, 'incoming: alice'));
    const { stdout, stderr } = validate(['--format', 'json'], { GITHUB_ACTIONS: 'true' });
    expect(JSON.parse(stdout)).toHaveLength(1);
    expect(stderr).toMatch(
      /^::error file=handovers\/2026-11-26-alice-to-bob\.yaml,line=7,col=11,title=roster\.same-admin::/,
    );
  });

  it('says so when there is no handovers folder, and still checks the config', () => {
    rmSync(join(dir, 'handovers'), { recursive: true });
    const { code, stdout, stderr } = validate([]);
    expect(stderr).toBe('handover validate: no manifests found under handovers/\n');
    expect(stdout).toBe('0 manifests and the config checked: no problems\n');
    expect(code).toBe(0);
  });
});

describe('the renderings', () => {
  it('escapes a file name in annotation properties', () => {
    const d: Diagnostic = {
      file: 'handovers/a,b:c%.yaml',
      line: 1,
      column: 2,
      severity: 'warning',
      rule: 'schema.unknown-key',
      message: '50% m',
    };
    expect(renderAnnotations([d])).toBe(
      '::warning file=handovers/a%2Cb%3Ac%25.yaml,line=1,col=2,title=schema.unknown-key::50%25 m\n',
    );
  });

  it('lines the caret up under tabs and long lines', () => {
    expect(sourceExcerpt('a:\n\tb: 1\n', 2, 2)).toEqual(['  2 |  b: 1', '    |  ^']);
    const long = `title: ${'x'.repeat(300)}TARGET${'y'.repeat(300)}`;
    const [shown, caret] = sourceExcerpt(long, 1, long.indexOf('TARGET') + 1);
    expect(shown?.length).toBeLessThan(120);
    expect(shown?.slice(caret?.indexOf('^'))).toMatch(/^TARGET/);
  });
});

describe('what `handover validate` loads', () => {
  /** Every file of the built CLI that `handover validate` imports, following static imports from its chunk. */
  function validateImportGraph(): Map<string, string> {
    const lib = join(root, 'lib');
    const cli = readFileSync(join(lib, 'cli.js'), 'utf8');
    const entry = /validate: async \(\) => \(await import\("\.\/(chunks\/validate-[A-Z0-9]+\.js)"\)\)/.exec(
      cli,
    )?.[1];
    expect(entry).toBeDefined();
    const seen = new Map<string, string>();
    const pending = [join(lib, entry ?? '')];
    for (let file = pending.pop(); file !== undefined; file = pending.pop()) {
      if (seen.has(file)) continue;
      const code = readFileSync(file, 'utf8');
      seen.set(file, code);
      for (const match of code.matchAll(/^import [^;]*? from "(\.\/[^"]+)";?$/gms)) {
        pending.push(join(file, '..', match[1] ?? ''));
      }
    }
    return seen;
  }

  it('neither the HTTP clients nor the ajv compiler', () => {
    const graph = validateImportGraph();
    expect(readdirSync(join(root, 'lib/chunks')).length).toBeGreaterThan(graph.size);
    const bundled = [...graph.values()].flatMap((code) =>
      Array.from(code.matchAll(/^\/\/ (node_modules\/[^\s]+)/gm), (m) => m[1]),
    );
    expect(bundled.some((path) => path?.startsWith('node_modules/yaml/'))).toBe(true);
    const forbidden = bundled.filter((path) =>
      /^node_modules\/(@slack|@octokit|@pagerduty|@actions|node-fetch|cross-fetch|undici|ajv)\//.test(
        path ?? '',
      ),
    );
    expect(forbidden).toEqual([]);
  });
});
