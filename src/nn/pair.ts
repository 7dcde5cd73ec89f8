/** A spatial option given as one number or `[h, w]`, as `[h, w]`. */
export function pair(v: number | readonly [number, number]): [number, number] {
  return typeof v === 'number' ? [v, v] : [v[0], v[1]];
}
