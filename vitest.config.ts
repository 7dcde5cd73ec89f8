import { defineConfig } from 'vitest/config';
import type { BrowserCommand } from 'vitest/node';
import { playwright } from '@vitest/browser-playwright';

// vitest 5 reports failures with Map.groupBy, which Node 20 lacks (Node 21 added it): without
// this, a failing test crashes the reporter instead of being printed.
if (!('groupBy' in Map)) {
  Object.defineProperty(Map, 'groupBy', {
    value<K, V>(items: Iterable<V>, key: (item: V, index: number) => K): Map<K, V[]> {
      const groups = new Map<K, V[]>();
      let index = 0;
      for (const item of items) {
        const k = key(item, index++);
        const group = groups.get(k);
        if (group) group.push(item); else groups.set(k, [item]);
      }
      return groups;
    },
  });
}

// The same test files run in Node and in headless Debian Chromium (never a downloaded browser).
const chromiumArgs = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync'];

// The CI machine has 2 cores shared by both projects: slow tests (the ts oracle on large shapes)
// get room, while a hang still fails.
const testTimeout = 60_000;

/**
 * A browser command that runs the seeded training of tests/helpers/seeded-training.ts in this Node
 * process on `threads` threads, with the portable kernels when `deterministic` (otherwise the default,
 * relaxed-SIMD ones), so the browser test can compare its bits with Node's from the same checkout.
 */
const nodeTrainingHashes: BrowserCommand<[threads: number, deterministic?: boolean]> = async ({ project }, threads, deterministic = false) => {
  const { seededTrainingOnThreads } = await project.import<typeof import('./tests/helpers/seeded-training.js')>('/tests/helpers/seeded-training.ts');
  return seededTrainingOnThreads(threads, deterministic);
};

/**
 * Headers that make the browser tests' pages cross-origin isolated, so wasm memory can be shared with
 * workers and the tests run threaded (issue #9): every response vitest's Vite server sends carries them.
 */
const crossOriginIsolation = {
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Embedder-Policy': 'require-corp',
};

export default defineConfig({
  test: {
    projects: [
      { test: { name: 'node', environment: 'node', include: ['tests/**/*.test.ts'], testTimeout } },
      {
        server: { headers: crossOriginIsolation },
        test: {
          name: 'browser',
          testTimeout,
          include: ['tests/**/*.test.ts'],
          exclude: ['tests/**/*.node.test.ts'],
          browser: {
            enabled: true,
            headless: true,
            provider: playwright({ launchOptions: { executablePath: '/usr/bin/chromium', args: chromiumArgs } }),
            instances: [{ browser: 'chromium' }],
            commands: { nodeTrainingHashes },
          },
        },
      },
    ],
  },
});
