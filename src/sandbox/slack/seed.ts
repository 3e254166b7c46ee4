import { SEED_ADMINS, SEED_IDS } from '../roster.js';
import { emptySlackState, formatTs, SANDBOX_BOT, type SlackState, type SlackStoredMessage } from './model.js';

const MINUTE_MICROS = 60_000_000;

/**
 * The seed workspace: the platform-ops channel with the last hour's chatter from alice, bob and
 * dana (one thread, one reaction), so the emergency digest ("the channel's last hour") has
 * something real to read. Times are relative to the sandbox clock at seeding.
 */
export function seedSlackState(now: Date): SlackState {
  const state = emptySlackState();
  state.channels.push({ id: SEED_IDS.slackChannel, name: SEED_IDS.slackChannelName });
  state.channels.push({ id: 'C0GENERAL1', name: 'general' });
  for (const admin of Object.values(SEED_ADMINS)) {
    state.users.push({
      id: admin.slack,
      name: admin.handle,
      realName: admin.name,
      email: admin.email,
      isBot: false,
    });
  }
  state.users.push({
    id: SANDBOX_BOT.userId,
    name: SANDBOX_BOT.name,
    realName: 'Handover',
    email: 'handover-bot@novavms.example',
    isBot: true,
  });

  const nowMicros = now.getTime() * 1000;
  const at = (minutesAgo: number) => formatTs(nowMicros - minutesAgo * MINUTE_MICROS);
  const message = (
    minutesAgo: number,
    user: string,
    text: string,
    threadTs: string | null = null,
  ): SlackStoredMessage => ({
    channel: SEED_IDS.slackChannel,
    ts: at(minutesAgo),
    user,
    botId: null,
    text,
    threadTs,
    metadata: null,
    reactions: [],
    flags: {},
    editedTs: null,
  });
  const { alice, bob, dana } = SEED_ADMINS;
  const threadParent = at(31);
  state.messages.push(
    message(
      58,
      alice.slack,
      'Rolling the eu-west read-replica pool change (50 → 80 connections) to replica 2 now.',
    ),
    message(44, bob.slack, 'billing-v2-ledger is holding at 25%, error rate 0.42%. Next ramp is tomorrow.'),
    message(31, dana.slack, 'Is anyone on the EU API p99 alert? Customers on SUP-4411 are asking.'),
    message(
      28,
      alice.slack,
      "Yes, I'm on it: pool exhaustion on the eu-west replicas. Watching p99 after the 15:40 change.",
      threadParent,
    ),
    message(
      22,
      dana.slack,
      "Thanks. I'll tell the customer we're waiting on them for the HAR file.",
      threadParent,
    ),
    message(9, alice.slack, 'Handing over to bob at 16:00; the manifest pull request is up for review.'),
  );
  state.messages[state.messages.length - 1]!.reactions.push({ name: 'eyes', users: [bob.slack] });
  state.lastTsMicros = nowMicros - 9 * MINUTE_MICROS;
  return state;
}
