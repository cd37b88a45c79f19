/*
 * policies -- the replacement policies a pool can be opened with, by name.
 */
import type {PolicyName, ReplacerFactory} from '../replacer.js'
import {LruReplacer} from './lru.js'

export const POLICIES: Partial<Record<PolicyName, ReplacerFactory>> = {
  lru: (capacity) => new LruReplacer(capacity),
}

export const DEFAULT_POLICY: PolicyName = 'lru'

/** The policies this build has, in the order they are documented. */
export const POLICY_NAMES = Object.keys(POLICIES) as PolicyName[]

export function isPolicyName(name: string): name is PolicyName {
  return Object.hasOwn(POLICIES, name)
}
