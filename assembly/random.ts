// Turns uniformly random u32 bits into standard normal f32 values, in place (Box–Muller).
// buf holds n u32 words on entry and n f32 values on exit; n may be odd (the last pair's second
// value is dropped). The bits come from the library's seeded generator; the transcendental maths
// runs here, in wasm, so every engine produces the same bits.
export function fillNormalFromBits(buf: usize, n: i32): void {
  for (let i = 0; i < n; i += 2) {
    const p = buf + (<usize>i << 2);
    // u1 in (0, 1]: never 0, so log(u1) is finite. u2 in [0, 1).
    const u1 = (<f64>load<u32>(p) + 1.0) / 4294967296.0;
    const u2 = i + 1 < n ? <f64>load<u32>(p, 4) / 4294967296.0 : 0.0;
    const r = Math.sqrt(-2.0 * Math.log(u1));
    const t = 2.0 * Math.PI * u2;
    store<f32>(p, <f32>(r * Math.cos(t)));
    if (i + 1 < n) store<f32>(p, <f32>(r * Math.sin(t)), 4);
  }
}
