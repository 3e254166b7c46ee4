import { mkdirSync, writeFileSync } from 'node:fs';
import { basename, dirname, resolve } from 'node:path';
import { parseInstant } from '../../clock.js';
import type { HandoverConfig } from '../../config/types.js';
import { displayPath as shown } from '../../core/paths.js';
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
import { clockFlag, commandConfig, parseFormat, stringFlag, switchFlag } from '../common.js';
import { type CliIO, EXIT, UsageError } from '../io.js';
import type { CommandLine } from '../usage.js';

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
  const date = parseInstant(value);
  if (!date)
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
  /** Where to write, or '-' for standard output. */
  path: string;
  now: Date;
}

/** Turns the flags into a request, checking each against the roster and the spec's vocabularies. */
function initRequest(
  values: Readonly<Record<string, string | boolean | undefined>>,
  config: HandoverConfig,
  cwd: string,
  now: Date,
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
  // `--out -` is standard output, as for every Unix tool; the id is then the default one.
  const path =
    out === undefined
      ? defaultManifestPath(cwd, day, manifestId(day, outgoing, incoming))
      : out === '-'
        ? '-'
        : resolve(cwd, out);
  const id =
    out === undefined || out === '-'
      ? manifestId(day, outgoing, incoming)
      : basename(path).replace(/\.ya?ml$/, '');
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

/**
 * `handover init --outgoing A --incoming B …`: reads the outgoing admin's live world and writes a
 * pre-filled manifest, leaving TODO placeholders where only a human knows the answer.
 */
export async function initCommand(line: CommandLine, io: CliIO): Promise<number> {
  const format = parseFormat(stringFlag(line, 'format'), ['text', 'json']);
  const values = line.values;
  if (stringFlag(line, 'out') === '-' && format === 'json')
    throw new UsageError(
      '--out - writes the manifest to standard output, where --format json would go too: pick one',
    );
  if (stringFlag(line, 'out') === '') throw new UsageError('--out needs a path, or - for standard output');
  const now = clockFlag(line)();
  const loaded = commandConfig('init', line, io, format);
  if ('exit' in loaded) return loaded.exit;
  const config = loaded.config.config;
  const request = initRequest(values, config, io.cwd, now);
  const toStdout = request.path === '-';
  const display = toStdout ? 'standard output' : shown(request.path, io.cwd);

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
    schemaReference: schemaReference(
      io.cwd,
      toStdout ? resolve(io.cwd, `${request.id}.yaml`) : request.path,
      'handover.schema.json',
    ),
    generatedAt: request.now,
  });
  if (toStdout) {
    io.stdout(yaml);
    const { incidents, tickets, rollouts, placeholders } = draft.counts;
    io.stderr(
      `handover init: wrote the manifest to standard output: ${plural(incidents, 'incident')}, ${plural(tickets, 'ticket')}, ${plural(rollouts, 'rollout')}, ${plural(placeholders, 'TODO placeholder')}\n`,
    );
    return EXIT.ok;
  }
  try {
    mkdirSync(dirname(request.path), { recursive: true });
    // `wx` refuses an existing file atomically: a manifest is never overwritten without --force.
    writeFileSync(request.path, yaml, { flag: switchFlag(line, 'force') ? 'w' : 'wx' });
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
