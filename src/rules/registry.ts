/**
 * Every rule and finding id the tool reports — by `validate`, by `plan`, by the acknowledgement check
 * and by the action's push check — with what each means. One registry, `as const`: `RuleId` is the
 * union of its ids, so a diagnostic or finding naming an id that is not here does not compile, and
 * docs/reference/rules.md is generated from it (`npm run docs`). test/manifest/registry.test.ts keeps
 * the validation rules in step with the checks (every id the corpus reports is listed, and every
 * listed id is hit).
 */

/** A rule of `handover validate`: what it checks, an example of the mistake and its fix. */
export interface RuleDoc {
  id: string;
  /** Which file the rule checks. */
  appliesTo: 'manifest' | 'config' | 'both';
  severity: 'error' | 'warning';
  /** One line: what the rule checks. */
  summary: string;
  /** YAML that breaks the rule. */
  example: string;
  /** The same YAML, fixed, or what to do. */
  fix: string;
}

export const VALIDATION_RULES = [
  // ---- the file and its YAML
  {
    id: 'text.encoding',
    appliesTo: 'both',
    severity: 'error',
    summary: 'The file is UTF-8 text.',
    example: '(a file saved as UTF-16 or Latin-1)',
    fix: 'Save the file as UTF-8.',
  },
  {
    id: 'text.control-character',
    appliesTo: 'both',
    severity: 'error',
    summary:
      'No control or invisible characters (NUL, ESC, bidi overrides such as U+202E, zero-width spaces).',
    example: 'outgoing: adm\u202Ein',
    fix: 'outgoing: alice   # retyped without the invisible character',
  },
  {
    id: 'yaml.too-large',
    appliesTo: 'both',
    severity: 'error',
    summary:
      'The file is at most 1 MiB and 250,000 YAML tokens; a mapping has at most 256 keys and a list at most 5,000 entries (checked before parsing).',
    example: '(a 5 MB file)',
    fix: 'Keep one handover per file; split a handover larger than the schema allows into two manifests.',
  },
  {
    id: 'yaml.too-deep',
    appliesTo: 'both',
    severity: 'error',
    summary: 'Nesting is at most 32 levels deep (checked before parsing).',
    example: 'incidents: [[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]',
    fix: 'incidents: []',
  },
  {
    id: 'yaml.syntax',
    appliesTo: 'both',
    severity: 'error',
    summary: 'The file is well-formed YAML.',
    example: 'nextAction: Watch p99: fail over if high',
    fix: "nextAction: 'Watch p99: fail over if high'",
  },
  {
    id: 'yaml.tab-indent',
    appliesTo: 'both',
    severity: 'error',
    summary: 'Indentation uses spaces, never tabs.',
    example: 'window:\n\tend: 2026-11-26T18:00:00Z',
    fix: 'window:\n  end: 2026-11-26T18:00:00Z',
  },
  {
    id: 'yaml.duplicate-key',
    appliesTo: 'both',
    severity: 'error',
    summary: 'A key appears at most once in a mapping (a second one would silently win).',
    example: 'incoming: bob\nincoming: dana',
    fix: 'incoming: dana',
  },
  {
    id: 'yaml.alias',
    appliesTo: 'both',
    severity: 'error',
    summary: 'No anchors (`&a`) or aliases (`*a`): they hide content and enable "billion laughs" expansion.',
    example: 'outgoing: &who alice\noutage: { incident: Q9OUTAGE00001, lead: *who }',
    fix: 'outgoing: alice\noutage: { incident: Q9OUTAGE00001, lead: alice }',
  },
  {
    id: 'yaml.tag',
    appliesTo: 'both',
    severity: 'error',
    summary: 'No explicit tags (`!!binary`, `!!str`, `!custom`).',
    example: 'id: !!str 2026-11-26-alice-to-bob',
    fix: 'id: 2026-11-26-alice-to-bob',
  },
  {
    id: 'yaml.directive',
    appliesTo: 'both',
    severity: 'error',
    summary: 'No directives (`%YAML`, `%TAG`): files are always read as YAML 1.2 core.',
    example: '%YAML 1.1\n---\napiVersion: handover/v1',
    fix: 'apiVersion: handover/v1',
  },
  {
    id: 'yaml.multiple-documents',
    appliesTo: 'both',
    severity: 'error',
    summary: 'One YAML document per file.',
    example: 'apiVersion: handover/v1\n---\napiVersion: handover/v1',
    fix: 'Put each handover in its own file.',
  },
  {
    id: 'yaml.empty',
    appliesTo: 'both',
    severity: 'error',
    summary: 'The file contains a document.',
    example: '# nothing but a comment',
    fix: 'apiVersion: handover/v1\nkind: Handover\n…',
  },
  // ---- the schema
  {
    id: 'schema.unknown-key',
    appliesTo: 'both',
    severity: 'error',
    summary: 'Every key is one the schema defines: a typo must not be silently ignored.',
    example: 'status:\n  lastActon: Raised pool size to 80.',
    fix: 'status:\n  lastAction: Raised pool size to 80.',
  },
  {
    id: 'schema.required',
    appliesTo: 'both',
    severity: 'error',
    summary: 'Every required key is present.',
    example: 'window:\n  start: 2026-11-26T16:00:00Z',
    fix: 'window:\n  start: 2026-11-26T16:00:00Z\n  end: 2026-11-26T18:00:00Z',
  },
  {
    id: 'schema.type',
    appliesTo: 'both',
    severity: 'error',
    summary:
      'Each value has the right type (text, number, list, mapping); YAML 1.2 core decides what is text.',
    example: 'flag: 0777',
    fix: "flag: '0777'",
  },
  {
    id: 'schema.enum',
    appliesTo: 'both',
    severity: 'error',
    summary:
      'Values with a fixed set of choices use one of them (variant, reason, disposition, state, cause).',
    example: 'disposition: TODO',
    fix: 'disposition: waiting_on_customer',
  },
  {
    id: 'schema.const',
    appliesTo: 'manifest',
    severity: 'error',
    summary: '`apiVersion` is `handover/v1` and `kind` is `Handover`.',
    example: 'apiVersion: handover/v2',
    fix: 'apiVersion: handover/v1',
  },
  {
    id: 'schema.pattern',
    appliesTo: 'both',
    severity: 'error',
    summary:
      'Ids have their ASCII form: PagerDuty ids, ticket ids like SUP-4411, flags, roster handles, Slack ids.',
    example: 'tickets:\n  - id: sup 4411',
    fix: 'tickets:\n  - id: SUP-4411',
  },
  {
    id: 'schema.length',
    appliesTo: 'both',
    severity: 'error',
    summary: 'Text is not empty where it must be written, and within its maximum length.',
    example: "hypothesis: ''",
    fix: 'hypothesis: Connection pool exhaustion on the eu-west read replicas.',
  },
  {
    id: 'schema.items',
    appliesTo: 'manifest',
    severity: 'error',
    summary: 'Lists stay within their maximum length (2,500 incidents, 2,500 tickets, 1,000 rollouts).',
    example: 'incidents: (2,501 entries)',
    fix: 'Split the handover, or close stale incidents first.',
  },
  {
    id: 'schema.range',
    appliesTo: 'both',
    severity: 'error',
    summary: 'Numbers are within their range.',
    example: '(a number outside its allowed range)',
    fix: '(a number inside it)',
  },
  {
    id: 'schema.entries',
    appliesTo: 'config',
    severity: 'error',
    summary: 'The roster has at least one admin and at most 200.',
    example: 'roster: {}',
    fix: 'roster:\n  alice: { github: alice-nv, pagerduty: PUSR001, slack: U0ALICE, email: alice@novavms.example, tracker: alice }',
  },
  {
    id: 'schema.invalid',
    appliesTo: 'both',
    severity: 'error',
    summary: 'Any other schema violation.',
    example: '(a value the schema rejects)',
    fix: '(what the message says to write)',
  },
  {
    id: 'schema.more-errors',
    appliesTo: 'both',
    severity: 'error',
    summary: 'More than 20 schema errors in one file: the rest are summarised in one line.',
    example: '(a file with many schema errors)',
    fix: 'Fix the errors shown and validate again.',
  },
  // ---- the manifest's rules (docs/design.md#the-manifest)
  {
    id: 'id.matches-file',
    appliesTo: 'manifest',
    severity: 'error',
    summary: '`id` equals the file name without `.yaml`.',
    example: '# handovers/2026/2026-11-26-alice-to-bob.yaml\nid: 2026-11-27-alice-to-bob',
    fix: 'id: 2026-11-26-alice-to-bob',
  },
  {
    id: 'unique.incident',
    appliesTo: 'manifest',
    severity: 'error',
    summary: 'Each incident id is listed once.',
    example: 'incidents:\n  - id: Q1ABCDEF12345\n  - id: Q1ABCDEF12345',
    fix: 'incidents:\n  - id: Q1ABCDEF12345',
  },
  {
    id: 'unique.ticket',
    appliesTo: 'manifest',
    severity: 'error',
    summary: 'Each ticket id is listed once.',
    example: 'tickets:\n  - { id: SUP-4411, disposition: active }\n  - { id: SUP-4411, disposition: active }',
    fix: 'tickets:\n  - { id: SUP-4411, disposition: active }',
  },
  {
    id: 'unique.rollout',
    appliesTo: 'manifest',
    severity: 'error',
    summary: 'Each rollout flag is listed once.',
    example: 'rollouts:\n  - flag: billing-v2-ledger\n    …\n  - flag: billing-v2-ledger\n    …',
    fix: 'rollouts:\n  - flag: billing-v2-ledger\n    …',
  },
  {
    id: 'roster.unknown-handle',
    appliesTo: 'manifest',
    severity: 'error',
    summary: '`outgoing`, `incoming` and `outage.lead` are handles in the roster of handover.config.yaml.',
    example: 'incoming: bobb',
    fix: 'incoming: bob',
  },
  {
    id: 'roster.same-admin',
    appliesTo: 'manifest',
    severity: 'error',
    summary: '`outgoing` and `incoming` are different admins.',
    example: 'outgoing: alice\nincoming: alice',
    fix: 'outgoing: alice\nincoming: bob',
  },
  {
    id: 'outage.lead',
    appliesTo: 'manifest',
    severity: 'error',
    summary:
      '`outage.lead` is the outgoing or the incoming admin (the senior admin leads, the other shadows).',
    example: 'outgoing: alice\nincoming: bob\noutage: { incident: Q9OUTAGE00001, lead: dana }',
    fix: 'outage: { incident: Q9OUTAGE00001, lead: alice }',
  },
  {
    id: 'variant.block',
    appliesTo: 'manifest',
    severity: 'error',
    summary: '`emergency` is present exactly for variant emergency, `outage` exactly for mid-shift-outage.',
    example: 'variant: emergency',
    fix: 'variant: emergency\nemergency:\n  cause: incapacitated',
  },
  {
    id: 'window.date',
    appliesTo: 'manifest',
    severity: 'error',
    summary: 'Window instants are real dates and times.',
    example: 'end: 2026-02-30T18:00:00Z',
    fix: 'end: 2026-03-02T18:00:00Z',
  },
  {
    id: 'window.start-required',
    appliesTo: 'manifest',
    severity: 'error',
    summary: 'Only an emergency may omit `window.start` (it then means now).',
    example: 'variant: planned\nwindow:\n  end: 2026-11-26T18:00:00Z',
    fix: 'window:\n  start: 2026-11-26T16:00:00Z\n  end: 2026-11-26T18:00:00Z',
  },
  {
    id: 'window.order',
    appliesTo: 'manifest',
    severity: 'error',
    summary: '`window.end` is after `window.start`.',
    example: 'window:\n  start: 2026-11-26T18:00:00Z\n  end: 2026-11-26T16:00:00Z',
    fix: 'window:\n  start: 2026-11-26T16:00:00Z\n  end: 2026-11-26T18:00:00Z',
  },
  {
    id: 'window.min-overlap',
    appliesTo: 'manifest',
    severity: 'error',
    summary: "Planned and weekly-rotation windows are at least 2 hours long (the runbook's overlap).",
    example: 'variant: planned\nwindow:\n  start: 2026-11-26T16:00:00Z\n  end: 2026-11-26T17:00:00Z',
    fix: 'window:\n  start: 2026-11-26T16:00:00Z\n  end: 2026-11-26T18:00:00Z',
  },
  {
    id: 'window.past',
    appliesTo: 'manifest',
    severity: 'warning',
    summary: 'A warning when the window has already ended (validation never fails because of the clock).',
    example: 'window:\n  start: 2020-01-01T16:00:00Z\n  end: 2020-01-01T18:00:00Z',
    fix: 'Move the window forward if the handover is still to be applied.',
  },
  {
    id: 'status.required',
    appliesTo: 'manifest',
    severity: 'error',
    summary:
      'Every incident has a status with hypothesis, lastAction and nextAction (an emergency may omit status).',
    example: 'incidents:\n  - id: Q1ABCDEF12345',
    fix: 'incidents:\n  - id: Q1ABCDEF12345\n    status:\n      hypothesis: …\n      lastAction: …\n      nextAction: …',
  },
  {
    id: 'status.prose',
    appliesTo: 'manifest',
    severity: 'error',
    summary: 'Each status part is a sentence of at least 3 words.',
    example: 'nextAction: watch',
    fix: 'nextAction: Watch p99 for 30 minutes; if still high, fail over to replica 3.',
  },
  {
    id: 'status.placeholder',
    appliesTo: 'manifest',
    severity: 'error',
    summary: 'No status part is a placeholder: TODO, TBD, FIXME, `<…>` anywhere, or just `???`, `n/a`, `-`.',
    example: 'hypothesis: "TODO: current hypothesis"',
    fix: 'hypothesis: Connection pool exhaustion on the eu-west read replicas.',
  },
  {
    id: 'ticket.engineering-issue',
    appliesTo: 'manifest',
    severity: 'error',
    summary:
      'A ticket waiting on engineering names its issue as a URL or `owner/repo#N` (a warning if another disposition names one).',
    example: '- id: SUP-4420\n  disposition: waiting_on_engineering',
    fix: '- id: SUP-4420\n  disposition: waiting_on_engineering\n  engineeringIssue: novavms/platform#812',
  },
  {
    id: 'rollout.range',
    appliesTo: 'manifest',
    severity: 'error',
    summary: '`rampPercent` and `lastErrorRatePercent` are between 0 and 100.',
    example: 'rampPercent: 250',
    fix: 'rampPercent: 25',
  },
  {
    id: 'rollout.prose',
    appliesTo: 'manifest',
    severity: 'error',
    summary: '`nextStep` is a sentence of at least 3 words, not a placeholder.',
    example: 'nextStep: TODO',
    fix: 'nextStep: Ramp to 50% on 2026-11-27 if the error rate stays under 0.5%.',
  },
  {
    id: 'secret.credential',
    appliesTo: 'both',
    severity: 'error',
    summary:
      'Nothing looks like a credential (Slack, GitHub, GitLab, AWS, PagerDuty tokens, JWTs, private keys, bearer tokens, long hex keys), nor sits under a key named like token/secret/password.',
    example: 'impersonationToken: xoxp-1234-5678-abcdefgh',
    fix: 'impersonationSession: imp_01HZX3   # the session id; tokens are per-human and never handed over',
  },
  // ---- the config's rules (docs/design.md#the-config)
  {
    id: 'roster.duplicate-identity',
    appliesTo: 'config',
    severity: 'error',
    summary: 'No two roster admins share a GitHub login, PagerDuty id, Slack id, email or tracker handle.',
    example: 'alice: { …, pagerduty: PUSR001, … }\nbob: { …, pagerduty: PUSR001, … }',
    fix: 'bob: { …, pagerduty: PUSR002, … }',
  },
  {
    id: 'config.insecure-url',
    appliesTo: 'config',
    severity: 'error',
    summary: '`platform.url` uses https (plain http only for a loopback sandbox).',
    example: 'platform:\n  url: http://admin.novavms.example/api/v1',
    fix: 'platform:\n  url: https://admin.novavms.example/api/v1',
  },
] as const satisfies readonly RuleDoc[];

/** A finding of `handover plan` against live state (docs/plan.md says what each means for apply). */
export interface FindingDoc {
  id: string;
  /** `error`, `warning`, `info`, or `info / warning` when the situation decides. */
  severity: string;
  when: string;
}

export const PLAN_FINDINGS = [
  {
    id: 'incident.omitted',
    severity: 'error',
    when: 'an open incident of the service assigned to the outgoing admin is not in the manifest',
  },
  {
    id: 'incident.not-outgoing',
    severity: 'info / warning',
    when: 'an open incident of the service assigned to someone else is not part of this handover (info); a _listed_ incident is assigned to someone else — apply still reassigns it (warning)',
  },
  {
    id: 'incident.resolved',
    severity: 'warning',
    when: 'a listed incident is already resolved: apply skips it',
  },
  {
    id: 'incident.unknown',
    severity: 'warning',
    when: 'PagerDuty does not know a listed incident: apply skips it',
  },
  { id: 'incident.other-service', severity: 'warning', when: 'a listed incident belongs to another service' },
  {
    id: 'incident.by-number',
    severity: 'error',
    when: 'a listed incident (or `outage.incident`) is named by its PagerDuty incident number, not its id: apply refuses before its first write; write the id the message gives',
  },
  {
    id: 'ticket.omitted',
    severity: 'error',
    when: 'a pinned open/pending ticket of the outgoing admin is not in the manifest',
  },
  { id: 'ticket.closed', severity: 'warning', when: 'a listed ticket is closed: apply skips it' },
  { id: 'ticket.unknown', severity: 'warning', when: 'the tracker does not know a listed ticket' },
  { id: 'ticket.not-outgoing', severity: 'warning', when: 'a listed ticket is assigned to someone else' },
  {
    id: 'session.unlisted',
    severity: 'error',
    when: 'the outgoing admin has an open impersonation session on a listed ticket that the manifest does not list. Apply ends it anyway before the ticket moves (impersonation tokens are per-human), but the handover should say so: list it on its ticket',
  },
  {
    id: 'session.not-open',
    severity: 'warning',
    when: "a listed session is not an open session of the outgoing admin: ended → apply records it as already done; someone else's or unknown → apply refuses to move the ticket",
  },
  { id: 'session.other-ticket', severity: 'warning', when: 'a listed session was opened on another ticket' },
  {
    id: 'session.left-open',
    severity: 'info / warning',
    when: 'an open session on no ticket of this handover stays open; a warning when the reason is `departure`',
  },
  {
    id: 'session.ended-compromised',
    severity: 'info',
    when: 'emergency with cause `compromised`: apply ends every open session',
  },
  {
    id: 'rollout.omitted',
    severity: 'error',
    when: 'a rollout in `ramping` or `paused` state is not in the manifest — whoever owns it: rollouts are team-wide, and every rollout in flight is annotated at each handover',
  },
  {
    id: 'rollout.finished',
    severity: 'warning',
    when: 'a listed rollout is complete or rolled back: apply skips it',
  },
  { id: 'rollout.unknown', severity: 'warning', when: 'the flag console does not know a listed flag' },
  {
    id: 'rollout.drift',
    severity: 'warning',
    when: "the live state, ramp or error rate differs from the manifest's annotation (error rates within 0.005 percentage points count as equal)",
  },
  { id: 'window.ended', severity: 'error', when: 'the window ended before now: no override can cover it' },
  {
    id: 'window.rotation-covers',
    severity: 'info',
    when: 'weekly rotation: auto-rotation already puts the incoming admin on call for the whole window, no override needed',
  },
  {
    id: 'window.rotation-gap',
    severity: 'warning',
    when: 'weekly rotation: it does not, an override will be made',
  },
  {
    id: 'window.override-exists',
    severity: 'info',
    when: "an override already makes the incoming admin primary for the window — it covers the window, and no other admin's override overlaps it, or the on-call API shows the incoming admin on call throughout: apply makes no second one",
  },
  {
    id: 'window.override-superseded',
    severity: 'warning',
    when: "an override of the incoming admin covers the window, but a newer override of another admin takes part of it (PagerDuty's newest override wins; the on-call API shows who is on call): apply makes a new override",
  },
  {
    id: 'outage.unresolved',
    severity: 'error',
    when: 'mid-shift outage: the outage incident is still open; apply would defer (exit 3)',
  },
  {
    id: 'outage.resolved',
    severity: 'info',
    when: 'mid-shift outage: the outage is resolved, the handover can go ahead',
  },
  { id: 'outage.unknown', severity: 'warning', when: 'PagerDuty does not know the outage incident' },
  {
    id: 'permission.slack-scope',
    severity: 'error',
    when: "the Slack app's bot token lacks a scope apply's Slack steps use (`chat:write`, `channels:history`): apply would stop before its first write (checked when plan has `SLACK_BOT_TOKEN`)",
  },
  {
    id: 'permission.slack-membership',
    severity: 'error',
    when: 'the Slack app is not a member of the configured channel (or, without `channels:read`, membership cannot be told): apply would stop before its first write (checked when plan has `SLACK_BOT_TOKEN`)',
  },
  {
    id: 'permission.pagerduty-key',
    severity: 'error',
    when: "apply's PagerDuty key (`PAGERDUTY_TOKEN`) is read-only. Reported by apply's preflight only: plan runs with its own read-only key and cannot see apply's",
  },
  {
    id: 'permission.pagerduty-role',
    severity: 'error',
    when: "a `From` user of apply's PagerDuty writes (the outgoing or incoming admin's roster email) is unknown to PagerDuty or has a role that may not act on incidents (observer, read-only, restricted access): apply would stop before its first write",
  },
  {
    id: 'permission.platform-scope',
    severity: 'error',
    when: "the platform token lacks a scope this handover's platform calls need (`tickets:write`, `impersonation:write`, `rollouts:write`, their reads, `audit:read` for a departure), as the API's `X-Token-Scopes` names them: apply would stop before its first write. Plan reports it when its own token may write anything (a read-only plan token says nothing about apply's)",
  },
] as const satisfies readonly FindingDoc[];

/** A reason the acknowledgement is refused (plan exits 1; apply refuses to run). */
export interface RefusalDoc {
  id: string;
  /** When the rule refuses. */
  when: string;
}

export const ACKNOWLEDGEMENT_RULES = [
  {
    id: 'ack.approval-missing',
    when: "no counting approval. A review counts only if its user is the expected approver's GitHub login (the incoming admin; in an emergency any roster admin other than the outgoing), its state is `APPROVED` on the head commit (`pull.headSha`), and that user has not since requested changes or had the approval dismissed (each user's reviews are read in order; `COMMENTED` and `PENDING` change nothing). The outgoing admin's approval never counts, nor the author's own. The message names the person and the commit: `bob (bob-nv) must approve commit abc1234, the pull request's head (bob approved 0001111, an earlier commit)`",
  },
  {
    id: 'ack.author',
    when: 'the pull request was not opened by the outgoing admin, nor by the handover prepare bot on a handover/prepare/* branch (docs/prepare.md) (emergency: by someone outside the roster)',
  },
  {
    id: 'ack.approver-pushed',
    when: "the approving admin pushed the approved head commit themselves (GitHub's repository activity for the pull request's branch names them): an acknowledgement of one's own change is no acknowledgement. Not a refusal in an emergency, where it is recorded in the journal and the Slack thread",
  },
  {
    id: 'ack.pusher-unknown',
    when: "GitHub's repository activity lists no push of the head commit to the pull request's branch (for example a branch of a fork), so who wrote the approved commit cannot be told: push the handover branch to the on-call repository itself",
  },
  { id: 'ack.manifest-not-added', when: 'the manifest is modified, removed or renamed instead of added' },
  { id: 'ack.manifest-missing', when: 'the pull request does not add this manifest' },
  { id: 'ack.other-manifest', when: 'it also adds or changes another file under `handovers/`' },
  {
    id: 'ack.file-outside-handovers',
    when: 'it changes anything outside `handovers/` (also a rename out of it)',
  },
] as const satisfies readonly RefusalDoc[];

/** Why the action refuses to apply a push to the default branch (docs/adoption.md). */
export const PUSH_RULES = [
  {
    id: 'push.not-default-branch',
    when: 'the push is not to the default branch: handovers are applied only from it',
  },
  {
    id: 'push.not-from-pull-request',
    when: 'the pushed commit is not the merge commit of a merged pull request into the default branch: it was pushed directly',
  },
  {
    id: 'push.file-outside-handovers',
    when: 'the merged pull request changed a file outside `handovers/` (also a rename out of it)',
  },
  {
    id: 'push.manifest-not-added',
    when: 'the merged pull request modified, removed or renamed a manifest instead of adding one',
  },
] as const satisfies readonly RefusalDoc[];

export type ValidationRuleId = (typeof VALIDATION_RULES)[number]['id'];
export type PlanFindingId = (typeof PLAN_FINDINGS)[number]['id'];
export type AcknowledgementRuleId = (typeof ACKNOWLEDGEMENT_RULES)[number]['id'];
export type PushRuleId = (typeof PUSH_RULES)[number]['id'];
/** Every id the tool can report. */
export type RuleId = ValidationRuleId | PlanFindingId | AcknowledgementRuleId | PushRuleId;

export function ruleDoc(id: string): RuleDoc | undefined {
  return (VALIDATION_RULES as readonly RuleDoc[]).find((rule) => rule.id === id);
}
