import { runBackward, type GradNode } from './autograd.js';
import type { Backend, Storage } from './backend/index.js';
import { SimdnnError, formatShape } from './errors.js';
import { checkShape } from './shape.js';
import * as reduceOps from './ops/reduce.js';
import * as shapeOps from './ops/shape-ops.js';
import * as layoutOps from './ops/layout.js';

/** Nested arrays of numbers, as `toArray()` returns and `tensor()` accepts. */
export type NestedArray = number | NestedArray[];

/**
 * An n-dimensional array of f32 values, stored dense and row-major (C order) on one backend.
 * Activations are NCHW, conv weights `[out, in, kH, kW]`, linear weights `[out, in]`.
 */
export class Tensor {
  /** The size of each dimension. */
  readonly shape: readonly number[];
  /** The number of elements. */
  readonly size: number;
  /** @internal The backend that owns `storage`. */
  readonly backend: Backend;
  /** @internal The backend's buffer of `size` floats. */
  readonly storage: Storage;
  /** dL/d(this), accumulated by `backward()` on leaves that require grad. */
  grad: Tensor | undefined;
  /** @internal The op that produced this tensor, while its graph is alive. */
  gradFn: GradNode | undefined;
  /**
   * @internal An intermediate no user code can hold (e.g. between two layers of a Sequential):
   * `backward()` releases its storage once the graph is done with it.
   */
  releaseAfterBackward = false;
  #requiresGrad = false;

  /** @internal Use `sn.tensor`, `sn.zeros` and friends to make tensors. */
  constructor(storage: Storage, shape: readonly number[], backend: Backend) {
    const size = checkShape(shape, 'Tensor');
    if (size !== storage.length) {
      throw new SimdnnError(`Tensor: shape ${formatShape(shape)} holds ${size} values but the storage has ${storage.length}`);
    }
    this.shape = Object.freeze([...shape]);
    this.size = size;
    this.backend = backend;
    this.storage = storage;
  }

  /** Whether gradients flow to this tensor: set it on leaves (parameters); ops propagate it. */
  get requiresGrad(): boolean {
    return this.#requiresGrad || this.gradFn !== undefined;
  }
  set requiresGrad(value: boolean) {
    if (this.gradFn && !value) throw new SimdnnError(`requiresGrad: cannot turn off gradients of a non-leaf tensor (produced by ${this.gradFn.name}); use detach()`);
    this.#requiresGrad = value;
  }

  /** True for tensors not produced by a recorded op (inputs and parameters). */
  get isLeaf(): boolean {
    return this.gradFn === undefined;
  }

  /**
   * Computes dL/dx for every leaf x this tensor depends on, accumulating into `x.grad`. `gradient`
   * is required unless the tensor has one element. The graph is freed afterwards.
   */
  backward(gradient?: Tensor): void {
    runBackward(this, gradient);
  }

  /** The same values, cut from the graph (shares storage; no gradient flows through it). */
  detach(): Tensor {
    return new Tensor(this.storage, this.shape, this.backend);
  }

  /** The number of dimensions. */
  get ndim(): number {
    return this.shape.length;
  }

  /** A copy of the values, row-major. */
  toFloat32Array(): Float32Array {
    return this.backend.read(this.storage);
  }

  /** The values as nested arrays following the shape (a plain number for a 0-d tensor). */
  toArray(): NestedArray {
    const values = this.toFloat32Array();
    const build = (dim: number, offset: number): NestedArray => {
      if (dim === this.shape.length) return values[offset];
      const stride = this.shape.slice(dim + 1).reduce((a, b) => a * b, 1);
      return Array.from({ length: this.shape[dim] }, (_, i) => build(dim + 1, offset + i * stride));
    };
    return build(0, 0);
  }

  /** The value of a one-element tensor. */
  item(): number {
    if (this.size !== 1) throw new SimdnnError(`item: tensor of shape ${formatShape(this.shape)} has ${this.size} values, not 1`);
    return this.toFloat32Array()[0];
  }

  /** Sum of all values, or along `dim` (negative counts from the end); `keepdim` keeps it as size 1. */
  sum(dim?: number, keepdim = false): Tensor {
    return reduceOps.sum(this, dim, keepdim);
  }

  /** Mean of all values, or along `dim`. */
  mean(dim?: number, keepdim = false): Tensor {
    return reduceOps.mean(this, dim, keepdim);
  }

  /** Maximum of all values, or the maximum values along `dim` (gradient to the first argmax). */
  max(dim?: number, keepdim = false): Tensor {
    return reduceOps.max(this, dim, keepdim);
  }

  /** Indices (as float values) of the maximum along `dim`, or in the flattened tensor. */
  argmax(dim?: number, keepdim = false): Tensor {
    return reduceOps.argmax(this, dim, keepdim);
  }

  /** The same values in a new shape, sharing storage: `t.reshape(2, -1)` or `t.reshape([2, -1])`. */
  reshape(...shape: (number | readonly number[])[]): Tensor {
    return shapeOps.reshape(this, shape.flat());
  }

  /** Merges dimensions startDim…endDim (default: all) into one, sharing storage. */
  flatten(startDim = 0, endDim = -1): Tensor {
    return shapeOps.flatten(this, startDim, endDim);
  }

  /** The dimensions reordered: output dimension k is input dimension dims[k] (`t.permute(0, 2, 3, 1)`); a new tensor. */
  permute(...dims: (number | readonly number[])[]): Tensor {
    return layoutOps.permute(this, dims.flat());
  }

  /** Dimensions `dim0` and `dim1` swapped; a new tensor. */
  transpose(dim0: number, dim1: number): Tensor {
    return layoutOps.transpose(this, dim0, dim1);
  }

  /** `length` elements from `start` along `dim` (PyTorch's narrow); a new tensor. */
  narrow(dim: number, start: number, length: number): Tensor {
    return layoutOps.narrow(this, dim, start, length);
  }

  /** Python's `t[..., start:end:step]` along `dim` (negative indices count from the end); a new tensor. */
  slice(dim: number, start?: number, end?: number, step?: number): Tensor {
    return layoutOps.slice(this, dim, start, end, step);
  }

  /** Releases the storage now instead of when the tensor is garbage-collected. Optional. */
  dispose(): void {
    this.backend.free(this.storage);
  }

  toString(): string {
    return `Tensor(shape=${formatShape(this.shape)}, backend=${this.backend.name})`;
  }
}
