// sn.io: model weights as safetensors, in memory (everywhere) and as files (Node).
export {
  SafetensorsError,
  fromSafetensors,
  readSafetensorsHeader,
  toSafetensors,
  type SafetensorsEntry,
  type SafetensorsHeader,
} from './safetensors.js';
export { load, save, type HasStateDict, type SaveOptions } from './save-load.js';
