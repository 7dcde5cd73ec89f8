/** The error type for every user mistake simdnn detects (bad shapes, options, files). */
export class SimdnnError extends Error {
  override name = 'SimdnnError';
}

/** Formats a shape as PyTorch prints it, e.g. `[2, 3]`. */
export function formatShape(shape: readonly number[]): string {
  return `[${shape.join(', ')}]`;
}
