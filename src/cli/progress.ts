// Training progress for the terminal: a redrawn bar on a TTY, plain lines when piped.
import type { BatchLog, EpochLog } from '../train/fit.js';

export interface ProgressOutput {
  isTTY?: boolean;
  columns?: number;
  write(text: string): unknown;
}

function formatSeconds(s: number): string {
  if (!Number.isFinite(s)) return '?';
  const m = Math.floor(s / 60);
  return m > 0 ? `${m}m${String(Math.round(s % 60)).padStart(2, '0')}s` : `${s.toFixed(s < 10 ? 1 : 0)}s`;
}

function stats(log: BatchLog): string {
  const eta = (log.seconds / (log.batch + 1)) * (log.batches - log.batch - 1);
  return `loss ${log.epochLoss.toFixed(4)}  acc ${(100 * log.epochAccuracy).toFixed(2)}%  ${Math.round(log.samplesPerSecond).toLocaleString('en-US')} samples/s  ETA ${formatSeconds(eta)}`;
}

/** Callbacks for `fit` that report progress on `out` (a TTY gets a bar, a pipe a line per tenth). */
export function progressReporter(out: ProgressOutput, epochs: number): { onBatch(log: BatchLog): void; onEpoch(log: EpochLog): void } {
  let lastTenth = -1;
  let lastDraw = 0;
  return {
    onBatch(log) {
      const done = (log.batch + 1) / log.batches;
      const prefix = `epoch ${log.epoch + 1}/${epochs}`;
      if (out.isTTY) {
        const now = performance.now();
        if (now - lastDraw < 100 && log.batch + 1 < log.batches) return;
        lastDraw = now;
        const width = Math.max(10, Math.min(30, (out.columns ?? 80) - 95));
        const filled = Math.round(done * width);
        out.write(`\r${prefix} [${'='.repeat(filled)}${' '.repeat(width - filled)}] ${String(Math.floor(done * 100)).padStart(3)}%  ${stats(log)}\x1b[K`);
      } else {
        const tenth = Math.floor(done * 10);
        if (tenth > lastTenth && tenth > 0) {
          lastTenth = tenth;
          out.write(`${prefix} ${String(tenth * 10).padStart(3)}%  ${stats(log)}\n`);
        }
      }
    },
    onEpoch(log) {
      lastTenth = -1;
      const validation = log.valAccuracy === undefined ? '' : `  val_loss ${log.valLoss!.toFixed(4)}  val_acc ${(100 * log.valAccuracy).toFixed(2)}%`;
      const line = `epoch ${log.epoch + 1}/${epochs}  loss ${log.loss.toFixed(4)}  acc ${(100 * log.accuracy).toFixed(2)}%${validation}  lr ${log.lr}  ${formatSeconds(log.seconds)}  ${Math.round(log.samplesPerSecond).toLocaleString('en-US')} samples/s`;
      out.write(out.isTTY ? `\r${line}\x1b[K\n` : `${line}\n`);
    },
  };
}
