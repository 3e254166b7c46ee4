/**
 * The shapes a secret takes in text that leaves the process: as it is, URL-encoded (a quoted request URL),
 * base64 and base64url (an `Authorization: Basic` header, a token echoed back by a service, a cursor).
 * Inside a longer encoded value a secret's base64 depends on its byte alignment (three possibilities), so
 * each alignment's stable middle is a form of its own. Every form is both registered with the runner's
 * masking and redacted from what we write (log, journal, comment, summary): masking alone is best-effort.
 */

/** Shorter forms would redact ordinary words: the runner's own masker ignores very short values too. */
const MIN_FORM_LENGTH = 8;

function encodings(bytes: Buffer): string[] {
  return [bytes.toString('base64'), bytes.toString('base64url')];
}

export function secretForms(secret: string): string[] {
  const forms = new Set<string>([secret, encodeURIComponent(secret)]);
  for (const whole of encodings(Buffer.from(secret, 'utf8'))) {
    forms.add(whole);
    forms.add(whole.replace(/=+$/, ''));
  }
  // Aligned inside a longer value: prefix 0, 1 or 2 bytes; keep the characters that depend only on the
  // secret (drop the first 4 characters when prefixed, and the last 4, which its neighbours share).
  for (let offset = 0; offset < 3; offset += 1) {
    for (const encoded of encodings(Buffer.from(`${'\0'.repeat(offset)}${secret}`, 'utf8'))) {
      const core = encoded.replace(/=+$/, '').slice(offset === 0 ? 0 : 4, -4);
      forms.add(core);
    }
  }
  return [...forms].filter((form) => form.length >= MIN_FORM_LENGTH).sort((a, b) => b.length - a.length);
}

/** A function that replaces every form of every secret with `***` (longest forms first). */
export function createRedactor(secrets: readonly string[]): (text: string) => string {
  const forms = [...new Set(secrets.filter((s) => s.length >= 4).flatMap(secretForms))].sort(
    (a, b) => b.length - a.length,
  );
  // Secrets of 4–7 characters are still redacted as they are.
  const short = secrets.filter((s) => s.length >= 4 && s.length < MIN_FORM_LENGTH);
  const all = [...forms, ...short];
  return (text) => all.reduce((out, form) => (out.includes(form) ? out.split(form).join('***') : out), text);
}
