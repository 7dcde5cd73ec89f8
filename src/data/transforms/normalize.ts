import { SimdnnError } from '../../errors.js';
import { div, sub } from '../../ops/arithmetic.js';
import { Tensor } from '../../tensor.js';
import { imageDims, type Transform } from './transform.js';

/**
 * torchvision's `Normalize(mean, std)`: `(x − mean[c]) / std[c]` for every value of channel c, one
 * mean and one standard deviation per channel (e.g. a data set's `sn.data.channelStats`).
 */
export class Normalize implements Transform {
  readonly mean: readonly number[];
  readonly std: readonly number[];

  constructor(mean: readonly number[], std: readonly number[]) {
    for (const [name, values] of [['mean', mean], ['std', std]] as const) {
      if (!Array.isArray(values) || values.length === 0 || !values.every(Number.isFinite)) {
        throw new SimdnnError(`Normalize: ${name} must be a non-empty array of finite numbers (one per channel), got ${JSON.stringify(values)}`);
      }
    }
    if (mean.length !== std.length) throw new SimdnnError(`Normalize: mean has ${mean.length} values but std has ${std.length}; give one of each per channel`);
    const zero = std.findIndex((s) => Math.fround(s) === 0);
    if (zero >= 0) throw new SimdnnError(`Normalize: std[${zero}] is ${std[zero]}, which would divide by zero`);
    this.mean = [...mean];
    this.std = [...std];
  }

  forward(images: Tensor): Tensor {
    const [, c] = imageDims('Normalize', images);
    if (c !== this.mean.length) {
      throw new SimdnnError(`Normalize: ${this.mean.length} means and standard deviations for images with ${c} channels`);
    }
    const { backend } = images;
    const perChannel = (values: readonly number[]) => new Tensor(backend.fromValues(values), [1, c, 1, 1], backend);
    const [mean, std] = [perChannel(this.mean), perChannel(this.std)];
    const centred = sub(images, mean);
    const out = div(centred, std);
    for (const t of [mean, std, centred]) t.dispose();
    return out;
  }
}
