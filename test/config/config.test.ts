import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ConfigUnreadableError, loadConfig, parseConfig } from '../../src/config/index.js';
import { CONFIG_TEXT } from '../manifest/fixtures.js';
import { CONFIG_CORPUS } from './corpus.js';

const FILE = 'handover.config.yaml';

describe('a valid config', () => {
  it('gives the typed config', () => {
    const { config, diagnostics } = parseConfig(CONFIG_TEXT, FILE);
    expect(diagnostics).toEqual([]);
    expect(config?.pagerduty).toEqual({ serviceId: 'PSVC001', scheduleId: 'PSCH001' });
    expect(config?.slack).toEqual({ channel: 'C0PLATOPS', channelName: 'novavms-platform-ops' });
    expect(config?.platform).toEqual({ url: 'https://admin.novavms.example/api/v1' });
    expect(Object.keys(config?.roster ?? {})).toEqual(['alice', 'bob', 'dana']);
    expect(config?.roster.bob).toEqual({
      github: 'bob-nv',
      pagerduty: 'PUSR002',
      slack: 'U0BOB',
      email: 'bob@novavms.example',
      tracker: 'bob',
    });
  });

  it('has a roster where only admins are found, whatever the handle', () => {
    const { config } = parseConfig(CONFIG_TEXT.replace('  dana:', '  constructor:'), FILE);
    expect(config?.roster.constructor).toMatchObject({ github: 'dana-nv' });
    expect(config?.roster.toString).toBeUndefined();
    expect(Object.hasOwn(config?.roster ?? {}, 'hasOwnProperty')).toBe(false);
  });

  it('accepts plain http for a sandbox on the loopback interface', () => {
    for (const url of [
      'http://127.0.0.1:8080/api/v1',
      'http://localhost:9000/api/v1',
      'http://[::1]:9000/api/v1',
    ]) {
      const { diagnostics } = parseConfig(
        CONFIG_TEXT.replace('https://admin.novavms.example/api/v1', url),
        FILE,
      );
      expect(diagnostics, url).toEqual([]);
    }
  });
});

describe('bad configs are reported with a rule id at the offending line', () => {
  it.each(CONFIG_CORPUS)('$name → $rule at line $line', (c) => {
    const { config, diagnostics } = parseConfig(c.text, FILE);
    const where = diagnostics.map((d) => `${d.line}:${d.column} ${d.rule}: ${d.message}`).join('\n');
    const match = diagnostics.find(
      (d) => d.rule === c.rule && d.line === c.line && (c.column === undefined || d.column === c.column),
    );
    expect(match, `no ${c.rule} at ${c.line}:${c.column}; diagnostics were:\n${where}`).toBeDefined();
    expect(match?.file).toBe(FILE);
    if (c.says) expect(match?.message).toContain(c.says);
    expect(config).toBeNull();
  });
});

describe('loadConfig', () => {
  const dir = mkdtempSync(join(tmpdir(), 'handover-config-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('reads the file and names it as told', () => {
    const path = join(dir, FILE);
    writeFileSync(path, CONFIG_TEXT.replace('slack:', 'slak:'));
    const loaded = loadConfig(path, { displayPath: FILE });
    expect(loaded.text).toContain('slak:');
    expect(loaded.diagnostics[0]?.file).toBe(FILE);
    expect(loaded.config).toBeNull();
  });

  it('throws ConfigUnreadableError when there is no file', () => {
    expect(() => loadConfig(join(dir, 'missing.yaml'), { displayPath: 'missing.yaml' })).toThrow(
      ConfigUnreadableError,
    );
    expect(() => loadConfig(join(dir, 'missing.yaml'), { displayPath: 'missing.yaml' })).toThrow(
      'cannot read the config missing.yaml: no such file',
    );
  });

  it('throws ConfigUnreadableError for a directory', () => {
    expect(() => loadConfig(dir)).toThrow(ConfigUnreadableError);
  });
});
