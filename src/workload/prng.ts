/**
 * prng -- the generators' source of randomness: xoshiro128** (Blackman & Vigna), its state
 * seeded from one 32-bit integer by splitmix32.
 *
 * Written out here rather than taken from a package so that a seed names the same trace
 * forever: a dependency's new version can never change a generated trace.
 */

/** Xoshiro128 -- xoshiro128** (Blackman & Vigna), state seeded from one integer by splitmix32. */
export class Xoshiro128 {
  private a: number
  private b: number
  private c: number
  private d: number

  constructor(seed: number) {
    let x = seed >>> 0
    const split = (): number => {
      x = (x + 0x9e3779b9) | 0
      let z = x
      z = Math.imul(z ^ (z >>> 16), 0x85ebca6b)
      z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35)
      return (z ^ (z >>> 16)) >>> 0
    }
    this.a = split()
    this.b = split()
    this.c = split()
    this.d = split()
    if ((this.a | this.b | this.c | this.d) === 0) this.a = 1
  }

  /** nextUint32 -- 32 random bits. */
  nextUint32(): number {
    const result = Math.imul(rotl(Math.imul(this.b, 5), 7), 9) >>> 0
    const t = this.b << 9
    this.c ^= this.a
    this.d ^= this.b
    this.b ^= this.c
    this.a ^= this.d
    this.c ^= t
    this.d = rotl(this.d, 11)
    return result
  }

  /** next -- a float in [0, 1). */
  next(): number {
    return this.nextUint32() / 4294967296
  }

  /** below -- an integer in [0, n), n <= 2^32, without modulo bias worth measuring (53-bit float scaling). */
  below(n: number): number {
    return Math.floor(((this.nextUint32() * 2097152 + (this.nextUint32() >>> 11)) / 9007199254740992) * n)
  }
}

function rotl(x: number, k: number): number {
  return (x << k) | (x >>> (32 - k))
}
