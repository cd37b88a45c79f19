/**
 * typed -- growing the typed arrays that frame tables and replacers keep their state in.
 */

type TypedArray = Int8Array | Uint8Array | Int32Array | Uint32Array | Float64Array

/** widened -- a copy of `array`, `length` long, its new tail filled with `fill` (a typed array's own zero by default). */
export function widened<T extends TypedArray>(array: T, length: number, fill = 0): T {
  const out = new (array.constructor as new (length: number) => T)(length)
  out.set(array)
  if (fill !== 0) out.fill(fill, array.length)
  return out
}
