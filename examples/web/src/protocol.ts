// Messages between the page (main.ts) and the training worker (worker.ts).

/** Page → worker. */
export type ToWorker =
  /** Load the MNIST subset from `dataUrl` (a folder URL ending in '/') and build the model. */
  | { type: 'init'; dataUrl: string }
  /** Train for `steps` more steps (batch `batchSize`), reporting progress; a new request replaces a running one. */
  | { type: 'train'; steps: number; batchSize: number }
  | { type: 'stop' }
  /** Classify the drawing pad's pixels (a white digit on black). */
  | { type: 'predict'; image: ImageData }
  | { type: 'save' }
  | { type: 'load'; name: string; bytes: Uint8Array };

/** Worker → page. */
export type FromWorker =
  /** Data and model are ready; `threads` is simdnn's thread count, `isolated` whether the page is cross-origin isolated. */
  | { type: 'ready'; trainSize: number; testSize: number; parameters: number; threads: number; isolated: boolean }
  /** After each chunk: its mean loss and accuracy, and training samples/s since the request began. */
  | { type: 'progress'; step: number; loss: number; accuracy: number; samplesPerSecond: number }
  | { type: 'evaluated'; step: number; testLoss: number; testAccuracy: number }
  | { type: 'idle'; step: number }
  /** The predicted digit, every class's probability and the 28×28 image the model saw ([0, 1]); undefined when nothing is drawn. */
  | { type: 'prediction'; result: { digit: number; probabilities: number[]; preview: Float32Array } | undefined }
  | { type: 'saved'; bytes: Uint8Array }
  | { type: 'loaded'; name: string }
  /** A request failed (`request` names it); the model is as it was before the request. */
  | { type: 'error'; request: ToWorker['type']; message: string };
