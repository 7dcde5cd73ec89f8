// sn.io: state dicts as safetensors, in memory, in IndexedDB, as downloads, from URLs and Files
// (everywhere) and as files (Node).
export {
  SafetensorsError,
  fromSafetensors,
  readSafetensorsHeader,
  toSafetensors,
  type SafetensorsEntry,
  type SafetensorsHeader,
} from './safetensors.js';
export { load, loadUrl, save, type HasStateDict, type SaveOptions } from './save-load.js';
