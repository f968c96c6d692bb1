/** Shared helpers of the durable-store tests: temporary state directories (always removed) and child processes. */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * A temporary root for state directories; `dir(name)` is a path inside it (not created), `remove()` deletes
 * everything. Call `remove` in an `after`/`afterEach` hook.
 */
export class TempRoot {
  readonly path = mkdtempSync(join(tmpdir(), 'kms-durable-test-'));
  #count = 0;

  dir(name = `state-${++this.#count}`): string {
    return join(this.path, name);
  }

  remove(): void {
    rmSync(this.path, { recursive: true, force: true });
  }
}

export const FIXTURES = fileURLToPath(new URL('./fixtures/', import.meta.url));

/** Starts `node --import tsx <fixture> ...args` with piped output. */
export function startFixture(fixture: string, args: readonly string[]): ChildProcess {
  return spawn(process.execPath, ['--import', 'tsx', '--no-experimental-require-module', join(FIXTURES, fixture), ...args], {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, NODE_OPTIONS: '' },
  });
}

/** Lines written on stdout, as they come; `exited` resolves with the exit code or signal. */
export function watch(child: ChildProcess): {
  lines: string[];
  stderr: () => string;
  onLine: (fn: (line: string) => void) => void;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
} {
  const lines: string[] = [];
  const listeners: Array<(line: string) => void> = [];
  let partial = '';
  let errors = '';
  child.stdout?.setEncoding('utf8').on('data', (chunk: string) => {
    partial += chunk;
    let nl: number;
    while ((nl = partial.indexOf('\n')) >= 0) {
      const line = partial.slice(0, nl);
      partial = partial.slice(nl + 1);
      lines.push(line);
      for (const fn of listeners) fn(line);
    }
  });
  child.stderr?.setEncoding('utf8').on('data', (chunk: string) => {
    errors += chunk;
  });
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => {
    child.on('exit', (code, signal) => resolve({ code, signal }));
  });
  return { lines, stderr: () => errors, onLine: (fn) => listeners.push(fn), exited };
}
