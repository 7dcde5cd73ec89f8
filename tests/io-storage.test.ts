// Where sn.io.save/load keep state dicts besides Node's files: IndexedDB, downloads, Files and
// Blobs, URLs. Runs in both projects; each case says where it applies (IndexedDB and downloads are a
// browser's, file paths Node's), and the other environment checks the error it gets instead.
import { afterEach, describe, expect, it, vi } from 'vitest';
import * as sn from '../src/index.js';
import { load, loadUrl, save } from '../src/io/index.js';
import { Weights } from './helpers/weights.js';

const hasIndexedDb = typeof indexedDB !== 'undefined';
const hasDocument = typeof document !== 'undefined';

afterEach(() => {
  vi.restoreAllMocks();
  vi.unstubAllGlobals();
});

/** A LeNet initialised from `seed`. */
function model(seed: number): sn.nn.Sequential {
  sn.manualSeed(seed);
  return sn.models.createModel('lenet');
}

/** Every tensor of a state dict as its raw f32 bits, by name. */
function bits(stateDict: Record<string, sn.Tensor>): Record<string, Uint32Array> {
  return Object.fromEntries(Object.entries(stateDict).map(([name, t]) => [name, new Uint32Array(t.toFloat32Array().buffer)]));
}

/** f32 values whose bits a careless conversion would change: -0, the smallest subnormal, ±Infinity, the largest f32. */
const awkward = () => new Weights({ values: sn.tensor(new Float32Array(new Uint32Array([0x80000000, 0x00000001, 0x7f800000, 0xff800000, 0x7f7fffff]).buffer)) });

describe.runIf(hasIndexedDb)("save and load with 'indexeddb://name'", () => {
  it("round-trip a model's weights bit for bit", async () => {
    const saved = model(1);
    await save(saved, 'indexeddb://lenet');
    const loaded = model(2);
    expect(bits(loaded.stateDict())).not.toEqual(bits(saved.stateDict()));
    await load(loaded, 'indexeddb://lenet');
    expect(bits(loaded.stateDict())).toEqual(bits(saved.stateDict()));
  });

  it('keep -0, subnormals and infinities', async () => {
    const saved = awkward();
    await save(saved, 'indexeddb://awkward');
    const loaded = new Weights({});
    await load(loaded, 'indexeddb://awkward');
    expect(bits(loaded.tensors)).toEqual(bits(saved.tensors));
  });

  it("keep an optimiser's state, so training resumes exactly", async () => {
    const x = sn.rand([2, 1, 28, 28]);
    const targets = sn.tensor([3, 7]);
    const step = (net: sn.nn.Module, optimizer: sn.optim.Optimizer) => {
      optimizer.zeroGrad();
      sn.F.crossEntropy(net.forward(x), targets).backward();
      optimizer.step();
    };
    const original = model(1);
    const optimizer = new sn.optim.Adam(original.parameters(), { lr: 0.01 });
    step(original, optimizer);
    await save(original, 'indexeddb://resume-model');
    await save(optimizer, 'indexeddb://resume-optimizer');

    const resumed = model(2);
    const resumedOptimizer = new sn.optim.Adam(resumed.parameters(), { lr: 0.01 });
    await load(resumed, 'indexeddb://resume-model');
    await load(resumedOptimizer, 'indexeddb://resume-optimizer');
    step(original, optimizer);
    step(resumed, resumedOptimizer);
    expect(bits(resumed.stateDict())).toEqual(bits(original.stateDict()));
    expect(bits(resumedOptimizer.stateDict())).toEqual(bits(optimizer.stateDict()));
  });

  it('replace what was saved under the same name', async () => {
    await save(model(1), 'indexeddb://replaced');
    const latest = model(3);
    await save(latest, 'indexeddb://replaced');
    const loaded = model(2);
    await load(loaded, 'indexeddb://replaced');
    expect(bits(loaded.stateDict())).toEqual(bits(latest.stateDict()));
  });

  it('name the key when nothing is saved under it', async () => {
    await expect(load(model(1), 'indexeddb://never-saved')).rejects.toThrow("load: nothing is saved under 'indexeddb://never-saved'");
  });
});

describe.runIf(hasDocument)("save with 'downloads://name'", () => {
  it('offers name.safetensors holding the weights', async () => {
    const createObjectURL = vi.spyOn(URL, 'createObjectURL');
    const click = vi.spyOn(HTMLAnchorElement.prototype, 'click').mockImplementation(function (this: HTMLAnchorElement) {
      expect(this.download).toBe('lenet.safetensors');
      expect(this.href).toBe(createObjectURL.mock.results[0].value);
    });
    const saved = model(1);
    await save(saved, 'downloads://lenet', { metadata: { format: 'pt' } });
    expect(click).toHaveBeenCalledTimes(1);
    const blob = createObjectURL.mock.calls[0][0] as Blob;
    expect(new Uint8Array(await blob.arrayBuffer())).toEqual(sn.io.toSafetensors(saved.stateDict(), { format: 'pt' }));
  });

  it('keeps a name that already ends in .safetensors', async () => {
    const click = vi.spyOn(HTMLAnchorElement.prototype, 'click').mockImplementation(function (this: HTMLAnchorElement) {
      expect(this.download).toBe('weights.safetensors');
    });
    await save(model(1), 'downloads://weights.safetensors');
    expect(click).toHaveBeenCalledTimes(1);
  });
});

describe('load from a File or a Blob', () => {
  it('reads the bytes of a File the user picked, bit for bit', async () => {
    const saved = model(1);
    const file = new File([sn.io.toSafetensors(saved.stateDict()) as Uint8Array<ArrayBuffer>], 'lenet.safetensors');
    const loaded = model(2);
    await load(loaded, file);
    expect(bits(loaded.stateDict())).toEqual(bits(saved.stateDict()));
  });

  it('reads a Blob', async () => {
    const saved = awkward();
    const loaded = new Weights({});
    await load(loaded, new Blob([sn.io.toSafetensors(saved.tensors) as Uint8Array<ArrayBuffer>]));
    expect(bits(loaded.tensors)).toEqual(bits(saved.tensors));
  });

  it('names the file that is not safetensors', async () => {
    await expect(load(model(1), new File(['not a weights file'], 'notes.txt'))).rejects.toThrow(
      "load: 'notes.txt' is not a valid safetensors file: safetensors: header length");
  });
});

describe('loadUrl', () => {
  it('fetches the weights from a URL', async () => {
    const saved = awkward();
    const base64 = btoa(String.fromCharCode(...sn.io.toSafetensors(saved.tensors)));
    const loaded = new Weights({});
    await loadUrl(loaded, `data:application/octet-stream;base64,${base64}`);
    expect(bits(loaded.tensors)).toEqual(bits(saved.tensors));
  });

  it('names the URL that answers with an HTTP error', async () => {
    vi.stubGlobal('fetch', async () => new Response('gone', { status: 404, statusText: 'Not Found' }));
    await expect(loadUrl(model(1), 'https://example.com/lenet.safetensors')).rejects.toThrow(
      "loadUrl: 'https://example.com/lenet.safetensors' answered HTTP 404 Not Found");
  });

  it('names the URL that cannot be fetched', async () => {
    vi.stubGlobal('fetch', async () => { throw new TypeError('Failed to fetch'); });
    await expect(loadUrl(model(1), new URL('https://example.com/lenet.safetensors'))).rejects.toThrow(
      "loadUrl: cannot fetch 'https://example.com/lenet.safetensors': Failed to fetch");
  });

  it('names the URL whose answer is not safetensors', async () => {
    vi.stubGlobal('fetch', async () => new Response('<!doctype html>'));
    await expect(loadUrl(model(1), '/lenet.safetensors')).rejects.toThrow("load: '/lenet.safetensors' is not a valid safetensors file");
  });
});

describe('save and load refuse places they cannot use, naming them', () => {
  it('an unknown scheme, pointing to loadUrl for URLs', async () => {
    await expect(load(model(1), 'https://example.com/w.safetensors')).rejects.toThrow(
      "load: 'https://example.com/w.safetensors' has the scheme 'https://', which load does not know: use 'indexeddb://name', 'downloads://name' (save) or a file path (Node), or loadUrl for a URL");
    await expect(save(model(1), 'localstorage://w')).rejects.toThrow("save: 'localstorage://w' has the scheme 'localstorage://'");
  });

  it('a scheme without a name', async () => {
    await expect(save(model(1), 'indexeddb://')).rejects.toThrow("save: 'indexeddb://' needs a name after 'indexeddb://'");
  });

  it("'downloads://' as a source", async () => {
    await expect(load(model(1), 'downloads://lenet')).rejects.toThrow("load: 'downloads://lenet' is a place to save to; to load a downloaded file, pass the File");
  });

  it.runIf(!hasIndexedDb)("'indexeddb://' where there is no IndexedDB (Node)", async () => {
    await expect(save(model(1), 'indexeddb://lenet')).rejects.toThrow(
      "save: 'indexeddb://lenet' needs IndexedDB, which this environment lacks (browsers and their workers have it; in Node use a file path)");
  });

  it.runIf(!hasDocument)("'downloads://' where there is no page to download from (Node, workers)", async () => {
    await expect(save(model(1), 'downloads://lenet')).rejects.toThrow("save: 'downloads://lenet' needs a page to start a download from");
  });

  it.runIf(hasDocument)('a file path in a browser', async () => {
    await expect(save(model(1), 'lenet.safetensors')).rejects.toThrow(
      "save: 'lenet.safetensors' is a file path, which needs Node's file system; here use 'indexeddb://name' or 'downloads://name'");
    await expect(load(model(1), 'lenet.safetensors')).rejects.toThrow(
      "load: 'lenet.safetensors' is a file path, which needs Node's file system; here use 'indexeddb://name', a File or Blob, or loadUrl");
  });
});
