// The wasm backend's threads: a worker pool over the shared wasm memory (bindings/pool/).
export { numThreads, ready, setNumThreads } from '../../../bindings/pool/pool.js';
