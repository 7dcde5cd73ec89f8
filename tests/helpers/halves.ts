import * as sn from '../../src/index.js';

/** Two separable classes of 1×4×4 images: bright top half (class 0) or bright bottom half (class 1), with noise from `seed`. */
export function halves(n: number, seed: number): sn.data.Dataset {
  sn.manualSeed(seed);
  const noise = sn.rand([n * 16]).toFloat32Array();
  const data = new Float32Array(n * 16);
  const labels = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    labels[i] = i % 2;
    for (let p = 0; p < 16; p++) {
      const top = p < 8;
      data[i * 16 + p] = (top === (labels[i] === 0) ? 1 : 0) + 0.5 * noise[i * 16 + p];
    }
  }
  return sn.data.createDataset({ data, shape: [n, 1, 4, 4] }, labels);
}
