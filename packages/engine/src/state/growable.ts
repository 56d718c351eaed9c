type NumericArray = Float64Array | Float32Array | Int32Array | Uint32Array | Uint16Array | Uint8Array;

/**
 * Returns `array` when it already holds `minLength` elements, otherwise a copy at least twice as long (new
 * elements filled with `fill`), so per-id arrays grow in amortised O(1).
 */
export function grown<T extends NumericArray>(array: T, minLength: number, fill = 0): T {
  if (array.length >= minLength) return array;
  const next = new (array.constructor as new (length: number) => T)(
    Math.max(minLength, array.length * 2, 16),
  );
  next.set(array);
  if (fill !== 0) next.fill(fill, array.length);
  return next;
}
