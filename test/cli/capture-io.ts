/** Captured standard streams for running the CLI in process (`run(argv, io)`). */
import type { CliIo } from '../../src/cli/output.js';

export class Capture {
  text = '';
  constructor(readonly isTTY = false) {}
  write(chunk: string): boolean {
    this.text += chunk;
    return true;
  }
}

/** An io whose stdout and stderr are Captures (not TTYs) and whose environment is `env`. */
export function captureIo(env: Record<string, string> = {}): CliIo & { stdout: Capture; stderr: Capture } {
  return { stdout: new Capture(), stderr: new Capture(), env };
}
