import { isMap, isScalar, isSeq, parseDocument, type YAMLMap } from 'yaml';
import { DEFAULT_DISPOSITION, ENGINEERING_ISSUE, nextStepForRollout, statusForTitle } from './story.js';

/** A value init left for a person: every one of its placeholders contains the word TODO. */
export function isPlaceholder(value: unknown): boolean {
  return typeof value === 'string' && /\bTODO\b/.test(value);
}

export interface FilledManifest {
  text: string;
  /** Paths of the values that were replaced, e.g. `incidents[0].status.hypothesis`. */
  filled: string[];
}

function items(doc: ReturnType<typeof parseDocument>, key: string): YAMLMap[] {
  const node = doc.get(key, true);
  return isSeq(node) ? node.items.filter((item): item is YAMLMap => isMap(item)) : [];
}

function text(map: YAMLMap, key: string): string | undefined {
  const value = map.get(key);
  return typeof value === 'string' ? value : undefined;
}

function number(map: YAMLMap, key: string): number {
  const value = map.get(key);
  return typeof value === 'number' ? value : 0;
}

/**
 * Replaces the TODO placeholders of a draft written by `handover init` with what the outgoing admin
 * would write. Edits go through the yaml Document API, so init's comments (incident links, ticket
 * titles) and quoting stay as they were; values that are not placeholders are never touched.
 */
export function fillPlaceholders(source: string): FilledManifest {
  const doc = parseDocument(source, { version: '1.2', schema: 'core' });
  const filled: string[] = [];
  const replace = (map: YAMLMap, path: string[], value: string, where: string) => {
    const node = map.getIn(path, true);
    if (!isScalar(node) || !isPlaceholder(node.value)) return;
    node.value = value;
    // The placeholder was quoted (it contains ": "); let the library choose the answer's own style.
    node.type = undefined;
    filled.push(where);
  };

  items(doc, 'incidents').forEach((incident, index) => {
    const status = statusForTitle(text(incident, 'title'));
    for (const part of ['hypothesis', 'lastAction', 'nextAction'] as const)
      replace(incident, ['status', part], status[part], `incidents[${index}].status.${part}`);
  });

  items(doc, 'tickets').forEach((ticket, index) => {
    replace(ticket, ['disposition'], DEFAULT_DISPOSITION, `tickets[${index}].disposition`);
    replace(ticket, ['engineeringIssue'], ENGINEERING_ISSUE, `tickets[${index}].engineeringIssue`);
  });

  items(doc, 'rollouts').forEach((rollout, index) => {
    const nextStep = nextStepForRollout({
      state: text(rollout, 'state') ?? 'ramping',
      rampPercent: number(rollout, 'rampPercent'),
      lastErrorRatePercent: number(rollout, 'lastErrorRatePercent'),
    });
    replace(rollout, ['nextStep'], nextStep, `rollouts[${index}].nextStep`);
  });

  return { text: doc.toString({ lineWidth: 0 }), filled };
}
