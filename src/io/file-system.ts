// The file operations simdnn needs from its host. Node has them (file-system.node.ts); browsers
// and workers do not (file-system.browser.ts). Source files import the implementation as
// '#file-system': package.json's "imports" field picks the file by the "node" condition, so a
// browser bundle never contains node:fs and no bundler needs telling to leave it out.

/** Node's file system, as far as simdnn uses it. Errors are Node's own (with their `code`, e.g. 'ENOENT'). */
export interface FileSystem {
  /** The whole file at `path`. */
  readFile(path: string): Promise<Uint8Array>;
  /**
   * Writes `bytes` to a temporary file next to `path`, flushes it to disk and renames it over
   * `path`: an existing file is replaced whole or not at all, and a failure leaves no temporary file.
   */
  replaceFile(path: string, bytes: Uint8Array): Promise<void>;
  /**
   * The entries of the folder at `path`, each with its name and whether it is a folder (symbolic
   * links followed; an entry whose target is missing counts as a file).
   */
  readDir(path: string): Promise<{ name: string; isDirectory: boolean }[]>;
  /** `parts` joined into one path with the platform's separator. */
  join(...parts: string[]): string;
  /** The folder of the installed npm package `name`, found as Node resolves it from simdnn. */
  packageDir(name: string): string;
}
