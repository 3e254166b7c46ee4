/**
 * "Did you mean …?" for a misspelt key, enum value or roster handle: the closest candidate by edit
 * distance (insertions, deletions, substitutions and swaps of neighbours), ignoring case, if it is
 * close enough to be a likely typo.
 */
const MAX_COMPARED_LENGTH = 64;

export function editDistance(a: string, b: string): number {
  const s = a.slice(0, MAX_COMPARED_LENGTH);
  const t = b.slice(0, MAX_COMPARED_LENGTH);
  // Rows i-2, i-1 and i of the optimal-string-alignment table.
  let before: number[] = [];
  let previous = Array.from({ length: t.length + 1 }, (_, j) => j);
  for (let i = 1; i <= s.length; i++) {
    const current = [i];
    for (let j = 1; j <= t.length; j++) {
      const cost = s[i - 1] === t[j - 1] ? 0 : 1;
      let best = Math.min((previous[j] ?? 0) + 1, (current[j - 1] ?? 0) + 1, (previous[j - 1] ?? 0) + cost);
      if (i > 1 && j > 1 && s[i - 1] === t[j - 2] && s[i - 2] === t[j - 1]) {
        best = Math.min(best, (before[j - 2] ?? 0) + 1);
      }
      current.push(best);
    }
    before = previous;
    previous = current;
  }
  return previous[t.length] ?? 0;
}

export function closestMatch(word: string, candidates: Iterable<string>): string | null {
  const needle = word.toLowerCase();
  const tolerance = Math.max(1, Math.floor(needle.length / 3));
  let best: string | null = null;
  let bestDistance = Number.POSITIVE_INFINITY;
  for (const candidate of candidates) {
    const distance = editDistance(needle, candidate.toLowerCase());
    if (distance < bestDistance) {
      best = candidate;
      bestDistance = distance;
    }
  }
  return best !== null && bestDistance <= tolerance ? best : null;
}
