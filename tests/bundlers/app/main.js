// The test app's page: the forward pass here, after a save to IndexedDB and a load back, after an
// ONNX round trip through simdnn/onnx (loaded on demand, as an app adds ONNX support without growing
// its first script), and in a Web Worker; the results go to window.result for the test to read.
import * as sn from 'simdnn';
import { forwardPass, makeModel } from './forward.js';

function inWorker() {
  const worker = new Worker(new URL('./worker.js', import.meta.url), { type: 'module' });
  return new Promise((resolve, reject) => {
    worker.onmessage = (event) => resolve(event.data);
    worker.onerror = (event) => reject(new Error(`worker: ${event.message}`));
  }).finally(() => worker.terminate());
}

async function run() {
  await sn.ready();
  const page = forwardPass(sn);
  await sn.io.save(makeModel(sn, 7), 'indexeddb://bundled');
  const restored = makeModel(sn, 8);
  await sn.io.load(restored, 'indexeddb://bundled');
  const { loadOnnx, toOnnx } = await import('simdnn/onnx');
  const onnx = loadOnnx(toOnnx(makeModel(sn, 7), { inputShape: [1, 1, 8, 8] }));
  return { page, restored: forwardPass(sn, restored), onnx: forwardPass(sn, onnx), worker: await inWorker() };
}

run().then((result) => { window.result = result; }, (error) => { window.result = { error: String(error?.stack ?? error) }; });
