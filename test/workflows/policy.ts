/**
 * Security policy over GitHub workflow files (docs/design.md#workflows): each check is a function from
 * a parsed workflow to the list of its violations, so the tests can run it on our workflows (expect none)
 * and on small bad examples (expect it to catch them).
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';

export type Node = Record<string, unknown>;

export interface Workflow {
  file: string;
  doc: Node;
}

export interface Step {
  job: string;
  index: number;
  step: Node;
}

export function isRecord(value: unknown): value is Node {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function parseWorkflow(file: string, text: string): Workflow {
  const doc: unknown = parse(text);
  if (!isRecord(doc)) throw new Error(`${file}: not a mapping`);
  return { file, doc };
}

export function loadWorkflows(dir: string): Workflow[] {
  return readdirSync(dir)
    .filter((name) => /\.ya?ml$/.test(name))
    .sort()
    .map((name) => parseWorkflow(name, readFileSync(join(dir, name), 'utf8')));
}

export function jobs(workflow: Workflow): Array<[string, Node]> {
  const all = workflow.doc.jobs;
  return isRecord(all)
    ? Object.entries(all).filter((entry): entry is [string, Node] => isRecord(entry[1]))
    : [];
}

export function steps(workflow: Workflow): Step[] {
  return jobs(workflow).flatMap(([job, body]) =>
    (Array.isArray(body.steps) ? body.steps : [])
      .filter(isRecord)
      .map((step, index) => ({ job, index, step })),
  );
}

/** The events a workflow runs on, whichever of the three `on:` forms it uses. */
export function triggers(workflow: Workflow): string[] {
  const on = workflow.doc.on;
  if (typeof on === 'string') return [on];
  if (Array.isArray(on)) return on.filter((e): e is string => typeof e === 'string');
  return isRecord(on) ? Object.keys(on) : [];
}

/** Every string inside a value, with where it was found. */
function strings(value: unknown, path: string, into: Array<[string, string]> = []): Array<[string, string]> {
  if (typeof value === 'string') into.push([path, value]);
  else if (Array.isArray(value)) {
    for (const [i, v] of value.entries()) strings(v, `${path}[${i}]`, into);
  } else if (isRecord(value)) for (const [k, v] of Object.entries(value)) strings(v, `${path}.${k}`, into);
  return into;
}

/** A1: triggers that run with secrets and a write token on code a pull request controls. */
export function dangerousTriggers(workflow: Workflow): string[] {
  return triggers(workflow)
    .filter((t) => t === 'pull_request_target' || t === 'workflow_run')
    .map((t) => `${workflow.file}: runs on ${t}`);
}

/** A2: an expression expanded into a shell script is script injection; values go through `env:`. */
export function expressionsInRun(workflow: Workflow): string[] {
  return steps(workflow)
    .filter(({ step }) => typeof step.run === 'string' && /\$\{\{/.test(step.run))
    .map(({ job, index }) => `${workflow.file}: job ${job} step ${index + 1} expands \${{ }} inside run:`);
}

/** A3: read-only by default; a write scope only where a job is allowed it. */
export function permissionViolations(workflow: Workflow, allowedWrites: Record<string, string[]>): string[] {
  const problems: string[] = [];
  const top = workflow.doc.permissions;
  if (top === undefined) problems.push(`${workflow.file}: no top-level permissions`);
  const writes = (permissions: unknown): string[] => {
    if (permissions === 'write-all') return ['*'];
    if (permissions === 'read-all' || permissions === undefined) return [];
    if (!isRecord(permissions)) return ['(unreadable permissions)'];
    return Object.entries(permissions)
      .filter(([, level]) => level === 'write')
      .map(([scope]) => scope);
  };
  for (const scope of writes(top)) problems.push(`${workflow.file}: top-level ${scope}: write`);
  if (top === 'read-all') problems.push(`${workflow.file}: top-level read-all (list the scopes)`);
  for (const [job, body] of jobs(workflow)) {
    const allowed = allowedWrites[job] ?? [];
    for (const scope of writes(body.permissions))
      if (!allowed.includes(scope)) problems.push(`${workflow.file}: job ${job} has ${scope}: write`);
  }
  return problems;
}

/** A4: a third-party action is immutable only when pinned to a full commit SHA. */
export function unpinnedActions(workflow: Workflow): string[] {
  const uses = [
    ...steps(workflow).map(({ job, step }) => [job, step.uses] as const),
    ...jobs(workflow).map(([job, body]) => [job, body.uses] as const),
  ];
  return uses
    .filter((entry): entry is readonly [string, string] => typeof entry[1] === 'string')
    .filter(([, ref]) => !ref.startsWith('./') && !/^[\w.-]+\/[\w./-]+@[0-9a-f]{40}$/.test(ref))
    .map(([job, ref]) => `${workflow.file}: job ${job} uses ${ref}`);
}

/** The secrets each part of a workflow reads (`secrets.NAME`, `secrets['NAME']`, `secrets: inherit`). */
export function secretReferences(workflow: Workflow): Map<string, Set<string>> {
  const found = new Map<string, Set<string>>();
  const note = (where: string, name: string) => found.set(where, (found.get(where) ?? new Set()).add(name));
  const scan = (where: string, value: unknown) => {
    for (const [, text] of strings(value, where)) {
      for (const match of text.matchAll(/\bsecrets\s*(?:\.\s*([A-Za-z_][\w-]*)|\[\s*['"]([^'"]+)['"]\s*\])/g))
        note(where, match[1] ?? match[2] ?? '?');
    }
  };
  for (const [key, value] of Object.entries(workflow.doc)) if (key !== 'jobs') scan('(workflow)', value);
  for (const [job, body] of jobs(workflow)) {
    scan(job, body);
    if (body.secrets === 'inherit') note(job, '(inherit)');
  }
  return found;
}

/** A1/A7: secrets only in the jobs designed to hold them, and only the ones designed. */
export function secretViolations(workflow: Workflow, allowed: Record<string, string[]>): string[] {
  const problems: string[] = [];
  for (const [where, names] of secretReferences(workflow))
    for (const name of names)
      if (!(allowed[where] ?? []).includes(name))
        problems.push(`${workflow.file}: ${where} reads secrets.${name}`);
  return problems;
}

/** Checkout must not leave the token in .git/config for later steps (and a local action after checkout). */
export function checkoutViolations(workflow: Workflow): string[] {
  const problems: string[] = [];
  for (const [job, body] of jobs(workflow)) {
    const jobSteps = (Array.isArray(body.steps) ? body.steps : []).filter(isRecord);
    let checkedOut = false;
    jobSteps.forEach((step, index) => {
      const uses = typeof step.uses === 'string' ? step.uses : '';
      if (uses.startsWith('actions/checkout@')) {
        checkedOut = true;
        const inputs = isRecord(step.with) ? step.with : {};
        if (inputs['persist-credentials'] !== false)
          problems.push(
            `${workflow.file}: job ${job} step ${index + 1} checks out without persist-credentials: false`,
          );
      }
      if (uses.startsWith('./') && !checkedOut)
        problems.push(`${workflow.file}: job ${job} step ${index + 1} uses ${uses} before any checkout`);
    });
  }
  return problems;
}

/** A SHA says nothing to a reviewer: each pin carries the release it is, `# vX.Y.Z` (what Dependabot updates). */
export function pinsWithoutVersionComment(text: string): string[] {
  return text
    .split('\n')
    .filter(
      (line) => /^\s*(?:-\s+)?uses:\s*[\w.-]+\/[\w./-]+@[0-9a-f]{40}\b/.test(line) && !/#\s*v\d/.test(line),
    )
    .map((line) => line.trim());
}
