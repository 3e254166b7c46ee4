import { mkdirSync, writeFileSync } from 'node:fs';
import { basename, dirname, isAbsolute, relative, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { ConfigUnreadableError, loadConfig } from '../../config/index.js';
import type { HandoverConfig } from '../../config/types.js';
import { plural } from '../../format.js';
import { draftManifest, manifestSkeleton } from '../../init/draft.js';
import { defaultManifestPath, manifestId } from '../../init/file-name.js';
import { defaultWindow } from '../../init/window.js';
import { renderDraft } from '../../init/yaml.js';
import { REASONS, type Reason, VARIANTS, type Variant } from '../../manifest/types.js';
import { createProviders, MissingCredentialsError } from '../../providers/index.js';
import { ProviderError } from '../../providers/types.js';
import { readLiveState } from '../../runbook/live-state.js';
import { schemaReference } from '../../schema-reference.js';
import { configPath, parseFormat } from '../common.js';
import { type CliIO, EXIT, UsageError } from '../io.js';
import { renderDiagnostics } from '../report/diagnostics.js';

const OPTIONS = {
  outgoing: { type: 'string' },
  incoming: { type: 'string' },
  variant: { type: 'string' },
  reason: { type: 'string' },
  cause: { type: 'string' },
  'outage-incident': { type: 'string' },
  lead: { type: 'string' },
  'window-start': { type: 'string' },
  'window-end': { type: 'string' },
  hours: { type: 'string' },
  out: { type: 'string' },
  config: { type: 'string' },
  format: { type: 'string' },
  force: { type: 'boolean' },
  now: { type: 'string' },
} as const;

function oneOf<T extends string>(
  flag: string,
  value: string | undefined,
  allowed: readonly T[],
  fallback: T,
): T {
  if (value === undefined) return fallback;
  if (!(allowed as readonly string[]).includes(value))
    throw new UsageError(`--${flag} must be one of ${allowed.join(', ')} (got '${value}')`);
  return value as T;
}

function instant(flag: string, value: string | undefined): Date | undefined {
  if (value === undefined) return undefined;
  const date = new Date(value);
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}/.test(value) || Number.isNaN(date.getTime()))
    throw new UsageError(
      `--${flag} must be an ISO 8601 instant such as 2026-11-26T16:00:00Z (got '${value}')`,
    );
  return date;
}

function rosterHandle(flag: string, value: string | undefined, config: HandoverConfig): string {
  const handles = Object.keys(config.roster);
  if (value === undefined) throw new UsageError(`--${flag} is required: one of ${handles.join(', ')}`);
  if (!Object.hasOwn(config.roster, value))
    throw new UsageError(`--${flag} '${value}' is not in the roster: use one of ${handles.join(', ')}`);
  return value;
}

interface InitRequest {
  variant: Variant;
  reason: Reason;
  outgoing: string;
  incoming: string;
  cause?: 'incapacitated' | 'compromised';
  outage: { incident?: string; lead?: string };
  window: { start?: string; end: string };
  id: string;
  path: string;
  now: Date;
}

/** Turns the flags into a request, checking each against the roster and the spec's vocabularies. */
function initRequest(
  values: Record<string, string | boolean | undefined>,
  config: HandoverConfig,
  cwd: string,
): InitRequest {
  const text = (name: string) => values[name] as string | undefined;
  const variant = oneOf('variant', text('variant'), VARIANTS, 'planned');
  const reason = oneOf('reason', text('reason'), REASONS, 'rotation');
  const outgoing = rosterHandle('outgoing', text('outgoing'), config);
  const incoming = rosterHandle('incoming', text('incoming'), config);
  if (outgoing === incoming) throw new UsageError('--outgoing and --incoming must be two different admins');
  const cause =
    text('cause') === undefined
      ? undefined
      : oneOf('cause', text('cause'), ['incapacitated', 'compromised'] as const, 'incapacitated');
  if (cause && variant !== 'emergency') throw new UsageError('--cause is for --variant emergency');
  const lead = text('lead');
  if (lead !== undefined && lead !== outgoing && lead !== incoming)
    throw new UsageError(`--lead must be the outgoing or the incoming admin (${outgoing} or ${incoming})`);
  const outageIncident = text('outage-incident');
  if ((lead !== undefined || outageIncident !== undefined) && variant !== 'mid-shift-outage')
    throw new UsageError('--outage-incident and --lead are for --variant mid-shift-outage');

  const now = instant('now', text('now')) ?? new Date();
  const hoursText = text('hours') ?? '2';
  const hours = Number(hoursText);
  if (!/^\d+(\.\d+)?$/.test(hoursText) || hours <= 0 || hours > 24 * 14)
    throw new UsageError(`--hours must be a positive number of hours (got '${hoursText}')`);
  const start = instant('window-start', text('window-start'));
  const end = instant('window-end', text('window-end'));
  const window = defaultWindow({ variant, now, hours, ...(start ? { start } : {}), ...(end ? { end } : {}) });
  if (new Date(window.end).getTime() <= new Date(window.start ?? now).getTime())
    throw new UsageError(`the window must end after it starts (${window.start ?? 'now'} → ${window.end})`);

  const day = new Date(window.start ?? now);
  const out = text('out');
  const path =
    out === undefined
      ? defaultManifestPath(cwd, day, manifestId(day, outgoing, incoming))
      : resolve(cwd, out);
  const id = out === undefined ? manifestId(day, outgoing, incoming) : basename(path).replace(/\.ya?ml$/, '');
  return {
    variant,
    reason,
    outgoing,
    incoming,
    ...(cause ? { cause } : {}),
    outage: { ...(outageIncident ? { incident: outageIncident } : {}), ...(lead ? { lead } : {}) },
    window,
    id,
    path,
    now,
  };
}

function shown(path: string, cwd: string): string {
  const rel = relative(cwd, path);
  return rel.startsWith('..') || isAbsolute(rel) ? path : rel;
}

/**
 * `handover init --outgoing A --incoming B …`: reads the outgoing admin's live world and writes a
 * pre-filled manifest, leaving TODO placeholders where only a human knows the answer.
 */
export async function initCommand(argv: string[], io: CliIO): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    options: OPTIONS,
    allowPositionals: true,
    strict: true,
  });
  if (positionals.length > 0)
    throw new UsageError(`init takes no file argument (got '${positionals.join(' ')}'); use --out PATH`);
  const format = parseFormat(values.format, ['text', 'json']);

  const path = configPath(values.config, io.cwd);
  let loaded: ReturnType<typeof loadConfig>;
  try {
    loaded = loadConfig(path, { displayPath: shown(path, io.cwd) });
  } catch (error) {
    if (error instanceof ConfigUnreadableError) {
      io.stderr(`handover init: ${error.message}\n`);
      return EXIT.usage;
    }
    throw error;
  }
  if (loaded.config === null) {
    io.stderr(renderDiagnostics(loaded.diagnostics, 'text'));
    io.stderr('handover init: the config is invalid; fix it first\n');
    return EXIT.failed;
  }
  const config = loaded.config;
  const request = initRequest(values, config, io.cwd);
  const display = shown(request.path, io.cwd);

  let providers: ReturnType<typeof createProviders>;
  try {
    providers = createProviders(io.env, config, { need: ['pagerduty', 'platform'] });
  } catch (error) {
    if (error instanceof MissingCredentialsError) {
      io.stderr(`handover init: ${error.message} (secrets come from the environment only)\n`);
      return EXIT.usage;
    }
    throw error;
  }

  let live: Awaited<ReturnType<typeof readLiveState>>;
  try {
    live = await readLiveState(providers, config, manifestSkeleton(request), request.now);
  } catch (error) {
    if (error instanceof ProviderError) {
      io.stderr(`handover init: could not read live state: ${error.message}\n`);
      return EXIT.failed;
    }
    throw error;
  }

  const draft = draftManifest(request, config, live);
  const yaml = renderDraft(draft, {
    schemaReference: schemaReference(io.cwd, request.path, 'handover.schema.json'),
    generatedAt: request.now,
  });
  try {
    mkdirSync(dirname(request.path), { recursive: true });
    // `wx` refuses an existing file atomically: a manifest is never overwritten without --force.
    writeFileSync(request.path, yaml, { flag: values.force ? 'w' : 'wx' });
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'EEXIST') {
      io.stderr(
        `handover init: ${display} already exists; use --force to overwrite it or --out PATH to write elsewhere\n`,
      );
      return EXIT.usage;
    }
    io.stderr(`handover init: cannot write ${display}: ${(error as Error).message}\n`);
    return EXIT.usage;
  }

  const { incidents, tickets, rollouts, placeholders } = draft.counts;
  if (format === 'json') {
    io.stdout(`${JSON.stringify({ file: display, id: request.id, counts: draft.counts })}\n`);
    return EXIT.ok;
  }
  io.stdout(
    [
      `Wrote ${display}: ${plural(incidents, 'incident')}, ${plural(tickets, 'ticket')}, ${plural(rollouts, 'rollout')} of ${request.outgoing}'s, from live state.`,
      '',
      'Next steps:',
      `  1. Replace the ${plural(placeholders, 'TODO placeholder')} (status paragraphs, next steps, anything the tools cannot know).`,
      `  2. handover validate ${display}`,
      `  3. handover plan ${display}`,
      `  4. Open a pull request adding only this file; ${request.incoming}'s approval of its final commit is the acknowledgement.`,
      '',
    ].join('\n'),
  );
  return EXIT.ok;
}
