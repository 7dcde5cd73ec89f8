// What every bundle of the test app computes, in the page, in a worker and in Node: a seeded small
// CNN's forward pass on a fixed input, as plain numbers. Node and Chromium give the same bits with the
// portable kernels (useDeterministicAlgorithms), which the pass pins: the default relaxed-SIMD kernels
// are loaded by the page's ready() (a chunk of their own), not by a worker that starts synchronously.

/** A small CNN initialised from `seed`. */
export function makeModel(sn, seed) {
  sn.manualSeed(seed);
  return new sn.nn.Sequential(
    new sn.nn.Conv2d(1, 4, 3, { padding: 1 }), new sn.nn.ReLU(), new sn.nn.MaxPool2d(2),
    new sn.nn.Flatten(), new sn.nn.Linear(4 * 4 * 4, 3), new sn.nn.Softmax(1),
  );
}

/** The model's output for a fixed 8 × 8 image, as an array of numbers. */
export function forwardPass(sn, model = makeModel(sn, 7)) {
  const image = sn.tensor(Array.from({ length: 64 }, (_, i) => (i % 9) / 4 - 1), [1, 1, 8, 8]);
  sn.useDeterministicAlgorithms(true);
  try {
    return Array.from(sn.noGrad(() => model.eval().forward(image)).toFloat32Array());
  } finally {
    sn.useDeterministicAlgorithms(false);
  }
}
