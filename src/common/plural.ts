/**
 * plural -- "1 byte", "2 bytes": a count and its noun, in the number the count asks for.
 * Messages say how many; a wrong plural ("cannot write 1 bytes") reads as a bug.
 */

/** counted -- `n` and `noun`, made plural with `pluralNoun` (default: noun + "s") unless n is 1. */
export function counted(n: number, noun: string, pluralNoun = `${noun}s`): string {
  return `${n} ${n === 1 ? noun : pluralNoun}`
}
