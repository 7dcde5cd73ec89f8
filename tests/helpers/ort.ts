import * as ort from 'onnxruntime-web';

// onnxruntime-web (its wasm backend, in Node) as the reference runtime of the ONNX tests, on one thread.
ort.env.wasm.numThreads = 1;

/** Runs an ONNX file in onnxruntime-web on f32 inputs (by graph-input name); returns the first output. */
export async function runOrt(bytes: Uint8Array, inputs: Record<string, { values: ArrayLike<number>; shape: readonly number[] }>): Promise<{ values: Float32Array; shape: number[] }> {
  const session = await ort.InferenceSession.create(bytes);
  try {
    const feeds = Object.fromEntries(Object.entries(inputs).map(([name, t]) => [name, new ort.Tensor('float32', Float32Array.from(t.values), [...t.shape])]));
    const output = (await session.run(feeds))[session.outputNames[0]];
    return { values: output.data as Float32Array, shape: [...output.dims] };
  } finally {
    await session.release();
  }
}
