import type { HandoverConfig } from '../../config/types.js';
import { shortSha } from '../../format.js';
import type { Handover } from '../../manifest/types.js';
import { PREPARE_BRANCH_PREFIX, prepareSettings } from '../../prepare/settings.js';
import type { GhPullFile, GhPullRequest, GhReview } from '../../providers/types.js';
import type { RuleId } from '../../rules/registry.js';
import { describeGitHubPerson, handleForGitHubLogin, rosterEntry, sameLogin } from '../people.js';

/**
 * The incoming admin's approval of the pull request's final commit is the acknowledgement of the
 * handover (runbook step 2; docs/design.md#the-acknowledgement). GitHub counts any writer's approval;
 * this check is stricter and runs at plan time and again at apply time.
 */
export interface AcknowledgementInput {
  handover: Handover;
  config: HandoverConfig;
  pull: GhPullRequest;
  reviews: GhReview[];
  files: GhPullFile[];
  /** Repo-relative, e.g. handovers/2026/x.yaml */
  manifestPath: string;
  /** GitHub logins that pushed the head commit to the pull request's branch (GitHubProvider.pushersOf). */
  headPushers: readonly string[];
}

export interface AcknowledgementProblem {
  /** Stable id, documented in docs/plan.md. */
  rule: RuleId;
  /** Says who must do what. */
  message: string;
}

export interface AcknowledgementResult {
  ok: boolean;
  /** Roster handle of the admin whose approval counts, or null. */
  approver: string | null;
  approvedSha: string | null;
  /**
   * The approver pushed the commit they approved. Refused except in an emergency, where the handover goes
   * ahead and this is recorded (journal, Slack thread): whoever is at hand may have to do both.
   */
  approverPushedHead: boolean;
  problems: AcknowledgementProblem[];
}

const HANDOVERS_DIR = 'handovers/';

/**
 * A pull request `handover prepare` opened for the outgoing admin (docs/prepare.md): authored by the
 * configured bot on one of prepare's branches, in a repository whose config sets prepare up. It stands in
 * for the outgoing admin's authorship only; the incoming admin's approval is required exactly as always.
 */
function openedByPrepare(config: HandoverConfig, pull: GhPullRequest): boolean {
  const settings = prepareSettings(config);
  return (
    settings !== null &&
    sameLogin(pull.author, settings.bot) &&
    pull.headRef.startsWith(PREPARE_BRANCH_PREFIX)
  );
}

/** Why an approval of one's own push stands in an emergency: said in the journal and the Slack thread. */
export const APPROVER_PUSHED_IN_EMERGENCY =
  'allowed only in an emergency, where whoever is at hand may have to write and approve the handover';

/** Repo paths from GitHub are POSIX; tolerate a leading `./` in ours. */
function normalisePath(path: string): string {
  return path.replace(/\\/g, '/').replace(/^\.\//, '');
}

/** "adds handovers/x.yaml", "removes …", "changes … (renamed)". */
function describeChange(status: GhPullFile['status'], name: string): string {
  if (status === 'added') return `adds ${name}`;
  if (status === 'removed') return `removes ${name}`;
  return `changes ${name} (${status})`;
}

function fileProblems(files: GhPullFile[], manifestPath: string): AcknowledgementProblem[] {
  const manifest = normalisePath(manifestPath);
  const problems: AcknowledgementProblem[] = [];
  let added = false;
  for (const file of files) {
    const name = normalisePath(file.filename);
    const previous = file.previousFilename === null ? null : normalisePath(file.previousFilename);
    if (!name.startsWith(HANDOVERS_DIR) || (previous !== null && !previous.startsWith(HANDOVERS_DIR))) {
      problems.push({
        rule: 'ack.file-outside-handovers',
        message: `the pull request changes ${previous && !previous.startsWith(HANDOVERS_DIR) ? previous : name} (${file.status}), outside handovers/: a handover pull request adds its manifest and nothing else; move that change to its own pull request`,
      });
    } else if (name === manifest && file.status === 'added') {
      added = true;
    } else if (name === manifest || previous === manifest) {
      problems.push({
        rule: 'ack.manifest-not-added',
        message: `${manifest} is ${file.status} in this pull request, not added: a handover manifest is written once; open a new handover with a new file instead of changing one`,
      });
    } else {
      problems.push({
        rule: 'ack.other-manifest',
        message: `the pull request also ${describeChange(file.status, name)}: one pull request carries exactly one new handover; move it to its own pull request`,
      });
    }
  }
  if (!added && !problems.some((problem) => problem.rule === 'ack.manifest-not-added'))
    problems.push({
      rule: 'ack.manifest-missing',
      message: `the pull request does not add ${manifest}: run plan on the manifest this pull request adds`,
    });
  return problems;
}

/**
 * Each reviewer's standing: the reviews after their last CHANGES_REQUESTED or DISMISSED decide.
 * COMMENTED and PENDING reviews change nothing (GitHub's own rule for the latest review state).
 */
interface Standing {
  login: string;
  /** Their latest decisive state. */
  state: 'APPROVED' | 'CHANGES_REQUESTED' | 'DISMISSED';
  /** APPROVED: the commits they approved since their last objection, newest last. */
  approvedCommits: string[];
}

function standings(reviews: GhReview[]): Standing[] {
  const byLogin = new Map<string, Standing>();
  for (const review of reviews) {
    if (review.user === null) continue; // a deleted account cannot acknowledge anything
    if (review.state !== 'APPROVED' && review.state !== 'CHANGES_REQUESTED' && review.state !== 'DISMISSED')
      continue;
    const key = review.user.toLowerCase();
    const standing = byLogin.get(key) ?? { login: review.user, state: review.state, approvedCommits: [] };
    if (review.state === 'APPROVED') {
      standing.state = 'APPROVED';
      standing.approvedCommits.push(review.commitId);
    } else {
      standing.state = review.state;
      standing.approvedCommits = [];
    }
    byLogin.set(key, standing);
  }
  return [...byLogin.values()];
}

function joinOr(items: string[]): string {
  if (items.length <= 1) return items.join('');
  return `${items.slice(0, -1).join(', ')} or ${items.at(-1)}`;
}

/** Why the expected approver's review does not count yet, in their own words. */
function approvalHint(standing: Standing | undefined, who: string, head: string): string {
  if (standing === undefined) return '';
  if (standing.state === 'CHANGES_REQUESTED') return ` (${who} requested changes)`;
  if (standing.state === 'DISMISSED') return ` (${who}'s approval was dismissed)`;
  const last = standing.approvedCommits.at(-1);
  return last && last !== head ? ` (${who} approved ${shortSha(last)}, an earlier commit)` : '';
}

/**
 * Decides whether the pull request carries the acknowledgement. Pure. Rules: the final commit is
 * `pull.headSha`; an approval counts only from the expected approver (the incoming admin; in an
 * emergency any roster admin but the outgoing), on the head commit, not withdrawn later, and not by
 * the pull request's author. The author is the outgoing admin (emergency: any roster admin).
 */
export function evaluateAcknowledgement(input: AcknowledgementInput): AcknowledgementResult {
  const { handover, config, pull, reviews, files, manifestPath } = input;
  const head = pull.headSha;
  const emergency = handover.variant === 'emergency';
  const problems: AcknowledgementProblem[] = fileProblems(files, manifestPath);

  const outgoingLogin = rosterEntry(config, handover.outgoing)?.github;
  const authorHandle = handleForGitHubLogin(config, pull.author);
  if (
    emergency
      ? authorHandle === undefined
      : !sameLogin(pull.author, outgoingLogin) && !openedByPrepare(config, pull)
  ) {
    problems.push({
      rule: 'ack.author',
      message: emergency
        ? `the pull request was opened by ${pull.author}, who is not in the roster: a roster admin must open the emergency handover`
        : `the pull request was opened by ${pull.author}, not ${describeGitHubPerson(config, handover.outgoing)}: ${handover.outgoing} must open the handover pull request`,
    });
  }

  const candidates = emergency
    ? Object.keys(config.roster).filter((handle) => handle !== handover.outgoing)
    : [handover.incoming];
  // The author cannot acknowledge their own handover, whoever they are.
  const eligible = candidates.filter(
    (handle) => !sameLogin(rosterEntry(config, handle)?.github, pull.author),
  );
  const standingByLogin = new Map(standings(reviews).map((s) => [s.login.toLowerCase(), s]));
  const standingOf = (handle: string) => {
    const login = rosterEntry(config, handle)?.github;
    return login === undefined ? undefined : standingByLogin.get(login.toLowerCase());
  };
  const approvedHead = (handle: string) => {
    const standing = standingOf(handle);
    return standing?.state === 'APPROVED' && standing.approvedCommits.includes(head);
  };
  // Prefer the incoming admin when several eligible admins approved.
  const approver =
    [...eligible]
      .sort((a, b) => Number(b === handover.incoming) - Number(a === handover.incoming))
      .find(approvedHead) ?? null;

  if (approver === null) {
    const people = eligible.map((handle) => describeGitHubPerson(config, handle));
    const who = emergency
      ? people.length > 0
        ? `an admin other than ${handover.outgoing} (${joinOr(people)})`
        : `an admin other than ${handover.outgoing} and the author`
      : (people[0] ?? describeGitHubPerson(config, handover.incoming));
    const hint = emergency ? '' : approvalHint(standingOf(handover.incoming), handover.incoming, head);
    const notes: string[] = [];
    if (standingOf(handover.outgoing)?.state === 'APPROVED')
      notes.push(`${handover.outgoing}'s own approval does not count`);
    const others = standings(reviews)
      .filter((s) => s.state === 'APPROVED')
      .map((s) => s.login)
      .filter(
        (login) =>
          !sameLogin(login, outgoingLogin) &&
          !eligible.some((h) => sameLogin(rosterEntry(config, h)?.github, login)),
      );
    if (others.length > 0) notes.push(`approval by ${others.join(', ')} does not count`);
    const selfAuthored = !emergency && eligible.length === 0;
    problems.push({
      rule: 'ack.approval-missing',
      message: selfAuthored
        ? `${describeGitHubPerson(config, handover.incoming)} opened this pull request and cannot approve it: ${handover.outgoing} must open the handover pull request for ${handover.incoming} to approve`
        : `${who} must approve commit ${shortSha(head)}, the pull request's head${hint}${notes.length > 0 ? `; ${notes.join('; ')}` : ''}`,
    });
  }

  const approverPushedHead = approver !== null && pushedByApprover(input, approver, problems);

  return {
    ok: problems.length === 0,
    approver,
    approvedSha: approver === null ? null : head,
    approverPushedHead,
    problems,
  };
}

/**
 * Who acknowledged is not who pushed: an approval of a commit the approver pushed themselves (say, bob
 * edits alice's manifest and approves his own edit) acknowledges nothing. Adds the refusal outside an
 * emergency; returns whether the approver pushed the head.
 */
function pushedByApprover(
  input: AcknowledgementInput,
  approver: string,
  problems: AcknowledgementProblem[],
): boolean {
  const { handover, config, pull, headPushers } = input;
  const emergency = handover.variant === 'emergency';
  const head = shortSha(pull.headSha);
  if (headPushers.length === 0) {
    if (!emergency)
      problems.push({
        rule: 'ack.pusher-unknown',
        message: `GitHub lists no push of commit ${head} to branch ${pull.headRef}, so who wrote the approved commit cannot be told: push the handover branch to this repository (not a fork) and ask for the approval again`,
      });
    return false;
  }
  const login = rosterEntry(config, approver)?.github;
  const pushed = headPushers.some((pusher) => sameLogin(pusher, login));
  if (pushed && !emergency)
    problems.push({
      rule: 'ack.approver-pushed',
      message: `${describeGitHubPerson(config, approver)} pushed commit ${head} and approved it: an approval of one's own change is no acknowledgement; ${handover.outgoing} pushes the handover's final commit and ${approver} approves it`,
    });
  return pushed;
}
