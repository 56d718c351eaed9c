/** The nearest-rank quantile `q` (0–1) of the values, or 0 when there are none. Sorts `values` in place. */
export function quantile(values: Float64Array, q: number): number {
  if (values.length === 0) return 0;
  values.sort();
  const rank = Math.min(values.length, Math.max(1, Math.ceil(q * values.length)));
  return values[rank - 1]!;
}
