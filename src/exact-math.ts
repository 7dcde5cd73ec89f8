// Transcendental maths for values that decide bits on the wasm backend but are computed in
// TypeScript (learning rates, initialisation gains): built from IEEE +, −, ×, / and sqrt only, so
// every JavaScript engine gives the same bits (Math.cos, Math.pow … need not; see
// tests/determinism.test.ts, which forbids them outside the ts backend).

/**
 * base^exponent for an integer exponent in [0, 2^31), by repeated squaring: only IEEE multiplications.
 * Exact for exponent 0 and 1, correctly rounded for 2.
 */
export function power(base: number, exponent: number): number {
  let result = 1;
  for (let b = base, e = exponent; e > 0; e >>>= 1, b *= b) {
    if (e & 1) result *= b;
  }
  return result;
}

/** π rounded to f64 (Python's math.pi). */
export const PI = 3.141592653589793;

// cos(x): FreeBSD/musl's fdlibm algorithm (error below 1 ulp), which agrees with glibc's — and so
// with Python's math.cos — in all but rare last-bit cases. Arguments reduce modulo π/2 with
// fdlibm's three-round Cody–Waite reduction, accurate for |x| < 2^20·π/2 ≈ 1.6e6; larger
// arguments take the same steps (still the same bits everywhere, less accurate).

const C1 = 4.16666666666666019037e-02;
const C2 = -1.38888888888741095749e-03;
const C3 = 2.48015872894767294178e-05;
const C4 = -2.75573143513906633035e-07;
const C5 = 2.08757232129817482790e-09;
const C6 = -1.13596475577881948265e-11;
const S1 = -1.66666666666666324348e-01;
const S2 = 8.33333333332248946124e-03;
const S3 = -1.98412698298579493134e-04;
const S4 = 2.75573137070700676789e-06;
const S5 = -2.50507602534068634195e-08;
const S6 = 1.58969099521155010221e-10;
const TO_INT = 6755399441055744; // 1.5·2^52: x + TO_INT − TO_INT rounds x to an integer
const INV_PIO2 = 6.36619772367581382433e-01;
const PIO2_1 = 1.57079632673412561417e+00;
const PIO2_1T = 6.07710050650619224932e-11;
const PIO2_2 = 6.07710050630396597660e-11;
const PIO2_2T = 2.02226624879595063154e-21;
const PIO2_3 = 2.02226624871116645580e-21;
const PIO2_3T = 8.47842766036889956997e-32;
const PIO4 = 0.7853981633974483;

const bits = new DataView(new ArrayBuffer(8));

/** The biased exponent of a double (its bits 52…62). */
function exponentOf(x: number): number {
  bits.setFloat64(0, x);
  return (bits.getUint32(0) >>> 20) & 0x7ff;
}

/** cos(x + y) for |x| ≤ π/4, y a tail below an ulp of x. */
function kernelCos(x: number, y: number): number {
  const z = x * x;
  const w = z * z;
  const r = z * (C1 + z * (C2 + z * C3)) + w * w * (C4 + z * (C5 + z * C6));
  const hz = 0.5 * z;
  const v = 1.0 - hz;
  return v + (((1.0 - v) - hz) + (z * r - x * y));
}

/** sin(x + y) for |x| ≤ π/4, y a tail below an ulp of x. */
function kernelSin(x: number, y: number): number {
  const z = x * x;
  const w = z * z;
  const r = S2 + z * (S3 + z * S4) + z * w * (S5 + z * S6);
  const v = z * x;
  return x - ((z * (0.5 * y - v * r) - y) - v * S1);
}

/** cos(x) in f64, the same bits in every engine. */
export function cos(x: number): number {
  if (!Number.isFinite(x)) return NaN;
  const ax = Math.abs(x);
  // |x| ≲ π/4 (fdlibm compares the high word: below 0x3fe921fc00000000) needs no reduction.
  if (ax < 0.7853984832763672) return ax < 1.0536709282860102e-8 ? 1.0 : kernelCos(x, 0);
  // x = n·π/2 + (y0 + y1), with fn = n rounded to an integer.
  let fn = x * INV_PIO2 + TO_INT - TO_INT;
  let r = x - fn * PIO2_1;
  let w = fn * PIO2_1T;
  if (r - w < -PIO4) {
    fn -= 1;
    r = x - fn * PIO2_1;
    w = fn * PIO2_1T;
  } else if (r - w > PIO4) {
    fn += 1;
    r = x - fn * PIO2_1;
    w = fn * PIO2_1T;
  }
  let y0 = r - w;
  const ex = exponentOf(x);
  if (ex - exponentOf(y0) > 16) { // cancellation: a second round, good to 118 bits
    let t = r;
    w = fn * PIO2_2;
    r = t - w;
    w = fn * PIO2_2T - ((t - r) - w);
    y0 = r - w;
    if (ex - exponentOf(y0) > 33) { // a third, good to 151 bits
      t = r;
      w = fn * PIO2_3;
      r = t - w;
      w = fn * PIO2_3T - ((t - r) - w);
      y0 = r - w;
    }
  }
  const y1 = (r - y0) - w;
  const quadrant = ((fn % 4) + 4) % 4;
  switch (quadrant) {
    case 0: return kernelCos(y0, y1);
    case 1: return -kernelSin(y0, y1);
    case 2: return -kernelCos(y0, y1);
    default: return kernelSin(y0, y1);
  }
}
