/**
 * The two workflows `handover setup` writes into a team's on-call repository: this repository's own
 * .github/workflows/handover-pr.yml and handover-apply.yml (test/onboarding/setup.test.ts keeps them
 * equal), with `uses: ./` replaced by the released action pinned to its full commit SHA, and a doctor job
 * in the pull-request workflow.
 */
export function pullRequestWorkflow(action: string): string {
  const ACTION = action;
  return `# Checks a handover pull request before it can merge: the manifest is valid (annotations on its lines) and
# the plan shows what apply will do, what would be stranded, and whether the incoming admin has acknowledged
# (approved the final commit). Both jobs are required status checks (docs/adoption.md), so they run on EVERY
# pull request — no \`paths:\` filter, which would leave a required check pending forever on a pull request
# that does not touch handovers/ — and decide inside: with no manifest or config change they pass at once
# with "Nothing to check".
#
# Security: this workflow runs on \`pull_request\` only (never pull_request_target or workflow_run), so a
# pull request from a fork gets a read-only token and no secrets. The plan job reads the two READ-ONLY
# tokens below; without them (a fork) it fails with an explanation instead of planning half-blind.
name: handover-pr

on:
  pull_request:
  # An approval, or its dismissal, changes the acknowledgement: re-run the plan check.
  pull_request_review:
    types: [submitted, dismissed]

permissions:
  contents: read

# One check per pull request at a time; a newer push or review supersedes the older run.
concurrency:
  group: handover-pr-\${{ github.event.pull_request.number }}
  cancel-in-progress: true

jobs:
  validate:
    name: validate
    runs-on: ubuntu-latest
    timeout-minutes: 10
    permissions:
      contents: read
      pull-requests: read # which manifests the pull request adds or changes
    steps:
      - uses: actions/checkout@3d3c42e5aac5ba805825da76410c181273ba90b1 # v7.0.1
        with:
          persist-credentials: false
      - name: Validate the manifests
        uses: ${ACTION}
        with:
          command: validate

  plan:
    name: plan
    runs-on: ubuntu-latest
    timeout-minutes: 10
    permissions:
      contents: read
      pull-requests: write # the one sticky plan comment on the pull request
    steps:
      - uses: actions/checkout@3d3c42e5aac5ba805825da76410c181273ba90b1 # v7.0.1
        with:
          persist-credentials: false
      - name: Plan the handover and check the acknowledgement
        uses: ${ACTION}
        with:
          command: plan
          # Read-only keys: plan only reads PagerDuty and the platform API (docs/adoption.md).
          pagerduty-token: \${{ secrets.HANDOVER_PLAN_PAGERDUTY_TOKEN }}
          platform-token: \${{ secrets.HANDOVER_PLAN_PLATFORM_TOKEN }}

  # When the config changes, check its wiring with the tokens at hand (docs/adoption.md). The plan's
  # read-only keys cannot prove that apply may write: apply checks that itself before its first write.
  doctor:
    name: doctor
    runs-on: ubuntu-latest
    timeout-minutes: 10
    permissions:
      contents: read
      pull-requests: read
    steps:
      - uses: actions/checkout@3d3c42e5aac5ba805825da76410c181273ba90b1 # v7.0.1
        with:
          persist-credentials: false
          fetch-depth: 0
      - name: Did the config change?
        id: changed
        env:
          BASE: \${{ github.event.pull_request.base.sha }}
        run: |
          if git diff --quiet "$BASE" HEAD -- handover.config.yaml; then echo "config=false" >> "$GITHUB_OUTPUT"; else echo "config=true" >> "$GITHUB_OUTPUT"; fi
      - name: Install handover
        if: steps.changed.outputs.config == 'true'
        run: npm ci --no-audit --no-fund
      - name: Check the wiring
        if: steps.changed.outputs.config == 'true'
        env:
          PAGERDUTY_TOKEN: \${{ secrets.HANDOVER_PLAN_PAGERDUTY_TOKEN }}
          PLATFORM_TOKEN: \${{ secrets.HANDOVER_PLAN_PLATFORM_TOKEN }}
          SLACK_BOT_TOKEN: \${{ secrets.HANDOVER_DOCTOR_SLACK_BOT_TOKEN }}
          GITHUB_TOKEN: \${{ github.token }}
          GITHUB_REPOSITORY: \${{ github.repository }}
        run: npx --no-install handover doctor --read-only
`;
}

export function applyWorkflow(action: string): string {
  const ACTION = action;
  return `# Executes handovers once they are merged. The action refuses anything that did not arrive through a merged
# pull request adding only a manifest under handovers/ with the incoming admin's approval of its final commit,
# whatever branch protection allowed, and then applies EVERY merged manifest without a completed journal,
# oldest first: a run cancelled while pending (concurrency keeps one) is caught up by the next one. What is
# finished is read from the ledger (authenticated records, HANDOVER_LEDGER_KEY); a manifest merged before a
# newer handover that finished is held, and only a deliberate manual run executes it (docs/adoption.md).
name: handover-apply

on:
  push:
    branches: [main] # the default branch; the action checks the push against the repository's default
    paths:
      - "handovers/**"
  # The deliberate manual run of one held manifest: name it, and type its path again to confirm.
  workflow_dispatch:
    inputs:
      manifest:
        description: Path of the merged manifest to execute out of order (handovers/…/….yaml)
        required: true
        type: string
      confirm:
        description: The same path again, to confirm
        required: true
        type: string

permissions:
  contents: read

# One apply at a time, never cancelled half-way; GitHub keeps one pending run and drops older pending ones,
# which is why each run reconciles every unfinished manifest rather than only its own push.
concurrency:
  group: handover-apply
  cancel-in-progress: false

jobs:
  apply:
    name: apply
    runs-on: ubuntu-latest
    timeout-minutes: 30
    # The environment holds the write tokens; protect it (docs/adoption.md): deployment branch main only,
    # and optionally required reviewers with "prevent self-review".
    environment: handover
    permissions:
      contents: read # the checkout and its history
      pull-requests: write # the journal comment on each merged pull request
    steps:
      - uses: actions/checkout@3d3c42e5aac5ba805825da76410c181273ba90b1 # v7.0.1
        with:
          persist-credentials: false
          fetch-depth: 0 # the history of handovers/ tells which manifests were merged, and when
      - name: Apply merged handovers
        id: apply
        uses: ${ACTION}
        env:
          # The ledger's HMAC key: a secret of the handover environment only (docs/adoption.md).
          HANDOVER_LEDGER_KEY: \${{ secrets.HANDOVER_LEDGER_KEY }}
        with:
          command: apply
          pagerduty-token: \${{ secrets.PAGERDUTY_TOKEN }}
          slack-bot-token: \${{ secrets.SLACK_BOT_TOKEN }}
          platform-token: \${{ secrets.PLATFORM_TOKEN }}
      - name: Keep the journal
        if: \${{ always() && steps.apply.outputs.journal != '' }}
        uses: actions/upload-artifact@043fb46d1a93c77aae656e7c1c64a875d1fc6a0a # v7.0.1
        with:
          name: handover-journal-\${{ github.run_id }}-\${{ github.run_attempt }}
          path: \${{ steps.apply.outputs.journal }}
          if-no-files-found: error
          retention-days: 90
`;
}
