/**
 * Runs the BUILT kms-keys binary (dist/cli/kms-keys.js) as a subprocess, as users do. `ensureBuilt()` compiles
 * dist/ when it is missing or older than a source file (`npm test` builds first, so then it does nothing).
 */
import { execFile, execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { existsSync, mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = fileURLToPath(new URL('../..', import.meta.url));
export const BIN = join(ROOT, 'dist', 'cli', 'kms-keys.js');

function newestSource(dir: string): number {
  return Math.max(
    0,
    ...readdirSync(dir, { withFileTypes: true }).map((entry) => {
      const path = join(dir, entry.name);
      return entry.isDirectory() ? newestSource(path) : entry.name.endsWith('.ts') ? statSync(path).mtimeMs : 0;
    }),
  );
}

/** Builds dist/ (tsc -p tsconfig.build.json) unless dist/cli/kms-keys.js is newer than every file of src/. */
export function ensureBuilt(): void {
  let built = 0;
  try {
    built = statSync(BIN).mtimeMs;
  } catch {
    built = 0;
  }
  if (built > newestSource(join(ROOT, 'src'))) return;
  try {
    execFileSync(process.execPath, [join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', 'tsconfig.build.json'], {
      cwd: ROOT,
      stdio: 'pipe',
    });
  } catch (error) {
    // tsc emits despite type errors elsewhere (work in progress); only a missing binary is fatal.
    if (!existsSync(BIN)) throw error;
  }
}

export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** The environment of every child: the parent's without the variables the CLI reads (tests set them). */
export function childEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env };
  for (const name of ['KMS_SIM_STATE_DIR', 'AWS_REGION', 'AWS_DEFAULT_REGION', 'AWS_PROFILE', 'AWS_ENDPOINT_URL', 'AWS_ENDPOINT_URL_KMS']) {
    delete env[name];
  }
  return { ...env, ...extra };
}

/** `node dist/cli/kms-keys.js …args`, to completion. */
export function kmsKeys(args: readonly string[], env: Record<string, string> = {}): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    execFile(process.execPath, [BIN, ...args], { env: childEnv(env), cwd: ROOT, timeout: 30_000 }, (error, stdout, stderr) => {
      if (error !== null && typeof error.code !== 'number') {
        reject(error);
        return;
      }
      resolve({ code: error === null ? 0 : (error.code as number), stdout, stderr });
    });
  });
}

/** `node dist/cli/kms-keys.js …args` left running (for `serve`). */
export function spawnKmsKeys(args: readonly string[], env: Record<string, string> = {}): ChildProcess {
  return spawn(process.execPath, [BIN, ...args], { env: childEnv(env), cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
}

/** A fresh temporary directory and its removal. */
export function tempDir(prefix: string): { path: string; remove(): void } {
  const path = mkdtempSync(join(tmpdir(), prefix));
  return { path, remove: () => rmSync(path, { recursive: true, force: true }) };
}

/** What a failure must look like: exactly one line on stderr, no stack trace. */
export function oneErrorLine(result: CliResult): string {
  const lines = result.stderr.split('\n').filter((line) => line !== '');
  if (lines.length !== 1) throw new Error(`expected one stderr line, got ${lines.length}: ${result.stderr}`);
  if (/^\s+at /m.test(result.stderr)) throw new Error(`stack trace on stderr: ${result.stderr}`);
  return lines[0]!;
}

/** A running `kms-keys --output json … serve --port 0 …` over its own state directory. */
export interface ServedCli {
  child: ChildProcess;
  url: string;
  jwksUrl: string;
  /** SIGTERM, wait for the exit, remove the state directory. */
  stop(): Promise<void>;
}

/** Starts `kms-keys serve` on a free loopback port (its first stdout line names the URLs). */
export async function serveCli(prefix: string, serveArgs: readonly string[] = []): Promise<ServedCli> {
  const state = tempDir(prefix);
  const child = spawnKmsKeys(['--state-dir', join(state.path, 's'), '--output', 'json', 'serve', '--port', '0', ...serveArgs]);
  const stop = async (): Promise<void> => {
    if (child.exitCode === null && child.signalCode === null) {
      const exited = once(child, 'exit');
      child.kill('SIGTERM');
      await exited;
    }
    state.remove();
  };
  let buffered = '';
  for await (const chunk of child.stdout!) {
    buffered += (chunk as Buffer).toString();
    if (buffered.includes('\n')) break;
  }
  if (!buffered.includes('\n')) {
    await stop();
    throw new Error('kms-keys serve ended without printing its URL');
  }
  const { url, jwksUrl } = JSON.parse(buffered.slice(0, buffered.indexOf('\n'))) as { url: string; jwksUrl: string };
  return { child, url, jwksUrl, stop };
}
