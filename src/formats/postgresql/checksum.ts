/**
 * checksum -- PostgreSQL's data page checksum (storage/checksum_impl.h, pg_checksum_page).
 *
 * The page is read as 32 parallel FNV-1a-like sums over 4-byte words (each sum starts from its
 * own base offset and mixes in one word per round: tmp = sum ^ word; sum = tmp * FNV_PRIME ^
 * (tmp >> 17)), then two rounds of zeros, then the sums are XORed together. pd_checksum itself
 * is taken as zero while summing, the block number is XORed in so that a page written to the
 * wrong place fails, and the result is reduced to 1..65535 (never zero, so zero can mean "none").
 * Words are read in the file's byte order, as the server that wrote the page read them.
 */

const N_SUMS = 32
const FNV_PRIME = 16777619
const BASE_OFFSETS = [
  0x5b1f36e9, 0xb8525960, 0x02ab50aa, 0x1de66d2a, 0x79ff467a, 0x9bb9f8a3, 0x217e7cd2, 0x83e13d2c, 0xf8d4474f, 0xe39eb970, 0x42c6ae16,
  0x993216fa, 0x7b093b5d, 0x98daff3c, 0xf718902a, 0x0b1c9cdb, 0xe58f764b, 0x187636bc, 0x5d7b3bb1, 0xe73de7de, 0x92bec979, 0xcca6c0b2,
  0x304a0979, 0x85aa43d4, 0x783125bb, 0x6ca8eaa2, 0xe407eac6, 0x4b5cfc3e, 0x9fbf8c76, 0x15ca20be, 0xf2ca9fd3, 0x959bd756,
]

/** Where pd_checksum lies in the page header. */
const PD_CHECKSUM = 8

function mix(sum: number, value: number): number {
  const tmp = (sum ^ value) >>> 0
  return (Math.imul(tmp, FNV_PRIME) ^ (tmp >>> 17)) >>> 0
}

/**
 * pgChecksumPage -- the checksum PostgreSQL would store in `page` as block `blkno`. The page's
 * length must be a multiple of 128 bytes (every BLCKSZ is).
 */
export function pgChecksumPage(page: Buffer, blkno: number, littleEndian = true): number {
  const sums = BASE_OFFSETS.slice()
  const rows = Math.floor(page.length / (4 * N_SUMS))
  for (let i = 0; i < rows; i++) {
    for (let j = 0; j < N_SUMS; j++) {
      const off = (i * N_SUMS + j) * 4
      // pd_checksum (bytes 8-9) counts as zero: it is half of word 2 of row 0
      let word = littleEndian ? page.readUInt32LE(off) : page.readUInt32BE(off)
      if (off === PD_CHECKSUM) word = littleEndian ? word & 0xffff0000 : word & 0x0000ffff
      sums[j] = mix(sums[j]!, word)
    }
  }
  for (let round = 0; round < 2; round++) for (let j = 0; j < N_SUMS; j++) sums[j] = mix(sums[j]!, 0)
  let result = 0
  for (const sum of sums) result = (result ^ sum) >>> 0
  result = (result ^ blkno) >>> 0
  return (result % 65535) + 1
}
