// A small line plot on a canvas: several series over training steps, one y range, light grid.

/** One line: its points `[step, value]`, its colour and its legend label. */
export interface Series {
  label: string;
  color: string;
  points: [number, number][];
  /** Mark each point with a dot (for sparse series such as test accuracy). */
  dots?: boolean;
}

/** Redraws `canvas` with `series` over steps 0 … the last step, values in `[yMin, yMax]`. */
export function drawPlot(canvas: HTMLCanvasElement, title: string, series: Series[], yMin: number, yMax: number): void {
  const ctx = canvas.getContext('2d');
  if (!ctx) return;
  const { width, height } = canvas;
  const pad = { left: 40, right: 10, top: 22, bottom: 20 };
  const maxStep = Math.max(1, ...series.flatMap((s) => s.points.map(([step]) => step)));
  const x = (step: number) => pad.left + (step / maxStep) * (width - pad.left - pad.right);
  const y = (v: number) => pad.top + (1 - (Math.min(Math.max(v, yMin), yMax) - yMin) / (yMax - yMin)) * (height - pad.top - pad.bottom);

  ctx.clearRect(0, 0, width, height);
  ctx.font = '11px system-ui, sans-serif';
  ctx.strokeStyle = '#e3e3e3';
  ctx.fillStyle = '#666';
  for (let i = 0; i <= 4; i++) {
    const v = yMin + ((yMax - yMin) * i) / 4;
    ctx.beginPath();
    ctx.moveTo(pad.left, y(v));
    ctx.lineTo(width - pad.right, y(v));
    ctx.stroke();
    ctx.fillText(v.toFixed(2), 4, y(v) + 4);
  }
  ctx.fillText(`step ${maxStep}`, width - pad.right - 60, height - 5);
  ctx.fillStyle = '#222';
  ctx.fillText(title, pad.left, 14);

  let legendX = pad.left + ctx.measureText(title).width + 16;
  for (const s of series) {
    ctx.strokeStyle = s.color;
    ctx.lineWidth = 1.5;
    ctx.beginPath();
    s.points.forEach(([step, v], i) => (i === 0 ? ctx.moveTo(x(step), y(v)) : ctx.lineTo(x(step), y(v))));
    ctx.stroke();
    ctx.fillStyle = s.color;
    if (s.dots) for (const [step, v] of s.points) ctx.fillRect(x(step) - 2, y(v) - 2, 4, 4);
    ctx.fillText(`— ${s.label}`, legendX, 14);
    legendX += ctx.measureText(`— ${s.label}`).width + 12;
  }
  ctx.lineWidth = 1;
}
