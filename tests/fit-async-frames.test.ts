// fitAsync on a page's main thread: frames keep coming while it trains (a responsiveness check,
// not a speed check). Chromium only: Node has no frames.
import { describe, expect, it } from 'vitest';
import * as sn from '../src/index.js';

const inBrowser = typeof requestAnimationFrame === 'function';

/** Runs `train` while requestAnimationFrame callbacks record the gaps between frames; returns the longest gap and the frame count. */
async function framesDuring(train: () => unknown): Promise<{ longestGap: number; frames: number; seconds: number }> {
  let longestGap = 0;
  let frames = 0;
  let last = performance.now();
  let running = true;
  const frame = (now: number) => {
    longestGap = Math.max(longestGap, now - last);
    last = now;
    frames++;
    if (running) requestAnimationFrame(frame);
  };
  await new Promise((resolve) => requestAnimationFrame(resolve)); // start on a frame boundary
  last = performance.now();
  requestAnimationFrame(frame);
  const start = performance.now();
  await train();
  const seconds = (performance.now() - start) / 1000;
  longestGap = Math.max(longestGap, performance.now() - last);
  running = false;
  return { longestGap, frames, seconds };
}

/** A LeNet-sized CNN for 32×32 RGB images and random data to train it on. */
function setup(samples: number) {
  sn.manualSeed(0);
  const { Sequential, Conv2d, ReLU, MaxPool2d, Flatten, Linear } = sn.nn;
  const model = new Sequential(new Conv2d(3, 8, 5), new ReLU(), new MaxPool2d(2), new Conv2d(8, 16, 5), new ReLU(), new MaxPool2d(2), new Flatten(), new Linear(400, 10));
  const train = new sn.data.TensorDataset(sn.rand([samples, 3, 32, 32]), Array.from({ length: samples }, (_, i) => i % 10));
  return { model, options: { train, epochs: 1, batchSize: 32, optimizer: new sn.optim.Adam(model.parameters()) } };
}

describe.runIf(inBrowser)('fitAsync on a page', () => {
  it('keeps frames flowing while it trains (longest gap between animation frames under 250 ms)', async () => {
    const { model, options } = setup(2048);
    const run = await framesDuring(() => sn.fitAsync(model, { ...options, validation: options.train }));
    console.log(`fitAsync: ${run.seconds.toFixed(2)} s of training, ${run.frames} frames, longest gap ${run.longestGap.toFixed(1)} ms`);
    expect(run.seconds).toBeGreaterThan(0.3); // long enough for a gap to show
    expect(run.longestGap).toBeLessThan(250);
  });

  it('while fit, which never yields, holds the frames back for the whole run (the check above can fail)', async () => {
    const { model, options } = setup(512);
    const run = await framesDuring(() => sn.fit(model, options));
    console.log(`fit: ${run.seconds.toFixed(2)} s of training, longest gap ${run.longestGap.toFixed(1)} ms`);
    expect(run.longestGap).toBeGreaterThanOrEqual(run.seconds * 1000 * 0.9);
  });
});
