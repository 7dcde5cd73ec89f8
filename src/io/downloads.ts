// 'downloads://name': the page offers the bytes as a download, as a link with a `download`
// attribute does. Needs a page (a document); workers have none.
import { SimdnnError } from '../errors.js';

/** How long the download's object URL stays valid after the click (the browser reads it meanwhile). */
const URL_LIFETIME_MS = 60_000;

/** Starts a download of `bytes` as the file `name`, with `.safetensors` appended unless it ends so already. */
export function downloadBytes(op: string, name: string, bytes: Uint8Array): void {
  if (typeof document === 'undefined') {
    throw new SimdnnError(`${op}: 'downloads://${name}' needs a page to start a download from (there is no document here, e.g. in a worker or Node)`);
  }
  const fileName = name.endsWith('.safetensors') ? name : `${name}.safetensors`;
  const url = URL.createObjectURL(new Blob([bytes as Uint8Array<ArrayBuffer>], { type: 'application/octet-stream' }));
  const link = Object.assign(document.createElement('a'), { href: url, download: fileName });
  link.click();
  setTimeout(() => URL.revokeObjectURL(url), URL_LIFETIME_MS);
}
