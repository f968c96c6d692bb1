/**
 * Progress of a long key generation on stderr: a spinner with the elapsed seconds, shown only when stderr is a
 * TTY (never in pipes, files or CI logs, and never on stdout, which carries the result).
 *
 * It appears at once for work known to be long (RSA-4096), otherwise once the work has taken `delayMs` (300 ms).
 * The simulator generates keys synchronously, so the spinner may only move between KMS calls; its first frame is
 * drawn before the work starts when the work is known to be long. The line is erased when the work ends.
 */
import type { OutputStream } from './output.js';

export interface ProgressOptions {
  stream: OutputStream;
  /** What is being done, e.g. `Creating an RSA_PSS_SHA256 key (RSA-4096)`. */
  label: string;
  /** Show at once rather than after `delayMs`. */
  immediate?: boolean;
  /** Default 300 ms. */
  delayMs?: number;
  /** Redraw interval, default 100 ms. */
  intervalMs?: number;
  /** Time source in ms, default `Date.now`. */
  now?: () => number;
}

const FRAMES = ['⠋', '⠙', '⠹', '⠸', '⠼', '⠴', '⠦', '⠧', '⠇', '⠏'];
const ERASE_LINE = '\r\u001b[2K';

/** Runs `work`, showing a spinner on a TTY stream while it runs (after the delay unless `immediate`). */
export async function withProgress<T>(options: ProgressOptions, work: () => Promise<T>): Promise<T> {
  const { stream } = options;
  if (stream.isTTY !== true) return work();
  const now = options.now ?? Date.now;
  const started = now();
  let frame = 0;
  let shown = false;
  const draw = (): void => {
    shown = true;
    const seconds = ((now() - started) / 1000).toFixed(1);
    stream.write(`${ERASE_LINE}${FRAMES[frame % FRAMES.length]} ${options.label}… ${seconds}s`);
    frame += 1;
  };
  let interval: NodeJS.Timeout | undefined;
  const start = (): void => {
    draw();
    interval = setInterval(draw, options.intervalMs ?? 100);
  };
  const delay = options.immediate === true ? undefined : setTimeout(start, options.delayMs ?? 300);
  if (options.immediate === true) start();
  try {
    return await work();
  } finally {
    if (delay !== undefined) clearTimeout(delay);
    if (interval !== undefined) clearInterval(interval);
    if (shown) stream.write(ERASE_LINE);
  }
}
