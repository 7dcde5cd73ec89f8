// '#file-system' in Node (package.json "imports", condition "node"): the file operations of
// file-system.ts over node:fs.
import { open, readdir, readFile, rename, rm, stat } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import type { FileSystem } from './file-system.js';

let temporaryCount = 0;

async function replaceFile(path: string, bytes: Uint8Array): Promise<void> {
  const temporary = `${path}.${process.pid}.${++temporaryCount}.tmp`;
  try {
    const file = await open(temporary, 'wx');
    try {
      await file.writeFile(bytes);
      await file.sync();
    } finally {
      await file.close();
    }
    await rename(temporary, path);
  } catch (error) {
    await rm(temporary, { force: true });
    throw error;
  }
}

async function readDir(path: string): Promise<{ name: string; isDirectory: boolean }[]> {
  const entries = await readdir(path, { withFileTypes: true });
  return Promise.all(entries.map(async (entry) => ({
    name: entry.name,
    isDirectory: entry.isSymbolicLink() ? await stat(join(path, entry.name)).then((s) => s.isDirectory(), () => false) : entry.isDirectory(),
  })));
}

/** Node's file system. */
export const fileSystem: FileSystem | undefined = {
  readFile,
  replaceFile,
  readDir,
  join,
  packageDir: (name) => dirname(createRequire(import.meta.url).resolve(`${name}/package.json`)),
};
