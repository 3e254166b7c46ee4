/**
 * The ledger key: an HMAC key that exists only as a secret of the protected `handover` environment, which
 * only the apply job can read (after its required reviewers allow it). Without it apply does nothing: a
 * run that cannot verify the ledger cannot tell a finished handover from a pending one.
 */
export const LEDGER_KEY_VARIABLE = 'HANDOVER_LEDGER_KEY';

/** 32 characters: at least 128 bits even when the key is hex. */
const MIN_LENGTH = 32;

export function readLedgerKey(env: NodeJS.ProcessEnv): string | { problem: string } {
  const key = env[LEDGER_KEY_VARIABLE]?.trim() ?? '';
  if (key.length === 0)
    return {
      problem: `${LEDGER_KEY_VARIABLE} is not set: add it as a secret of the handover environment and pass it to the apply step (docs/adoption.md, "The ledger"); nothing was applied`,
    };
  if (key.length < MIN_LENGTH)
    return {
      problem: `${LEDGER_KEY_VARIABLE} is shorter than ${MIN_LENGTH} characters: generate one with \`openssl rand -hex 32\` (docs/adoption.md); nothing was applied`,
    };
  return key;
}
