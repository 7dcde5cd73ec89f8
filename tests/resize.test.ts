import { describe, expect, it } from 'vitest';
import { imageToPlanes } from '../src/data/resize.js';
import cases from './fixtures/resize.json';

describe('image resize (imageFolder, loadImage)', () => {
  it.each(cases.map((c) => [`${c.height}×${c.width} → ${c.outH}×${c.outW}${c.grayscale ? ' grey' : ''}`, c] as const))(
    'agrees with PIL\'s antialiased bilinear resize within one byte step: %s', (_, c) => {
      const planes = imageToPlanes({ width: c.width, height: c.height, rgba: Uint8Array.from(c.rgba) }, c.outH, c.outW, c.grayscale);
      expect(planes).toHaveLength(c.expected.length);
      const worst = Math.max(...Array.from(planes, (v, i) => Math.abs(v * 255 - c.expected[i])));
      expect(worst).toBeLessThanOrEqual(1);
    });

  it('keeps a solid colour exactly and scales bytes to [0, 1]', () => {
    const rgba = new Uint8Array(6 * 5 * 4).map((_, i) => [51, 102, 255, 7][i % 4]);
    const planes = imageToPlanes({ width: 6, height: 5, rgba }, 3, 2, false);
    expect(Array.from(planes.subarray(0, 6))).toEqual(Array(6).fill(Math.fround(51 / 255)));
    expect(planes[6]).toBeCloseTo(0.4, 6);
    expect(planes[17]).toBe(1);
  });
});
