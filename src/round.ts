/** Rounds to the nearest integer, ties to even: Python's `round`, wasm's `f64.nearest`. Exact in every engine. */
export function roundHalfEven(x: number): number {
  const r = Math.round(x); // ties go up
  return r - x === 0.5 && r % 2 !== 0 ? r - 1 : r;
}
