// '#file-system' everywhere but Node (package.json "imports", the default condition): browsers and
// workers have no file system, so file paths are refused by the callers with a message that says
// what to use instead.
import type { FileSystem } from './file-system.js';

/** No file system here. */
export const fileSystem: FileSystem | undefined = undefined;
