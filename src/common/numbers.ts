/**
 * numbers -- whole numbers on the command line: decimal or 0x hex, in a stated range.
 * Kept free of oclif so that the fast one-shot path (fast-dump.ts) can use it too.
 */
import {usageError} from './exit-status.js'

/**
 * parseWhole -- a whole number written in decimal or as 0x hex, from `min` to `max`; anything
 * else is a usage error (exit 2) naming `what`.
 */
export function parseWhole(input: string, what: string, min: number, max: number): number {
  const text = input.trim()
  const value = /^\d+$/.test(text) ? Number(text) : /^0x[0-9a-f]+$/i.test(text) ? Number.parseInt(text.slice(2), 16) : Number.NaN
  if (!Number.isSafeInteger(value) || value < min || value > max) {
    throw usageError(`${what} must be a whole number from ${min} to ${max} (decimal or 0x hex), not ${JSON.stringify(input)}`)
  }
  return value
}
