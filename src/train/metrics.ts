import type { Tensor } from '../tensor.js';

/** How many rows of `logits` [B, classes] have their largest score at the label's index. */
export function countCorrect(logits: Tensor, labels: Int32Array): number {
  const scores = logits.toFloat32Array();
  const classes = logits.shape[1];
  let correct = 0;
  for (let i = 0; i < labels.length; i++) {
    let best = 0;
    for (let c = 1; c < classes; c++) if (scores[i * classes + c] > scores[i * classes + best]) best = c;
    if (best === labels[i]) correct++;
  }
  return correct;
}
