/**
 * npx tsx bench/endpoint.ts — the KMS wire endpoint against moto, both driven by the AWS SDK v3 (`KMSClient`, one
 * keep-alive http agent per client) on 127.0.0.1: throughput of a mix (CreateKey ECC_NIST_P256 SIGN_VERIFY,
 * CreateAlias, DescribeKey by alias, GetPublicKey, Sign RAW ECDSA_SHA_256, Verify) with 1 client and with 8
 * concurrent clients, and the latency (p50, p99) of DescribeKey by alias, sequentially.
 *
 * Our endpoint is `startKmsServer()` (a default `new SimulatedKms()` behind it) running in a child process, so that,
 * like moto in its own process, it does not share an event loop with the SDK clients that drive it; the same
 * endpoint in the benchmark's own thread is reported as well. Every measurement runs for a fixed time after a
 * warm-up, in rounds in which ours and moto's alternate so that the machine's load drifts over both alike; the best
 * round of each counts. Progress goes to stderr; run alone, the section's markdown goes to stdout.
 */
import { spawn, spawnSync } from 'node:child_process';
import { Agent } from 'node:http';
import { fileURLToPath, pathToFileURL } from 'node:url';
import {
  CreateAliasCommand,
  CreateKeyCommand,
  DescribeKeyCommand,
  GetPublicKeyCommand,
  KMSClient,
  SignCommand,
  VerifyCommand,
} from '@aws-sdk/client-kms';
import { startKmsServer } from '../src/kms-endpoint.js';
import { startMoto } from '../test/support/moto-server.js';
import { type BenchRunner, type BenchSection, markdownTable, ms, ratio } from './report.js';

const REGION = 'us-east-1';
const CREDENTIALS = { accessKeyId: 'AKIDBENCHENDPOINT', secretAccessKey: 'bench-endpoint-secret' };
const OPS_PER_MIX = 6;
const WARMUP_MS = 2500;
const MEASURE_MS = 3500;
/** Each measurement is repeated, ours and moto's alternating; the best round of each counts (a shared, noisy machine). */
const ROUNDS = 2;
/** A bound on the mixes of one client in one measurement, whatever the speed. */
const MAX_MIXES = 20_000;
const LATENCY_CALLS = 400;
const CLIENT_COUNTS = [1, 8] as const;
/** Set in the environment of the child process that serves our endpoint. */
const SERVE_ENV = 'KMS_BENCH_ENDPOINT_CHILD';
const MESSAGE = new TextEncoder().encode('a token-signing input of a typical size, '.repeat(5));

type Target = { name: string; url: string };

/** A KMSClient with its own keep-alive agent, no retries (an error must surface, not be hidden by a retry). */
function sdkClient(url: string): { client: KMSClient; close: () => void } {
  const agent = new Agent({ keepAlive: true, maxSockets: 1 });
  const client = new KMSClient({ region: REGION, endpoint: url, credentials: CREDENTIALS, maxAttempts: 1, requestHandler: { httpAgent: agent } });
  return { client, close: () => (client.destroy(), agent.destroy()) };
}

let aliasSeq = 0;

/** One mix: the six operations, in order, each on the key the mix creates. */
async function mix(client: KMSClient, tag: string): Promise<void> {
  const created = await client.send(new CreateKeyCommand({ KeySpec: 'ECC_NIST_P256', KeyUsage: 'SIGN_VERIFY' }));
  const keyId = created.KeyMetadata?.KeyId as string;
  const alias = `alias/bench-${tag}-${++aliasSeq}`;
  await client.send(new CreateAliasCommand({ AliasName: alias, TargetKeyId: keyId }));
  await client.send(new DescribeKeyCommand({ KeyId: alias }));
  await client.send(new GetPublicKeyCommand({ KeyId: keyId }));
  const signed = await client.send(
    new SignCommand({ KeyId: keyId, Message: MESSAGE, MessageType: 'RAW', SigningAlgorithm: 'ECDSA_SHA_256' }),
  );
  const verified = await client.send(
    new VerifyCommand({ KeyId: keyId, Message: MESSAGE, MessageType: 'RAW', Signature: signed.Signature, SigningAlgorithm: 'ECDSA_SHA_256' }),
  );
  if (verified.SignatureValid !== true) throw new Error(`${tag}: Verify did not verify the signature Sign made`);
}

/**
 * Operations per second of the mix with `clients` concurrent clients, each looping for `durationMs`, and the CPU
 * time of this process (the SDK clients, and the in-process endpoint when it is the target) per second of it.
 */
async function throughput(target: Target, clients: number, durationMs: number): Promise<{ rate: number; cpu: number }> {
  const sdk = Array.from({ length: clients }, () => sdkClient(target.url));
  try {
    const cpu = process.cpuUsage();
    const start = performance.now();
    const deadline = start + durationMs;
    const counts = await Promise.all(
      sdk.map(async ({ client }, c) => {
        let mixes = 0;
        while (performance.now() < deadline && mixes < MAX_MIXES) {
          await mix(client, `${target.name}-${c}`);
          mixes++;
        }
        return mixes;
      }),
    );
    const seconds = (performance.now() - start) / 1000;
    const used = process.cpuUsage(cpu);
    return { rate: (counts.reduce((a, b) => a + b, 0) * OPS_PER_MIX) / seconds, cpu: (used.user + used.system) / 1e6 / seconds };
  } finally {
    for (const { close } of sdk) close();
  }
}

/** DescribeKey by alias, LATENCY_CALLS sequential calls on one client: p50 and p99 in ms. */
async function describeLatency(target: Target): Promise<{ p50: number; p99: number }> {
  const { client, close } = sdkClient(target.url);
  try {
    const created = await client.send(new CreateKeyCommand({ KeySpec: 'ECC_NIST_P256', KeyUsage: 'SIGN_VERIFY' }));
    const alias = `alias/bench-latency-${++aliasSeq}`;
    await client.send(new CreateAliasCommand({ AliasName: alias, TargetKeyId: created.KeyMetadata?.KeyId }));
    for (let i = 0; i < 50; i++) await client.send(new DescribeKeyCommand({ KeyId: alias }));
    const times: number[] = [];
    for (let i = 0; i < LATENCY_CALLS; i++) {
      const t = performance.now();
      await client.send(new DescribeKeyCommand({ KeyId: alias }));
      times.push(performance.now() - t);
    }
    times.sort((a, b) => a - b);
    const at = (q: number): number => times[Math.min(times.length - 1, Math.ceil(q * times.length) - 1)] as number;
    return { p50: at(0.5), p99: at(0.99) };
  } finally {
    close();
  }
}

// ---- the servers ------------------------------------------------------------------------------------------------

interface Running {
  url: string;
  stop(): Promise<void>;
}

/** Our endpoint in a child process: this same file, run with the same node flags (tsx) and SERVE_ENV set. */
async function startChildEndpoint(): Promise<Running> {
  const child = spawn(process.execPath, [...process.execArgv, fileURLToPath(import.meta.url)], {
    env: { ...process.env, [SERVE_ENV]: '1' },
    stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  try {
    const url = await new Promise<string>((resolve, reject) => {
      child.once('message', (m: { url?: string; error?: string }) => (m.url ? resolve(m.url) : reject(new Error(m.error))));
      child.once('error', reject);
      child.once('exit', (code) => reject(new Error(`the endpoint process exited (${code})`)));
    });
    return {
      url,
      stop: async () => {
        if (child.connected) child.disconnect(); // the child closes its server and exits
        const force = setTimeout(() => child.kill('SIGKILL'), 10_000);
        await exited;
        clearTimeout(force);
      },
    };
  } catch (error) {
    child.kill('SIGKILL');
    throw error;
  }
}

/** The child: serves until its parent disconnects (or dies), then closes the server and exits. */
async function serveForParent(): Promise<void> {
  try {
    const server = await startKmsServer();
    process.once('disconnect', () => void server.close().then(() => process.exit(0)));
    process.send?.({ url: server.url });
  } catch (error) {
    process.send?.({ error: String(error) });
    process.exit(1);
  }
}

/** Why moto cannot run here, or undefined when it can. */
function motoMissing(): string | undefined {
  const probe = spawnSync('python3', ['-c', 'import moto.server; print(moto.__version__)'], { encoding: 'utf8' });
  if (probe.status === 0) return undefined;
  return `python3 -m moto.server is not available (${(probe.error?.message ?? probe.stderr ?? '').trim().split('\n').at(-1)})`;
}

// ---- the section ------------------------------------------------------------------------------------------------

const opsPerSecond = (value: number): string => `${value.toFixed(0)} ops/s`;

export const run: BenchRunner = async (progress) => {
  const notes: string[] = [];
  const stops: Array<() => Promise<void>> = [];
  try {
    progress('endpoint: starting our endpoint (child process and in process) and moto');
    const worker = await startChildEndpoint();
    stops.push(worker.stop);
    const local = await startKmsServer();
    stops.push(() => local.close());
    const missing = motoMissing();
    let moto: Running | undefined;
    if (missing === undefined) {
      try {
        moto = await startMoto();
        stops.push(moto.stop);
      } catch (error) {
        notes.push(`moto skipped: ${(error as Error).message}`);
      }
    } else notes.push(`moto skipped: ${missing}`);

    const ours: Target = { name: 'ours', url: worker.url };
    const inProcess: Target = { name: 'ours-in-process', url: local.url };
    const theirs: Target | undefined = moto && { name: 'moto', url: moto.url };
    const targets = [ours, inProcess, ...(theirs ? [theirs] : [])];

    for (const target of targets) {
      progress(`endpoint: warming up ${target.name}`);
      await throughput(target, 1, WARMUP_MS / 2);
      await throughput(target, 8, WARMUP_MS / 2);
    }
    const rates = new Map<string, number>();
    const cpuOf = new Map<string, number>();
    for (let round = 1; round <= ROUNDS; round++) {
      for (const clients of CLIENT_COUNTS) {
        for (const target of targets) {
          const key = `${target.name}/${clients}`;
          progress(`endpoint: round ${round}/${ROUNDS}, ${target.name}, ${clients} client(s), ${MEASURE_MS / 1000} s`);
          const measured = await throughput(target, clients, MEASURE_MS);
          progress(`  ${opsPerSecond(measured.rate)}`);
          if (measured.rate > (rates.get(key) ?? 0)) {
            rates.set(key, measured.rate);
            cpuOf.set(key, measured.cpu);
          }
        }
      }
    }
    const cpu = [...cpuOf].map(([key, value]) => `${key.replace('/', ' × ')}: ${(value * 100).toFixed(0)} %`);
    const latency = new Map<string, { p50: number; p99: number }>();
    for (const target of targets) {
      progress(`endpoint: DescribeKey latency, ${target.name}`);
      latency.set(target.name, await describeLatency(target));
    }

    const motoCell = (value: number | undefined, format: (v: number) => string): string =>
      value === undefined ? 'skipped' : format(value);
    const rows = CLIENT_COUNTS.map((clients) => {
      const a = rates.get(`ours/${clients}`) as number;
      const b = rates.get(`ours-in-process/${clients}`) as number;
      const m = rates.get(`moto/${clients}`);
      return [
        `${clients} client${clients === 1 ? '' : 's'}`,
        opsPerSecond(a),
        opsPerSecond(b),
        motoCell(m, opsPerSecond),
        motoCell(m, (v) => ratio(a / v)),
        motoCell(m, (v) => ratio(b / v)),
      ];
    });
    const latencyRows = targets.map((t) => {
      const l = latency.get(t.name) as { p50: number; p99: number };
      return [t.name, ms(l.p50), ms(l.p99)];
    });
    if (!theirs) latencyRows.push(['moto', 'skipped', 'skipped']);
    const ratioAt = (clients: number): number | undefined => {
      const m = rates.get(`moto/${clients}`);
      return m === undefined ? undefined : (rates.get(`ours/${clients}`) as number) / m;
    };
    const section: BenchSection = {
      title: 'KMS wire endpoint vs moto (AWS SDK v3, keep-alive)',
      tables: [
        {
          columns: ['mix, clients', 'ours (process)', 'ours (in process)', 'moto', 'ours (process) : moto', 'ours (in process) : moto'],
          rows,
        },
        { columns: ['DescribeKey by alias, sequential', 'p50', 'p99'], rows: latencyRows },
      ],
      targets: CLIENT_COUNTS.map((clients) => {
        const r = ratioAt(clients);
        const goal = clients === 1 ? 3 : 5;
        return {
          name: `mix throughput vs moto, ${clients} client${clients === 1 ? '' : 's'}`,
          value: r === undefined ? 'skipped' : ratio(r),
          target: `≥ ${goal}×`,
          met: r !== undefined && r >= goal,
        };
      }),
      notes: [
        `Mix: CreateKey ECC_NIST_P256 SIGN_VERIFY, CreateAlias, DescribeKey by alias, GetPublicKey, Sign RAW ECDSA_SHA_256, Verify; ${OPS_PER_MIX} operations per mix; each figure the best of ${ROUNDS} rounds of ${MEASURE_MS / 1000} s (ours and moto alternating) after a warm-up; each client a KMSClient with its own keep-alive agent (one socket), no retries.`,
        'ours (process): startKmsServer() with its default SimulatedKms in a child node process, as moto runs in its own; ours (in process): the same in the thread of the SDK clients, which then share its CPU time. The targets are on the process figures.',
        `DescribeKey latency: ${LATENCY_CALLS} sequential calls on one client after 50 warm-up calls.`,
        `CPU of the benchmark's own process (the SDK clients; for ours (in process) the endpoint too), in % of one core: ${cpu.join(', ')}. Near 100 %, the SDK clients, not the endpoint, bound the figure.`,
        ...notes,
      ],
    };
    return section;
  } finally {
    for (const stop of stops.reverse()) await stop().catch(() => undefined);
  }
};

if (process.env[SERVE_ENV] === '1' && process.send !== undefined) {
  await serveForParent();
} else if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const section = await run((line) => void process.stderr.write(`${line}\n`));
  const out = [`## ${section.title}`, '', ...section.tables.flatMap((t) => [markdownTable(t), ''])];
  for (const t of section.targets ?? []) out.push(`- ${t.met ? '✅' : '❌'} ${t.name}: ${t.value} (target ${t.target})`);
  if (section.notes?.length) out.push('', ...section.notes.map((n) => `- ${n}`));
  process.stdout.write(`${out.join('\n')}\n`);
}
