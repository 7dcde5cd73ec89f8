// End-to-end test of the demo page (examples/web) in Debian's Chromium, driven by playwright-core:
// builds the page with Vite, serves it on 127.0.0.1 with `vite preview` (whose COOP/COEP headers come
// from the demo's vite.config.ts), checks that the page is cross-origin isolated and that its worker
// trains on more than one thread, trains a few hundred steps, draws a stroke and
// reads the prediction, saves the weights and loads them back, then loads a file that is not
// safetensors and weights of another architecture and checks the messages and that the model is
// untouched; ends with a screenshot (examples/web/screenshot.png). Run by `npm run test:e2e` (part of
// `npm test`); fails, never skips, when Chromium cannot start. Not a vitest file: the vitest projects
// do not pick it up.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type Page } from 'playwright';
import { build, preview } from 'vite';
import * as sn from '../../src/index.js';

const TIME_LIMIT_MS = 110_000;
const STEPS = 300;
const demoDir = fileURLToPath(new URL('../../examples/web/', import.meta.url));
const configFile = `${demoDir}vite.config.ts`;
const chromiumArgs = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync'];

const log = (text: string) => console.log(`demo e2e: ${text}`);

/** Draws a vertical stroke (a "1") on the drawing pad with the mouse. */
async function drawOne(page: Page): Promise<void> {
  const box = await page.locator('#pad').boundingBox();
  assert.ok(box, 'the drawing pad is visible');
  await page.mouse.move(box.x + box.width * 0.52, box.y + box.height * 0.18);
  await page.mouse.down();
  await page.mouse.move(box.x + box.width * 0.48, box.y + box.height * 0.82, { steps: 12 });
  await page.mouse.up();
}

/** The predicted digit and the ten probability rows' text, once a prediction is shown. */
async function readPrediction(page: Page): Promise<{ digit: number; rows: string[] }> {
  await page.waitForSelector('#prediction[data-digit]');
  await page.waitForFunction(() => document.querySelectorAll('#probabilities .row').length === 10);
  const digit = Number(await page.getAttribute('#prediction', 'data-digit'));
  return { digit, rows: await page.locator('#probabilities .row').allInnerTexts() };
}

/** Chooses a file for the page's "Load" input and waits for the page's message. */
async function loadFile(page: Page, name: string, buffer: Buffer, kind: 'info' | 'error'): Promise<string> {
  await page.evaluate(() => { document.getElementById('message')!.className = ''; });
  await page.setInputFiles('#load', { name, mimeType: 'application/octet-stream', buffer });
  await page.waitForSelector(`#message.${kind}`);
  return page.innerText('#message');
}

async function run(): Promise<void> {
  const started = performance.now();
  await build({ configFile, logLevel: 'warn' });
  const server = await preview({ configFile, preview: { host: '127.0.0.1', port: 4173 }, logLevel: 'warn' });
  let browser: Browser | undefined;
  try {
    browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: chromiumArgs, timeout: 30_000 });
    const url = server.resolvedUrls?.local[0];
    assert.ok(url, 'vite preview gives a local URL');
    const page = await browser.newPage({ viewport: { width: 1000, height: 760 }, acceptDownloads: true });
    const pageErrors: string[] = [];
    page.on('pageerror', (error) => pageErrors.push(error.message));
    page.on('console', (message) => { if (message.type() === 'error') pageErrors.push(message.text()); });
    page.setDefaultTimeout(60_000);

    const response = await page.goto(url);
    const headers = response?.headers() ?? {};
    assert.equal(headers['cross-origin-opener-policy'], 'same-origin', 'the preview server sends COOP: same-origin');
    assert.equal(headers['cross-origin-embedder-policy'], 'require-corp', 'the preview server sends COEP: require-corp');
    await page.waitForSelector('body[data-state="idle"]');
    log(await page.innerText('#status'));
    assert.equal(await page.evaluate(() => crossOriginIsolated), true, 'the page is cross-origin isolated');
    const cores = await page.evaluate(() => navigator.hardwareConcurrency);
    const threads = Number(await page.innerText('#threads'));
    assert.ok(threads > 1, `the demo trains on ${threads} thread(s), expected more than 1 (the browser reports ${cores} cores)`);
    log(`training on ${threads} threads (${cores} cores reported)`);

    // Train, watching the main thread's frame gaps (reported, not asserted: timing is for bench/).
    // (A string: tsx would name an inner function with a helper the page does not have.)
    await page.evaluate(`window.maxFrameGap = 0; let last = performance.now();
      requestAnimationFrame(function tick(now) { maxFrameGap = Math.max(maxFrameGap, now - last); last = now; requestAnimationFrame(tick); });`);
    await page.fill('#steps', String(STEPS));
    await page.click('#train');
    await page.waitForSelector('body[data-state="idle"]');
    assert.equal(await page.innerText('#step'), String(STEPS), 'the page shows every step trained');
    const accuracy = parseFloat(await page.innerText('#test-accuracy'));
    assert.ok(accuracy > 80, `test accuracy after ${STEPS} steps is ${accuracy}%`);
    const maxFrameGap = await page.evaluate(() => (window as unknown as { maxFrameGap: number }).maxFrameGap);
    log(`${STEPS} steps: test accuracy ${accuracy}%, ${await page.innerText('#samples-per-second')} samples/s, longest main-thread frame gap ${maxFrameGap.toFixed(0)} ms`);

    await drawOne(page);
    const before = await readPrediction(page);
    assert.equal(before.digit, 1, `a vertical stroke reads as 1 (got ${before.digit}: ${before.rows.join(' | ')})`);
    const probabilities = before.rows.map((row) => parseFloat(row.split(/\s+/).at(-1)!));
    assert.ok(Math.abs(probabilities.reduce((a, b) => a + b, 0) - 100) < 1, 'the probabilities add up to 100%');
    log(`prediction ${before.digit} (${before.rows[before.digit].replace(/\s+/g, ' ')})`);

    const [download] = await Promise.all([page.waitForEvent('download'), page.click('#save')]);
    const saved = readFileSync(await download.path());
    const names = Object.keys(sn.io.fromSafetensors(saved)).sort();
    assert.deepEqual(names, Object.keys(sn.models.createModel('lenet').stateDict()).sort(), 'the saved file holds the LeNet weights');
    assert.match(await loadFile(page, 'simdnn-lenet.safetensors', saved, 'info'), /weights loaded/);

    const garbage = await loadFile(page, 'notes.txt', Buffer.from('not a weights file'), 'error');
    assert.match(garbage, /'notes\.txt' is not a safetensors file/);
    const mlp = Buffer.from(sn.io.toSafetensors(sn.models.createModel('mlp').stateDict()));
    const wrong = await loadFile(page, 'mlp.safetensors', mlp, 'error');
    assert.match(wrong, /'mlp\.safetensors' holds weights for another architecture .* nothing was loaded \(missing keys: 0\.weight/);
    log(`wrong weights: "${wrong.slice(0, 120)}…"`);

    await page.click('#clear');
    await drawOne(page);
    const after = await readPrediction(page);
    assert.deepEqual(after, before, 'the same drawing gets the same prediction: the model is untouched');
    await page.screenshot({ path: `${demoDir}screenshot.png`, fullPage: true }); // plots, prediction and the last message
    assert.deepEqual(pageErrors, [], 'the page logs no errors');
    log(`passed in ${((performance.now() - started) / 1000).toFixed(1)} s`);
  } finally {
    await browser?.close();
    await new Promise<void>((resolve, reject) => server.httpServer.close((error) => (error ? reject(error) : resolve())));
  }
}

setTimeout(() => {
  console.error(`demo e2e: FAILED: not finished within ${TIME_LIMIT_MS / 1000} s`);
  process.exit(1);
}, TIME_LIMIT_MS);
// process.exit: nothing left open (a server, esbuild's service) may keep the process alive.
run().then(() => process.exit(0), (error: unknown) => {
  console.error('demo e2e: FAILED:', error);
  process.exit(1);
});
