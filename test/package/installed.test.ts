/**
 * The package as users get it: `npm pack` (its prepack builds lib/), the tarball installed with npm into
 * a fresh git repository outside this checkout, and the installed `handover` run there — against the
 * installed command's own sandbox. Then an editor's view of the manifest `init` wrote: the real
 * yaml-language-server from npm, driven over LSP, must load the schema the package ships.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fillPlaceholders, writtenPath } from '../plan/cli-world.js';
import {
  type AdopterRepo,
  adopterRepo,
  CHECKOUT,
  packTarball,
  type RunningSandbox,
  run,
  startInstalledSandbox,
} from './adopter.js';
import { type Diagnostic, LspClient } from './lsp-client.js';

const SLOW = 240_000;
const version = JSON.parse(readFileSync(join(CHECKOUT, 'package.json'), 'utf8')).version as string;

let packs: string;
let tarball: string;
let repo: AdopterRepo;
let sandbox: RunningSandbox;

beforeAll(async () => {
  packs = mkdtempSync(join(tmpdir(), 'handover-pack-'));
  tarball = await packTarball(packs);
  repo = await adopterRepo(tarball);
  sandbox = await startInstalledSandbox(repo);
}, SLOW);

afterAll(async () => {
  await sandbox?.stop();
  repo?.remove();
  if (packs) rmSync(packs, { recursive: true, force: true });
}, SLOW);

describe('the packed tarball', () => {
  const entries = () =>
    execFileSync('tar', ['-tzf', tarball], { encoding: 'utf8' })
      .split('\n')
      .filter(Boolean)
      .map((entry) => entry.replace(/^package\//, ''));

  it('holds the command, the built CLI and the schemas', () => {
    expect(entries()).toEqual(
      expect.arrayContaining([
        'package.json',
        'README.md',
        'CHANGELOG.md',
        'bin/handover.cjs',
        'lib/cli.js',
        'lib/validate.cjs',
        'schemas/handover.schema.json',
        'schemas/config.schema.json',
      ]),
    );
  });

  it('holds none of the tests, benchmarks, sources or example handovers', () => {
    const unwanted = entries().filter((entry) =>
      /^(test|bench|handovers|src|scripts|docs|dist|\.github|\.changeset)\//.test(entry),
    );
    expect(unwanted).toEqual([]);
    expect(entries()).not.toContain('handover.config.yaml');
  });

  it('depends on nothing at run time: lib/ bundles every library', () => {
    const manifest = JSON.parse(
      readFileSync(join(repo.root, 'node_modules/@novavms/handover/package.json'), 'utf8'),
    );
    expect(manifest.name).toBe('@novavms/handover');
    expect(manifest.dependencies ?? {}).toEqual({});
    expect(manifest.bin).toEqual({ handover: 'bin/handover.cjs' });
  });
});

describe('the installed handover, in a fresh repository outside the checkout', () => {
  let manifestPath: string;

  it('is outside the checkout', () => {
    expect(repo.root.startsWith(CHECKOUT)).toBe(false);
    expect(existsSync(join(repo.root, '.git'))).toBe(true);
  });

  it('--version prints the package version', async () => {
    const result = await repo.handover(['--version']);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toBe(`handover ${version}\n`);
  });

  it('resolves locally through the documented `npx --no-install handover`', async () => {
    const result = await run('npx', ['--no-install', 'handover', '--version'], { cwd: repo.root });
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toBe(`handover ${version}\n`);
  });

  it('the sandbox wrote a config that points editors at the installed schema', () => {
    const config = readFileSync(join(repo.root, 'handover.config.yaml'), 'utf8');
    expect(config.split('\n')[0]).toBe(
      '# yaml-language-server: $schema=./node_modules/@novavms/handover/schemas/config.schema.json',
    );
  });

  it('setup scaffolds the repository from the sandbox, keeping the sandbox config a person has', async () => {
    const sha = 'b'.repeat(40);
    const flags = [
      '--service',
      'platform-ops',
      '--schedule',
      'Platform primary',
      '--channel',
      'novavms-platform-ops',
    ];
    const result = await repo.handover(['setup', '--action-sha', sha, ...flags], sandbox.env);
    expect(result.code, result.stdout + result.stderr).toBe(0);
    // The sandbox wrote handover.config.yaml first: setup keeps it (it is not what setup wrote).
    expect(result.stdout).toMatch(/kept .*handover\.config\.yaml/);
    const workflow = readFileSync(join(repo.root, '.github/workflows/handover-pr.yml'), 'utf8');
    expect(workflow).toContain(`uses: novavms/handover@${sha} # v${version}`);
    const settings = JSON.parse(readFileSync(join(repo.root, '.vscode/settings.json'), 'utf8'));
    expect(Object.keys(settings['yaml.schemas'])).toContain(
      './node_modules/@novavms/handover/schemas/config.schema.json',
    );
  });

  it('doctor finds every check ✓ against the sandbox', async () => {
    const result = await repo.handover(['doctor'], sandbox.env);
    expect(result.code, result.stdout + result.stderr).toBe(0);
    expect(result.stdout).not.toContain('✗');
    expect(result.stdout).toMatch(/all \d+ checks passed/);
  });

  it('init drafts a manifest from the sandbox’s live state', async () => {
    const result = await repo.handover(['init', '--outgoing', 'alice', '--incoming', 'bob'], sandbox.env);
    expect(result.code, result.stderr).toBe(0);
    manifestPath = writtenPath(result.stdout);
    const text = readFileSync(join(repo.root, manifestPath), 'utf8');
    const schemaLine = /^# yaml-language-server: \$schema=(\S+)$/m.exec(text)?.[1] ?? '';
    expect(resolve(dirname(join(repo.root, manifestPath)), schemaLine)).toBe(
      join(repo.root, 'node_modules/@novavms/handover/schemas/handover.schema.json'),
    );
    expect(existsSync(resolve(dirname(join(repo.root, manifestPath)), schemaLine))).toBe(true);
  });

  it('validate refuses the draft’s TODOs, then accepts the filled manifest', async () => {
    const draft = await repo.handover(['validate', manifestPath], sandbox.env);
    expect(draft.code).toBe(1);
    expect(draft.stdout + draft.stderr).toMatch(/TODO/);

    const path = join(repo.root, manifestPath);
    writeFileSync(path, fillPlaceholders(readFileSync(path, 'utf8')));
    const filled = await repo.handover(['validate'], sandbox.env);
    expect(filled.code, filled.stdout + filled.stderr).toBe(0);
  });

  it('plan against the sandbox finds nothing stranded', async () => {
    const result = await repo.handover(['plan', manifestPath], sandbox.env);
    expect(result.code, result.stdout + result.stderr).toBe(0);
    expect(result.stdout).toContain('Nothing would be stranded');
  });
});

describe('an editor on the manifest init writes, with the real yaml-language-server', () => {
  let lsp: LspClient;
  let uri: string;
  let draft: string;

  beforeAll(async () => {
    const init = await repo.handover(
      ['init', '--outgoing', 'alice', '--incoming', 'dana', '--out', 'handovers/editor.yaml'],
      sandbox.env,
    );
    expect(init.code, init.stderr).toBe(0);
    const path = join(repo.root, 'handovers/editor.yaml');
    draft = readFileSync(path, 'utf8');
    uri = pathToFileURL(path).href;

    const server = join(CHECKOUT, 'node_modules/yaml-language-server/bin/yaml-language-server');
    // No schema store: the server would fetch its catalog from the internet. Only the modeline counts.
    const yaml = {
      validate: true,
      hover: true,
      completion: true,
      schemaStore: { enable: false },
      schemas: {},
    };
    lsp = new LspClient(process.execPath, [server, '--stdio'], { yaml });
    await lsp.request('initialize', {
      processId: process.pid,
      rootUri: pathToFileURL(repo.root).href,
      workspaceFolders: [{ uri: pathToFileURL(repo.root).href, name: 'platform-oncall' }],
      capabilities: {
        workspace: { configuration: true, didChangeConfiguration: { dynamicRegistration: true } },
        textDocument: {
          completion: {
            completionItem: { snippetSupport: true, documentationFormat: ['markdown', 'plaintext'] },
          },
          hover: { contentFormat: ['markdown', 'plaintext'] },
          publishDiagnostics: {},
        },
      },
    });
    lsp.notify('initialized', {});
    lsp.notify('workspace/didChangeConfiguration', { settings: { yaml } });
    lsp.notify('textDocument/didOpen', {
      textDocument: { uri, languageId: 'yaml', version: 1, text: draft },
    });
  }, SLOW);

  afterAll(async () => {
    await lsp?.stop();
  });

  const schemaTrouble = (d: Diagnostic) =>
    /unable to load|could not load|no content|problems loading/i.test(d.message);

  it('loads the schema and flags the draft’s TODOs with the schema’s own words', async () => {
    const diagnostics = await lsp.diagnosticsFor(uri, (d) => d.length > 0);
    expect(diagnostics.filter(schemaTrouble)).toEqual([]);
    const messages = diagnostics.map((d) => d.message);
    expect(messages).toContain(
      'A placeholder is left (TODO, TBD or FIXME): write what the incoming admin needs to know, in at least 3 words.',
    );
  });

  it('offers the three dispositions at `disposition:`', async () => {
    const lines = draft.split('\n');
    const line = lines.findIndex((l) => /^\s*(- )?disposition:/.test(l));
    expect(line).toBeGreaterThanOrEqual(0);
    const key = lines[line] as string;
    const prefix = key.slice(0, key.indexOf('disposition:') + 'disposition: '.length);
    lines[line] = prefix;
    lsp.notify('textDocument/didChange', {
      textDocument: { uri, version: 2 },
      contentChanges: [{ text: lines.join('\n') }],
    });
    const completion = await lsp.request<{ items: Array<{ label: string }> } | Array<{ label: string }>>(
      'textDocument/completion',
      { textDocument: { uri }, position: { line, character: prefix.length } },
    );
    const items = Array.isArray(completion) ? completion : completion.items;
    expect(items.map((i) => i.label).sort()).toEqual([
      'active',
      'waiting_on_customer',
      'waiting_on_engineering',
    ]);
  });

  it('shows the description on hover', async () => {
    const lines = draft.split('\n');
    const line = lines.findIndex((l) => /^\s*(- )?disposition:/.test(l));
    const character = (lines[line] as string).indexOf('disposition') + 2;
    lsp.notify('textDocument/didChange', {
      textDocument: { uri, version: 3 },
      contentChanges: [{ text: draft }],
    });
    const hover = await lsp.request<{ contents: { value: string } | string }>('textDocument/hover', {
      textDocument: { uri },
      position: { line, character },
    });
    const text = typeof hover.contents === 'string' ? hover.contents : hover.contents.value;
    expect(text).toContain('What the ticket waits on');
  });

  it('says what form a date takes, not a regular expression', async () => {
    const broken = draft.replace(/^(\s*start: ).*$/m, '$1tomorrow at nine');
    expect(broken).not.toBe(draft);
    lsp.notify('textDocument/didChange', {
      textDocument: { uri, version: 4 },
      contentChanges: [{ text: broken }],
    });
    const diagnostics = await lsp.diagnosticsFor(uri, (d) => d.some((x) => x.message.includes('ISO 8601')));
    const message = diagnostics.find((d) => d.message.includes('ISO 8601'))?.message;
    expect(message).toMatch(/^Wrong form: expected an ISO 8601 instant with a time zone .*, e\.g\. `/);
    expect(message).not.toContain('[0-9]');
  });
});
