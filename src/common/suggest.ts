/**
 * suggest -- "did you mean get?": the nearest known word to a mistyped one.
 *
 * Policy: a suggestion is made only when it is close (at most two edits, and fewer edits than
 * half the word's length), so that a word nothing like any known one gets none rather than a
 * wild guess. Ties go to the first candidate, in the order given.
 */

/**
 * editDistance -- the edits between `a` and `b`: insertions, deletions, substitutions, and a
 * swap of two neighbours counted as one (`gte` is one edit from `get`, the commonest typo).
 */
export function editDistance(a: string, b: string): number {
  const d: number[][] = Array.from({length: a.length + 1}, (_, i) => Array.from({length: b.length + 1}, (_, j) => (i === 0 ? j : j === 0 ? i : 0)))
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      d[i][j] = Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1))
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1)
    }
  }
  return d[a.length][b.length]
}

/** closest -- the candidate nearest to `word`, or null when none is close enough to suggest. */
export function closest(word: string, candidates: Iterable<string>): string | null {
  let best: string | null = null
  let bestDistance = Number.POSITIVE_INFINITY
  for (const candidate of candidates) {
    const d = editDistance(word, candidate)
    if (d < bestDistance) {
      best = candidate
      bestDistance = d
    }
  }
  return best !== null && bestDistance <= 2 && bestDistance * 2 < Math.max(word.length, 2) ? best : null
}
