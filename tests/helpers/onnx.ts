import * as sn from '../../src/index.js';
import gelunet from '../fixtures/onnx/gelunet.json';
import lenet from '../fixtures/onnx/lenet.json';
import mobilenet from '../fixtures/onnx/mobilenet.json';
import resnet from '../fixtures/onnx/resnet.json';
import viewnet from '../fixtures/onnx/viewnet.json';

/** A model exported by PyTorch 1.13 with its outputs and fine-tuned state (tests/fixtures/make_onnx_fixtures.py). */
export type OnnxFixture = typeof lenet;

/** The five PyTorch fixtures by name. */
export const ONNX_FIXTURES: Record<'lenet' | 'resnet' | 'mobilenet' | 'viewnet' | 'gelunet', OnnxFixture> = { lenet, resnet, mobilenet, viewnet, gelunet };

/** Bytes from base64 (in Node and in browsers). */
export function fromBase64(text: string): Uint8Array {
  return Uint8Array.from(atob(text), (c) => c.charCodeAt(0));
}

/** A fixture's ONNX file. */
export function onnxBytes(fixture: OnnxFixture): Uint8Array {
  return fromBase64(fixture.onnxBase64);
}

/** A tensor from a fixture's { shape, values }. */
export function fixtureTensor(t: { shape: number[]; values: number[] }): sn.Tensor {
  return sn.tensor(t.values, t.shape);
}
