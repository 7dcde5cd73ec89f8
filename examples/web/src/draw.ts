// The drawing pad: the user draws a white digit on black with the mouse, a pen or a finger; the
// drawing is turned into a 28×28 image the way MNIST's digits were made (the digit's bounding box
// scaled to fit 20×20, then centred by its centre of mass in the 28×28 frame).

/** Makes `canvas` drawable; `onChange` runs after each stroke segment and when the pad is cleared. */
export function drawingPad(canvas: HTMLCanvasElement, onChange: () => void): { clear(): void } {
  const ctx = canvas.getContext('2d', { willReadFrequently: true })!;
  let last: [number, number] | undefined;
  const point = (e: PointerEvent): [number, number] => {
    const r = canvas.getBoundingClientRect();
    return [((e.clientX - r.left) * canvas.width) / r.width, ((e.clientY - r.top) * canvas.height) / r.height];
  };
  const clear = () => {
    ctx.fillStyle = '#000';
    ctx.fillRect(0, 0, canvas.width, canvas.height);
    onChange();
  };
  canvas.addEventListener('pointerdown', (e) => {
    canvas.setPointerCapture(e.pointerId);
    last = point(e);
  });
  canvas.addEventListener('pointermove', (e) => {
    if (!last) return;
    const next = point(e);
    ctx.strokeStyle = '#fff';
    ctx.lineWidth = canvas.width / 14;
    ctx.lineCap = 'round';
    ctx.beginPath();
    ctx.moveTo(...last);
    ctx.lineTo(...next);
    ctx.stroke();
    last = next;
    onChange();
  });
  const end = () => (last = undefined);
  canvas.addEventListener('pointerup', end);
  canvas.addEventListener('pointercancel', end);
  clear();
  return { clear };
}

/** The drawing as 28×28 values in [0, 1], MNIST-style; undefined when nothing is drawn. */
export function toMnistPixels(canvas: HTMLCanvasElement): Float32Array | undefined {
  const { width, height } = canvas;
  const rgba = canvas.getContext('2d', { willReadFrequently: true })!.getImageData(0, 0, width, height).data;
  let [left, top, right, bottom] = [width, height, -1, -1];
  for (let yy = 0; yy < height; yy++) {
    for (let xx = 0; xx < width; xx++) {
      if (rgba[(yy * width + xx) * 4] > 0) {
        left = Math.min(left, xx); right = Math.max(right, xx);
        top = Math.min(top, yy); bottom = Math.max(bottom, yy);
      }
    }
  }
  if (right < 0) return undefined;
  // The bounding box scaled (aspect kept) to fit 20×20, drawn with smoothing into a 28×28 canvas.
  const boxW = right - left + 1;
  const boxH = bottom - top + 1;
  const scale = 20 / Math.max(boxW, boxH);
  const small = new OffscreenCanvas(28, 28);
  const sctx = small.getContext('2d', { willReadFrequently: true })!;
  sctx.imageSmoothingEnabled = true;
  sctx.imageSmoothingQuality = 'high';
  sctx.drawImage(canvas, left, top, boxW, boxH, (28 - boxW * scale) / 2, (28 - boxH * scale) / 2, boxW * scale, boxH * scale);
  const small8 = sctx.getImageData(0, 0, 28, 28).data;
  const pixels = Float32Array.from({ length: 28 * 28 }, (_, i) => small8[i * 4] / 255);
  return centreOfMass(pixels);
}

/** The image shifted by whole pixels so that its centre of mass sits at the centre (14, 14). */
function centreOfMass(pixels: Float32Array): Float32Array {
  let [mass, sx, sy] = [0, 0, 0];
  pixels.forEach((v, i) => {
    mass += v;
    sx += v * (i % 28);
    sy += v * Math.floor(i / 28);
  });
  const dx = Math.round(13.5 - sx / mass);
  const dy = Math.round(13.5 - sy / mass);
  const out = new Float32Array(28 * 28);
  for (let yy = 0; yy < 28; yy++) {
    for (let xx = 0; xx < 28; xx++) {
      const [fromX, fromY] = [xx - dx, yy - dy];
      if (fromX >= 0 && fromX < 28 && fromY >= 0 && fromY < 28) out[yy * 28 + xx] = pixels[fromY * 28 + fromX];
    }
  }
  return out;
}
