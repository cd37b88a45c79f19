/**
 * policies -- the replacement policies a pool can be opened with, by name.
 *
 *   lru    least recently used: BSD mpool's policy and the default
 *   fifo   first in, first out: hits change nothing (the policy of Belady's anomaly)
 *   clock  PostgreSQL's clock sweep over usage counts capped at 5
 *   lru-k  backward k-distance with k = 2, BusTub's rules
 *   arc    Megiddo & Modha's adaptive replacement cache, sized by maxcache
 *
 * Each may say why it chose a victim (Replacer.why, reasons.ts).
 */
import type {PolicyName, ReplacerFactory} from '../replacer.js'
import {ArcReplacer} from './arc.js'
import {ClockReplacer} from './clock.js'
import {FifoReplacer} from './fifo.js'
import {LruKReplacer} from './lru-k.js'
import {LruReplacer} from './lru.js'

export const POLICIES: Record<PolicyName, ReplacerFactory> = {
  lru: (capacity) => new LruReplacer(capacity),
  fifo: (capacity) => new FifoReplacer(capacity),
  clock: (capacity) => new ClockReplacer(capacity),
  'lru-k': (capacity) => new LruKReplacer(capacity, {k: 2}),
  arc: (capacity, maxcache) => new ArcReplacer(capacity, maxcache),
}

export const DEFAULT_POLICY: PolicyName = 'lru'

/** The policies this build has, in the order they are documented. */
export const POLICY_NAMES = Object.keys(POLICIES) as PolicyName[]

export function isPolicyName(name: string): name is PolicyName {
  return Object.hasOwn(POLICIES, name)
}
