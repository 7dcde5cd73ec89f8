// How each sn.nn layer is written as ONNX nodes. Initializers are named by the layer's state-dict
// keys, so loadOnnx(toOnnx(model)) has the same stateDict() keys as the model.
import * as sn from '../../index.js';
import { OnnxError } from '../errors.js';
import { GELU_PATTERNS } from '../gelu.js';
import type { AttributeValue, GraphBuilder } from './builder.js';

/** What an exporter sees: the builder, its input value and shapes, its state-dict prefix and the opset. */
export interface LayerIo {
  readonly b: GraphBuilder;
  readonly x: string;
  readonly inShape: readonly number[];
  readonly outShape: readonly number[];
  /** The layer's state-dict prefix, e.g. "3." ("" for the model itself). */
  readonly prefix: string;
  /** The node name: the prefix without its dot, or the layer's type for the model itself. */
  readonly name: string;
  readonly opset: number;
}

type Exporter<L extends sn.nn.Module> = (layer: L, io: LayerIo) => string;
type LayerClass<L extends sn.nn.Module> = abstract new (...args: never[]) => L;

const pads = (p: readonly [number, number]) => [p[0], p[1], p[0], p[1]];

const exporters: [LayerClass<sn.nn.Module>, Exporter<never>][] = [];

/** Registers how layers of exactly class `cls` (not subclasses, whose forward may differ) are written. */
function register<L extends sn.nn.Module>(cls: LayerClass<L>, exporter: Exporter<L>): void {
  exporters.push([cls, exporter as Exporter<never>]);
}

/** The exporter of `layer`'s exact class, or undefined. */
export function exporterOf(layer: sn.nn.Module): Exporter<sn.nn.Module> | undefined {
  return exporters.find(([cls]) => layer.constructor === cls)?.[1] as Exporter<sn.nn.Module> | undefined;
}

/** The class names toOnnx writes (for error messages). */
export function exportableLayers(): string[] {
  return exporters.map(([cls]) => cls.name).sort();
}

function unary(opType: string): Exporter<sn.nn.Module> {
  return (_, { b, x, name }) => b.node(opType, `${name}/${opType}`, [x]);
}

/** The axis `dim` of a tensor of rank `rank`, in [0, rank). */
const axis = (dim: number, rank: number) => (dim < 0 ? dim + rank : dim);

register(sn.nn.Conv2d, (layer, { b, x, prefix, name }) => b.node('Conv', `${name}/Conv`,
  [x, b.tensor(`${prefix}weight`, layer.weight), ...(layer.bias ? [b.tensor(`${prefix}bias`, layer.bias)] : [])],
  { kernel_shape: layer.kernelSize, strides: layer.stride, pads: pads(layer.padding), dilations: layer.dilation, group: layer.groups }));

register(sn.nn.Linear, (layer, { b, x, prefix, name, inShape }) => {
  if (inShape.length !== 2) throw new OnnxError(`toOnnx: Linear "${name}" takes an input of rank ${inShape.length}; only 2-D inputs [N, features] are supported`);
  return b.node('Gemm', `${name}/Gemm`,
    [x, b.tensor(`${prefix}weight`, layer.weight), ...(layer.bias ? [b.tensor(`${prefix}bias`, layer.bias)] : [])], { transB: 1 });
});

register(sn.nn.MaxPool2d, (layer, { b, x, name }) => b.node('MaxPool', `${name}/MaxPool`, [x],
  { kernel_shape: layer.kernelSize, strides: layer.stride, pads: pads(layer.padding) }));

register(sn.nn.AvgPool2d, (layer, { b, x, name }) => b.node('AveragePool', `${name}/AveragePool`, [x],
  { kernel_shape: layer.kernelSize, strides: layer.stride, pads: pads(layer.padding), count_include_pad: 1 }));

function batchNorm(layer: sn.nn.BatchNorm1d | sn.nn.BatchNorm2d, { b, x, prefix, name }: LayerIo): string {
  const c = layer.numFeatures;
  const scale = layer.weight ? b.tensor(`${prefix}weight`, layer.weight) : b.floats(`${prefix}onnx_scale`, [c], Array(c).fill(1));
  const bias = layer.bias ? b.tensor(`${prefix}bias`, layer.bias) : b.floats(`${prefix}onnx_bias`, [c], Array(c).fill(0));
  return b.node('BatchNormalization', `${name}/BatchNormalization`,
    [x, scale, bias, b.tensor(`${prefix}running_mean`, layer.runningMean), b.tensor(`${prefix}running_var`, layer.runningVar)],
    { epsilon: { float: layer.eps }, momentum: { float: 1 - layer.momentum } });
}
register(sn.nn.BatchNorm1d, batchNorm);
register(sn.nn.BatchNorm2d, batchNorm);

register(sn.nn.ConvTranspose2d, (layer, { b, x, prefix, name }) => b.node('ConvTranspose', `${name}/ConvTranspose`,
  [x, b.tensor(`${prefix}weight`, layer.weight), ...(layer.bias ? [b.tensor(`${prefix}bias`, layer.bias)] : [])],
  { kernel_shape: layer.kernelSize, strides: layer.stride, pads: pads(layer.padding), dilations: layer.dilation, group: layer.groups, output_padding: layer.outputPadding }));

/**
 * Adaptive pooling as ONNX has it: the global pooling for a 1×1 output, else a pooling whose windows
 * tile the input exactly (each output size divides the input's), which is what adaptive pooling does then.
 */
function adaptivePool(global: string, pool: string): Exporter<sn.nn.AdaptiveAvgPool2d | sn.nn.AdaptiveMaxPool2d> {
  return (layer, { b, x, name, inShape, outShape }) => {
    const [h, w] = inShape.slice(-2);
    const [oh, ow] = outShape.slice(-2);
    if (oh === 1 && ow === 1) return b.node(global, `${name}/${global}`, [x]);
    if (h % oh !== 0 || w % ow !== 0) {
      throw new OnnxError(`toOnnx: ${layer.constructor.name} "${name}" from ${h}×${w} to ${oh}×${ow} has no ONNX equivalent (the output sizes must divide the input's)`);
    }
    const kernel = [h / oh, w / ow];
    return b.node(pool, `${name}/${pool}`, [x], { kernel_shape: kernel, strides: kernel });
  };
}
register(sn.nn.AdaptiveAvgPool2d, adaptivePool('GlobalAveragePool', 'AveragePool'));
register(sn.nn.AdaptiveMaxPool2d, adaptivePool('GlobalMaxPool', 'MaxPool'));

/**
 * Upsample as Resize: nearest as PyTorch's (asymmetric coordinates, floor), bilinear with
 * pytorch_half_pixel or align_corners; a scale factor as scales, a size as sizes whose batch and
 * channels come from the input's Shape (the batch stays symbolic).
 */
register(sn.nn.Upsample, (layer, { b, x, name, outShape, opset }) => {
  const { mode = 'nearest', alignCorners = false, scaleFactor } = layer.options;
  // Before opset 13, roi and scales are required inputs: empty tensors stand for "not given".
  const absent = (what: string) => (opset < 13 ? b.floats(`${name}/${what}`, [0], []) : '');
  const attrs: Record<string, AttributeValue> = mode === 'nearest'
    ? { mode: 'nearest', coordinate_transformation_mode: 'asymmetric', nearest_mode: 'floor' }
    : { mode: 'linear', coordinate_transformation_mode: alignCorners ? 'align_corners' : 'pytorch_half_pixel' };
  if (scaleFactor !== undefined) {
    const [sh, sw] = typeof scaleFactor === 'number' ? [scaleFactor, scaleFactor] : scaleFactor;
    return b.node('Resize', `${name}/Resize`, [x, absent('roi'), b.floats(`${name}/scales`, [4], [1, 1, sh, sw])], attrs);
  }
  const batchAndChannels = b.node('Slice', `${name}/Slice`, [b.node('Shape', `${name}/Shape`, [x]), b.int64s(`${name}/starts`, [0]), b.int64s(`${name}/ends`, [2])]);
  const sizes = b.node('Concat', `${name}/Concat`, [batchAndChannels, b.int64s(`${name}/size`, outShape.slice(-2))], { axis: 0 });
  return b.node('Resize', `${name}/Resize`, [x, absent('roi'), absent('scales'), sizes], attrs);
});

register(sn.nn.ReLU, unary('Relu'));
register(sn.nn.Sigmoid, unary('Sigmoid'));
register(sn.nn.Tanh, unary('Tanh'));
register(sn.nn.LeakyReLU, (layer, { b, x, name }) => b.node('LeakyRelu', `${name}/LeakyRelu`, [x], { alpha: { float: layer.negativeSlope } }));

register(sn.nn.Identity, unary('Identity'));
register(sn.nn.ReLU6, (_, { b, x, name }) => b.node('Clip', `${name}/Clip`, [x, b.floats(`${name}/min`, [], [0]), b.floats(`${name}/max`, [], [6])]));
register(sn.nn.Hardsigmoid, (_, { b, x, name }) => b.node('HardSigmoid', `${name}/HardSigmoid`, [x], { alpha: { float: 1 / 6 } }));
register(sn.nn.Hardswish, (_, { b, x, name, opset }) => (opset >= 14
  ? b.node('HardSwish', `${name}/HardSwish`, [x])
  : b.node('Mul', `${name}/Mul`, [x, b.node('HardSigmoid', `${name}/HardSigmoid`, [x], { alpha: { float: 1 / 6 } })])));
register(sn.nn.SiLU, (_, { b, x, name }) => b.node('Mul', `${name}/Mul`, [x, b.node('Sigmoid', `${name}/Sigmoid`, [x])]));
// ONNX has Gelu from opset 20 only: written node for node as PyTorch 1.13 does, which loadOnnx runs as one gelu.
register(sn.nn.GELU, (layer, { b, x, name }) => b.pattern(GELU_PATTERNS[layer.approximate], x, name));

register(sn.nn.Softmax, (layer, { b, x, name, inShape, opset }) => {
  const dim = axis(layer.dim, inShape.length);
  if (opset < 13 && dim !== inShape.length - 1) {
    throw new OnnxError(`toOnnx: Softmax "${name}" over dim ${layer.dim} of a rank-${inShape.length} input needs opset 13 or later (before, ONNX's Softmax spans all dimensions from its axis)`);
  }
  return b.node('Softmax', `${name}/Softmax`, [x], { axis: dim });
});

register(sn.nn.Dropout, (layer, { b, x, name, opset }) => (opset < 12
  ? b.node('Dropout', `${name}/Dropout`, [x], { ratio: { float: layer.p } })
  : b.node('Dropout', `${name}/Dropout`, [x, b.floats(`${name}/ratio`, [], [layer.p])])));

register(sn.nn.Flatten, (layer, { b, x, name, inShape }) => {
  const start = axis(layer.startDim, inShape.length);
  if (start === 0) throw new OnnxError(`toOnnx: Flatten "${name}" from dim 0 would merge the batch; only startDim ≥ 1 is supported`);
  return b.node('Flatten', `${name}/Flatten`, [x], { axis: start });
});
