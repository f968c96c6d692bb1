/**
 * Starts moto's server (`python3 -m moto.server`) on a free loopback port for a test, and stops it after.
 * When python3 or moto is missing the caller skips its moto tests with `MOTO_UNAVAILABLE`; with REQUIRE_MOTO=1
 * (set by .ci/run) a missing moto is an error instead, so CI always runs those tests.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';

export function motoAvailable(): string | undefined {
  const probe = spawnSync('python3', ['-c', 'import moto.server, boto3; print(moto.__version__)'], { encoding: 'utf8' });
  if (probe.status === 0) return undefined;
  const reason = `python3 with moto[server] and boto3 is not installed (${(probe.error?.message ?? probe.stderr ?? '').trim().split('\n').at(-1)})`;
  if (process.env.REQUIRE_MOTO === '1') throw new Error(`REQUIRE_MOTO=1 but ${reason}`);
  return reason;
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

export interface MotoServer {
  url: string;
  stop(): Promise<void>;
}

export async function startMoto(): Promise<MotoServer> {
  const port = await freePort();
  const child: ChildProcess = spawn('python3', ['-m', 'moto.server', '-H', '127.0.0.1', '-p', String(port)], {
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr!.on('data', (chunk: Buffer) => {
    stderr = (stderr + chunk.toString()).slice(-4000);
  });
  const url = `http://127.0.0.1:${port}`;
  const stop = async (): Promise<void> => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    await new Promise<void>((resolve) => {
      child.once('exit', () => resolve());
      child.kill('SIGTERM');
    });
  };
  const deadline = Date.now() + 30_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`moto exited early (${child.exitCode}): ${stderr}`);
    try {
      const response = await fetch(`${url}/moto-api/`);
      if (response.ok) return { url, stop };
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  await stop();
  throw new Error(`moto did not start on ${url} within 30 s: ${stderr}`);
}
