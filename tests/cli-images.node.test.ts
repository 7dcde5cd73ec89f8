// `simdnn train --data` on a generated 3-class image folder, then `simdnn predict` with the saved
// checkpoint; and the messages for bad paths and wrong files.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { main } from '../src/cli/main.js';
import * as sn from '../src/index.js';
import { randomValues } from './helpers/data.js';
import { encodeJpeg, encodePng, writeBytes, type Picture } from './helpers/images.js';

const root = mkdtempSync(join(tmpdir(), 'simdnn-cli-images-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

async function run(argv: string[]): Promise<{ status: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const log = vi.spyOn(console, 'log').mockImplementation((...a) => void (out += `${a.join(' ')}\n`));
  const error = vi.spyOn(console, 'error').mockImplementation((...a) => void (err += `${a.join(' ')}\n`));
  const write = vi.spyOn(process.stdout, 'write').mockImplementation((s) => ((out += String(s)), true));
  try {
    return { status: await main(argv), out, err };
  } finally {
    for (const spy of [log, error, write]) spy.mockRestore();
  }
}

/**
 * Image `i` of a class, 40×40: a disc, horizontal bars or a cross at a random place and size, in a
 * random bright colour on a random dark background, with pixel noise.
 */
function shape(kind: 'disc' | 'bars' | 'cross', i: number): Picture {
  const [cx, cy, size, r, g, b, br, bg, bb] = Array.from(randomValues(9, 1000 * ['disc', 'bars', 'cross'].indexOf(kind) + i), (v) => (v + 1) / 2);
  const noise = randomValues(40 * 40, 7 + i);
  const [x0, y0, s] = [12 + 16 * cx, 12 + 16 * cy, 7 + 6 * size];
  const inside = (x: number, y: number) => {
    if (kind === 'disc') return (x - x0) ** 2 + (y - y0) ** 2 < s * s;
    if (kind === 'bars') return Math.abs(y - y0) < s && Math.floor(y / 3) % 2 === 0;
    return (Math.abs(x - x0) < 2.5 && Math.abs(y - y0) < s) || (Math.abs(y - y0) < 2.5 && Math.abs(x - x0) < s);
  };
  const byte = (v: number) => Math.max(0, Math.min(255, Math.round(v)));
  return {
    width: 40, height: 40,
    pixel: (x, y) => {
      const n = 30 * noise[y * 40 + x];
      return inside(x, y) ? [byte(150 + 100 * r + n), byte(150 + 100 * g + n), byte(150 + 100 * b + n), 255] : [byte(90 * br + n), byte(90 * bg + n), byte(90 * bb + n), 255];
    },
  };
}

const data = join(root, 'shapes');
const checkpoint = join(root, 'shapes.safetensors');
const testImage = (kind: string) => join(data, 'test', kind, `${kind}-0.${kind === 'bars' ? 'jpg' : 'png'}`);

beforeAll(() => {
  for (const kind of ['disc', 'bars', 'cross'] as const) {
    for (const [split, count, offset] of [['train', 60, 0], ['test', 20, 500]] as const) {
      for (let i = 0; i < count; i++) {
        const picture = shape(kind, offset + i);
        // Both formats in every class: even images PNG, odd JPEG (and every test 'bars' image JPEG).
        const jpeg = (i % 2 === 1) || (split === 'test' && kind === 'bars');
        writeBytes(join(data, split, kind, `${kind}-${i}.${jpeg ? 'jpg' : 'png'}`), jpeg ? encodeJpeg(picture, 90) : encodePng(picture));
      }
    }
  }
}, 60_000);

describe('simdnn train --data and simdnn predict', () => {
  it('trains on the folder to ≥ 95 % test accuracy in a few epochs and saves the best epoch with its classes and input size', async () => {
    const { status, out, err } = await run(['train', '--data', data, '--size', '32x32', '--epochs', '6', '--batch-size', '16', '--seed', '1', '--augment', '--scheduler', 'onecycle', '--lr', '0.005', '--save', checkpoint]);
    expect(err).toBe('');
    expect(status).toBe(0);
    expect(out).toContain(`on ${data} (3 classes, 60 test images from its split folders)`);
    const accuracy = Number(/test accuracy (\d+\.\d\d)%/.exec(out)?.[1]);
    expect(accuracy).toBeGreaterThanOrEqual(95);
    expect(out).toMatch(/best epoch \d \(test accuracy \d+\.\d\d%\) saved to /);
    const bytes = new Uint8Array((await import('node:fs')).readFileSync(checkpoint));
    const { metadata } = sn.io.readSafetensorsHeader(bytes);
    expect(JSON.parse(metadata.classes)).toEqual(['bars', 'cross', 'disc']);
    expect(JSON.parse(metadata.input_shape)).toEqual([3, 32, 32]);
    expect(metadata.model).toBe('default');
  }, 120_000);

  it('predicts the right class of an image of each class, printing the classes by probability', async () => {
    const { status, out, err } = await run(['predict', '--load', checkpoint, testImage('disc'), testImage('bars'), testImage('cross')]);
    expect(err).toBe('');
    expect(status).toBe(0);
    const blocks = out.trim().split(/\n(?=\S)/);
    expect(blocks).toHaveLength(3);
    for (const [block, kind] of blocks.map((b, i) => [b, ['disc', 'bars', 'cross'][i]] as const)) {
      const [name, ...rows] = block.split('\n');
      expect(name).toBe(testImage(kind));
      expect(rows).toHaveLength(3); // top 5, of 3 classes
      expect(rows[0].trim().split(/\s+/)[0]).toBe(kind);
      const percents = rows.map((row) => Number(/(\d+\.\d\d)%$/.exec(row)?.[1]));
      expect(percents[0]).toBeGreaterThan(50);
      expect(percents).toEqual([...percents].sort((a, b) => b - a));
      expect(percents.reduce((a, b) => a + b)).toBeCloseTo(100, 0);
    }
  });
});

describe('simdnn train and predict refuse bad paths and wrong files with status 2', () => {
  const notSafetensors = join(root, 'picture.safetensors');
  const plainWeights = join(root, 'plain.safetensors');
  beforeAll(async () => {
    writeFileSync(notSafetensors, encodePng(shape('disc', 0)));
    await sn.io.save(sn.models.createModel('lenet'), plainWeights);
  });

  it.each([
    [['train', '--data', join(root, 'nowhere')], `imageFolder: cannot read the folder ${join(root, 'nowhere')}: no such folder`],
    [['train', '--data', data, '--size', '32by32'], "--size must be HxW (e.g. 32x32) or one number, got '32by32'"],
    [['train', '--size', '16x16'], '--size and --grayscale apply to --data'],
    [['train', '--data', data, '--scheduler', 'linear'], "--scheduler must be one of step, cosine, onecycle, got 'linear'"],
    [['predict', testImage('disc')], 'predict needs --load MODEL.safetensors'],
    [['predict', '--load', join(root, 'missing.safetensors'), testImage('disc')], `cannot read ${join(root, 'missing.safetensors')}: ENOENT`],
    [['predict', '--load', notSafetensors, testImage('disc')], `${notSafetensors} is not a safetensors file: `],
    [['predict', '--load', plainWeights, testImage('disc')], `${plainWeights} does not describe a model for simdnn predict (no 'model'; no 'classes'; no 'input_shape'; no 'mean'; no 'std')`],
    [['predict', '--load', checkpoint, join(root, 'missing.png')], `loadImage: cannot load ${join(root, 'missing.png')}: ENOENT`],
    [['predict', '--load', checkpoint, notSafetensors.replace('.safetensors', '.txt')], 'loadImage: cannot load'],
  ])('%j', async (argv, message) => {
    const { status, err } = await run(argv);
    expect(err).toContain(message);
    expect(status).toBe(2);
    expect(err).not.toContain('    at ');
  });
});
