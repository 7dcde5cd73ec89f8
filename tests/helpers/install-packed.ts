// Installs simdnn into a scratch project as a user gets it from npm: `npm pack` of this repository
// (its built dist/, as package.json's "files" selects it) unpacked into <dir>/node_modules/simdnn.
// The caller builds dist/ first (`npm run build:lib`).
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const repository = fileURLToPath(new URL('../..', import.meta.url));

/** Packs the repository and unpacks the tarball into `dir`/node_modules/simdnn; returns that folder. */
export function installPacked(dir: string): string {
  const scratch = mkdtempSync(join(tmpdir(), 'simdnn-pack-'));
  try {
    const [{ filename }] = JSON.parse(execFileSync('npm', ['pack', '--json', '--pack-destination', scratch], { cwd: repository, encoding: 'utf8' })) as { filename: string }[];
    const target = join(dir, 'node_modules', 'simdnn');
    mkdirSync(target, { recursive: true });
    execFileSync('tar', ['-xzf', join(scratch, filename), '-C', target, '--strip-components=1']);
    return target;
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}
