// The package as users bundle it. simdnn is packed (`npm pack`) and installed into a scratch copy of
// tests/bundlers/app, which four bundlers build with nothing but their defaults: esbuild
// (--platform=browser), webpack 5, Rollup with @rollup/plugin-node-resolve, and Vite. Each build must
// print no warning and contain no node:* import. Every bundle then runs in Debian's Chromium: its page
// computes a seeded forward pass, saves the model to IndexedDB and loads it into another, writes it
// as ONNX and loads that (simdnn/onnx, which imports the same core), and its Web Worker computes the
// same pass; all must equal, bit for bit, the pass Node computes through the
// package's "node" export. Last, esbuild bundles `simdnn` alone, minified for browsers with code
// splitting: no warning, and what a page downloads first (the entry and its static imports; not the
// relaxed-SIMD chunk that sn.ready() loads) at most 100 KB gzipped. Run by `npm run test:package` (part of `npm test`), after
// `npm run build:lib`; fails, never skips, when Chromium cannot start. Not a vitest file.
import assert from 'node:assert/strict';
import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { extname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { gzipSync } from 'node:zlib';
import { nodeResolve } from '@rollup/plugin-node-resolve';
import { build as esbuild } from 'esbuild';
import { chromium } from 'playwright';
import { rollup } from 'rollup';
import { build as viteBuild, createLogger } from 'vite';
import webpack from 'webpack';
import { installPacked } from '../helpers/install-packed.js';
import { splitScripts } from '../helpers/bundle-split.js';

const TIME_LIMIT_MS = 240_000;
const GZIP_LIMIT_BYTES = 100 * 1024;
const appSource = fileURLToPath(new URL('./app/', import.meta.url));
const chromiumArgs = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync'];

const log = (text: string) => console.log(`bundlers e2e: ${text}`);

/** A bundler: builds the app in `app` into `out` (index.html included) and returns its warnings. */
type Build = (app: string, out: string) => Promise<string[]>;

const bundlers: Record<string, Build> = {
  async esbuild(app, out) {
    const result = await esbuild({
      absWorkingDir: app, entryPoints: ['main.js', 'worker.js'], outdir: out,
      bundle: true, platform: 'browser', format: 'esm', minify: true, logLevel: 'silent',
    });
    cpSync(join(app, 'index.html'), join(out, 'index.html'));
    return result.warnings.map((w) => w.text);
  },

  webpack(app, out) {
    const compiler = webpack({ mode: 'production', context: app, entry: './main.js', output: { path: out } });
    return new Promise((resolve, reject) => compiler.run((error, stats) => compiler.close(() => {
      if (error || !stats) return reject(error ?? new Error('webpack gave no stats'));
      const { errors = [], warnings = [] } = stats.toJson({ all: false, errors: true, warnings: true });
      if (errors.length > 0) return reject(new Error(errors.map((e) => e.message).join('\n')));
      cpSync(join(app, 'index.html'), join(out, 'index.html'));
      resolve(warnings.map((w) => w.message));
    })));
  },

  async rollup(app, out) {
    const warnings: string[] = [];
    const bundle = await rollup({
      input: { main: join(app, 'main.js'), worker: join(app, 'worker.js') },
      plugins: [nodeResolve()],
      onwarn: (warning) => warnings.push(warning.message),
    });
    await bundle.write({ dir: out });
    await bundle.close();
    cpSync(join(app, 'index.html'), join(out, 'index.html'));
    return warnings;
  },

  async vite(app, out) {
    const warnings: string[] = [];
    const logger = createLogger('warn');
    logger.warn = (message) => warnings.push(message);
    logger.warnOnce = (message) => warnings.push(message);
    await viteBuild({ root: app, configFile: false, logLevel: 'warn', customLogger: logger, build: { outDir: out } });
    return warnings;
  },
};

/** Every .js file under `dir`, with its path relative to `dir`. */
function scripts(dir: string): { name: string; text: string }[] {
  return readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .filter((name) => name.endsWith('.js'))
    .map((name) => ({ name, text: readFileSync(join(dir, name), 'utf8') }));
}

const MIME: Record<string, string> = { '.html': 'text/html', '.js': 'text/javascript', '.wasm': 'application/wasm' };

/** Serves `root` at the root of its own origin (Vite's default base is '/'); resolves with the server and its URL. */
async function serve(root: string): Promise<{ server: Server; url: string }> {
  const server = createServer((request, response) => {
    const path = new URL(request.url ?? '/', 'http://localhost').pathname;
    try {
      const body = readFileSync(join(root, path));
      response.writeHead(200, { 'content-type': MIME[extname(path)] ?? 'application/octet-stream' }).end(body);
    } catch {
      response.writeHead(404).end();
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  assert.ok(address && typeof address === 'object');
  return { server, url: `http://127.0.0.1:${address.port}/index.html` };
}

async function run(): Promise<void> {
  const started = performance.now();
  const app = mkdtempSync(join(tmpdir(), 'simdnn-bundlers-'));
  const closers: (() => Promise<unknown>)[] = [];
  try {
    cpSync(appSource, app, { recursive: true });
    writeFileSync(join(app, 'package.json'), JSON.stringify({ name: 'app', private: true, type: 'module' }));
    installPacked(app);

    const node = await import(pathToFileURL(join(app, 'node.js')).href) as { expected: number[]; resolved: string };
    assert.ok(node.resolved.endsWith('/node_modules/simdnn/dist/index.node.js'), `Node resolves simdnn to its node bundle (got ${node.resolved})`);
    log(`Node's forward pass: [${node.expected.join(', ')}]`);

    const outs: Record<string, string> = {};
    const sizes: Record<string, { buildMs: number; scripts: number; largestGzipKB: number; totalGzipKB: number }> = {};
    for (const [name, build] of Object.entries(bundlers)) {
      const out = join(app, `out-${name}`);
      const buildStarted = performance.now();
      const warnings = await build(app, out);
      assert.deepEqual(warnings, [], `${name} builds the app without warnings`);
      const files = scripts(out);
      for (const { name: file, text } of files) {
        assert.doesNotMatch(text, /(?:from|import\(|require\()\s*["']node:/, `${name}'s ${file} imports no node:* module`);
      }
      const gzipKB = files.map(({ text }) => Number((gzipSync(text, { level: 9 }).length / 1024).toFixed(1)));
      sizes[name] = {
        buildMs: Math.round(performance.now() - buildStarted), scripts: files.length,
        largestGzipKB: Math.max(...gzipKB), totalGzipKB: Number(gzipKB.reduce((a, b) => a + b, 0).toFixed(1)),
      };
      outs[name] = out;
    }
    console.table(sizes); // largest: the page's or the worker's script (without splitting each holds all of simdnn)

    const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: chromiumArgs, timeout: 30_000 });
    closers.push(() => browser.close());
    for (const [name, out] of Object.entries(outs)) {
      const { server, url } = await serve(out);
      closers.push(() => new Promise((resolve) => server.close(resolve)));
      const page = await browser.newPage();
      const errors: string[] = [];
      page.on('pageerror', (error) => errors.push(error.message));
      page.on('console', (message) => { if (message.type() === 'error') errors.push(message.text()); });
      await page.goto(url);
      await page.waitForFunction(() => 'result' in window, undefined, { timeout: 60_000 });
      const result = await page.evaluate(() => (window as unknown as { result: unknown }).result);
      assert.deepEqual(result, { page: node.expected, restored: node.expected, onnx: node.expected, worker: node.expected },
        `${name}'s bundle computes Node's numbers in the page, after an IndexedDB round trip, after an ONNX round trip (simdnn/onnx), and in a worker`);
      assert.deepEqual(errors, [], `${name}'s page logs no errors`);
      await page.close();
      log(`${name}: page, IndexedDB round trip, ONNX round trip and worker give Node's numbers`);
    }

    const library = await esbuild({
      absWorkingDir: app, stdin: { contents: "export * from 'simdnn';", resolveDir: app },
      bundle: true, minify: true, platform: 'browser', format: 'esm', write: false, logLevel: 'silent',
      splitting: true, outdir: join(app, 'out-library'), metafile: true,
    });
    assert.deepEqual(library.warnings, [], 'esbuild bundles simdnn for browsers without warnings');
    const gzipBytes = (paths: string[]) => paths.reduce((sum, path) => {
      const file = library.outputFiles.find((f) => f.path === join(app, path));
      assert.ok(file, `esbuild wrote ${path}`);
      return sum + gzipSync(file.contents, { level: 9 }).length;
    }, 0);
    const { first, onDemand } = splitScripts(library.metafile);
    const [libraryGzip, onDemandGzip] = [gzipBytes(first), gzipBytes(onDemand)];
    assert.ok(libraryGzip <= GZIP_LIMIT_BYTES, `simdnn minified for browsers is ${libraryGzip} bytes gzipped (first download), above ${GZIP_LIMIT_BYTES}`);
    log(`simdnn alone (esbuild --bundle --minify --splitting --platform=browser): ${(libraryGzip / 1024).toFixed(1)} KB gzipped first (limit 100 KB), `
      + `${(onDemandGzip / 1024).toFixed(1)} KB more on demand (the relaxed-SIMD kernels)`);
    log(`passed in ${((performance.now() - started) / 1000).toFixed(1)} s`);
  } finally {
    for (const close of closers.reverse()) await close();
    rmSync(app, { recursive: true, force: true });
  }
}

setTimeout(() => {
  console.error(`bundlers e2e: FAILED: not finished within ${TIME_LIMIT_MS / 1000} s`);
  process.exit(1);
}, TIME_LIMIT_MS);
// process.exit: nothing left open (esbuild's service, a bundler's watcher) may keep the process alive.
run().then(() => process.exit(0), (error: unknown) => {
  console.error('bundlers e2e: FAILED:', error);
  process.exit(1);
});
