/**
 * The simulator's cryptography (issue 8, part 4), as ratios measured in one run:
 *
 * - SimulatedKms.sign (RAW, in process) vs node:crypto's crypto.sign over the same key and message, for ECDSA
 *   P-256 and RSA-PSS-2048, with the native backend (the default) and with @peculiar/webcrypto for comparison;
 * - key generation: SimulatedKms.createKey vs crypto.generateKeyPair, P-256 and RSA-3072;
 * - the largest event-loop gap (between ticks of a 1 ms setInterval) while three RSA-4096 keys are created at once;
 * - a ListAliases page (Limit 100) at 100 and at 10 000 aliases, in memory and in a state directory.
 *
 * Interleaved rounds, median of the per-round ratios (this machine is shared and noisy); nothing is asserted here.
 * `npx tsx bench/simulator-crypto.ts` prints the section as markdown; bench/run.ts imports `run`.
 */
import { constants, createPrivateKey, generateKeyPair, randomUUID, sign, type KeyObject } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { Crypto as PeculiarCrypto } from '@peculiar/webcrypto';
import { SimulatedKms, type SimulatedKmsOptions } from '../src/adapters/simulator/simulated-kms.js';
import { defaultKeyPolicy } from '../src/adapters/simulator/rules/policy-rules.js';
import { openSimulatorState } from '../src/adapters/simulator/store/durable/simulator-state.js';
import { insertSymmetricKey } from './fill-records.js';
import { markdownTable, ms, ratio, type BenchRunner, type BenchSection, type Progress } from './report.js';

const ACCOUNT = '111122223333';
const REGION = 'us-east-1';
const MESSAGE = new Uint8Array(200).fill(0x5a);
const ROUNDS = 25;
const generate = promisify(generateKeyPair);

type Crypto = SimulatedKmsOptions['crypto'];
const BACKENDS: Array<[string, () => Crypto]> = [
  ['native (node:crypto, default)', () => 'node'],
  ['@peculiar/webcrypto', () => new PeculiarCrypto()],
];

/** The options of a backend (no `crypto` member for the default). */
const options = (crypto: Crypto): SimulatedKmsOptions => (crypto === undefined ? {} : { crypto });

/** Mean ms per call of `runs` calls. */
async function timed(runs: number, fn: () => unknown): Promise<number> {
  const start = process.hrtime.bigint();
  for (let i = 0; i < runs; i++) await fn();
  return Number(process.hrtime.bigint() - start) / 1e6 / runs;
}

/**
 * `subject` against `baseline` after a warm-up, in interleaved rounds of `runs` calls each (the order alternates):
 * the best round of each (mean ms per call) and their ratio. On a shared machine the best round is the one least
 * disturbed by other processes; a median moves with the load (see the notes).
 */
async function compare(
  rounds: number,
  runs: number,
  baseline: () => unknown,
  subject: () => unknown,
  warmUp = Math.max(20, runs),
) {
  for (let i = 0; i < warmUp; i++) {
    await baseline();
    await subject();
  }
  let base = Number.POSITIVE_INFINITY;
  let sub = Number.POSITIVE_INFINITY;
  for (let round = 0; round < rounds; round++) {
    if (round % 2 === 0) base = Math.min(base, await timed(runs, baseline));
    sub = Math.min(sub, await timed(runs, subject));
    if (round % 2 === 1) base = Math.min(base, await timed(runs, baseline));
  }
  return { baseline: base, subject: sub, ratio: sub / base };
}

/** A fresh key pair as PEM (seeded into the simulator) and the same private key as a KeyObject. */
async function keyPair(kind: 'ec' | 'rsa'): Promise<{ pem: string; key: KeyObject }> {
  const { privateKey } =
    kind === 'ec' ? await generate('ec', { namedCurve: 'P-256' }) : await generate('rsa', { modulusLength: 2048 });
  return { pem: privateKey.export({ type: 'pkcs8', format: 'pem' }) as string, key: privateKey };
}

async function signRatios(progress: Progress) {
  const ec = await keyPair('ec');
  const rsa = await keyPair('rsa');
  const cases = [
    { name: 'ECDSA P-256 (ECDSA_SHA_256)', spec: 'ECC_NIST_P256', alg: 'ECDSA_SHA_256', pair: ec, runs: 50 },
    { name: 'RSA-PSS-2048 (RSASSA_PSS_SHA_256)', spec: 'RSA_2048', alg: 'RSASSA_PSS_SHA_256', pair: rsa, runs: 10 },
  ] as const;
  const rows: string[][] = [];
  const native: Array<[string, number]> = [];
  for (const [backend, crypto] of BACKENDS) {
    for (const c of cases) {
      progress(`sign: ${c.name}, ${backend}`);
      const keyId = randomUUID();
      const seed = [{ KeyId: keyId, KeySpec: c.spec, KeyUsage: 'SIGN_VERIFY', PrivateKeyPem: c.pair.pem }] as const;
      const kms = new SimulatedKms({ ...options(crypto()), seed });
      await kms.seeded();
      const signOptions =
        c.alg === 'ECDSA_SHA_256'
          ? { key: c.pair.key, dsaEncoding: 'der' as const }
          : { key: c.pair.key, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: 32 };
      const slow = backend !== BACKENDS[0]![0] && c.alg === 'ECDSA_SHA_256';
      const result = await compare(slow ? 9 : ROUNDS, slow ? 10 : c.runs, () => sign('sha256', MESSAGE, signOptions), () =>
        kms.sign({ KeyId: keyId, SigningAlgorithm: c.alg, Message: MESSAGE }),
      );
      rows.push([c.name, backend, ms(result.baseline), ms(result.subject), ratio(result.ratio)]);
      if (backend === BACKENDS[0]![0]) native.push([c.name, result.ratio]);
    }
  }
  return { rows, native };
}

async function generationRatios(progress: Progress) {
  const rows: string[][] = [];
  const cases = [
    { name: 'P-256', spec: 'ECC_NIST_P256', runs: 20, rounds: 9, warmUp: 10, node: () => generate('ec', { namedCurve: 'P-256' }) },
    { name: 'RSA-3072', spec: 'RSA_3072', runs: 1, rounds: 4, warmUp: 0, node: () => generate('rsa', { modulusLength: 3072 }) },
  ] as const;
  for (const [backend, crypto] of BACKENDS) {
    for (const c of cases) {
      progress(`key generation: ${c.name}, ${backend}`);
      const kms = new SimulatedKms(options(crypto()));
      const create = () => kms.createKey({ KeySpec: c.spec, KeyUsage: 'SIGN_VERIFY' });
      const result = await compare(c.rounds, c.runs, c.node, create, c.warmUp);
      rows.push([c.name, backend, ms(result.baseline), ms(result.subject), ratio(result.ratio)]);
    }
  }
  return rows;
}

/** The largest gap between ticks of a 1 ms interval while three RSA-4096 keys are created at once. */
async function largestGap(crypto: Crypto, stateDir?: string): Promise<{ gap: number; total: number }> {
  const kms = new SimulatedKms({ ...options(crypto), ...(stateDir === undefined ? {} : { stateDir }) });
  await kms.ready();
  let last = performance.now();
  let gap = 0;
  const timer = setInterval(() => {
    const now = performance.now();
    gap = Math.max(gap, now - last);
    last = now;
  }, 1);
  await new Promise((resolve) => setTimeout(resolve, 20)); // the interval is running
  const start = performance.now();
  last = start;
  await Promise.all([0, 1, 2].map(() => kms.createKey({ KeySpec: 'RSA_4096', KeyUsage: 'SIGN_VERIFY' })));
  const total = performance.now() - start;
  await new Promise((resolve) => setTimeout(resolve, 5)); // one more tick after the last key
  clearInterval(timer);
  await kms.close();
  return { gap, total };
}

async function gaps(progress: Progress) {
  const rows: string[][] = [];
  let native = Number.NaN;
  for (const [backend, crypto] of BACKENDS) {
    progress(`event-loop gap: three RSA-4096 keys at once, ${backend}`);
    const { gap, total } = await largestGap(crypto());
    rows.push([backend, ms(gap), ms(total)]);
    if (backend === BACKENDS[0]![0]) native = gap;
  }
  progress('event-loop gap: three RSA-4096 keys at once, native, in a state directory');
  const root = mkdtempSync(join(tmpdir(), 'kms-crypto-bench-'));
  try {
    const { gap, total } = await largestGap('node', join(root, 'state'));
    rows.push([`${BACKENDS[0]![0]}, state directory (encrypted, synced commits)`, ms(gap), ms(total)]);
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
  return { rows, native };
}

/** Adds aliases `alias/bench-<n>` for n in [from, to), 50 per symmetric key (the per-key quota). */
async function fillInMemory(kms: SimulatedKms, from: number, to: number): Promise<void> {
  let keyId = '';
  for (let n = from; n < to; n++) {
    if ((n - from) % 50 === 0) keyId = (await kms.createKey({})).KeyMetadata.KeyId;
    await kms.createAlias({ AliasName: aliasName(n), TargetKeyId: keyId });
  }
}

/** The same in a state directory, written in store transactions of 500 aliases (CreateAlias would fsync each). */
async function fillDurable(dir: string, from: number, to: number): Promise<void> {
  const state = await openSimulatorState(dir);
  const store = state.partition(ACCOUNT, REGION);
  const policy = defaultKeyPolicy('aws', ACCOUNT);
  try {
    for (let start = from; start < to; start += 500) {
      await store.transaction(async (tx) => {
        let keyId = '';
        for (let n = start; n < Math.min(to, start + 500); n++) {
          const now = new Date();
          if ((n - from) % 50 === 0) keyId = await insertSymmetricKey(tx, policy, now);
          await tx.putAlias({ aliasName: aliasName(n), targetKeyId: keyId, creationDate: now, lastUpdatedDate: now });
        }
      });
    }
  } finally {
    await state.close();
  }
}

const aliasName = (n: number): string => `alias/bench-${String(n).padStart(6, '0')}`;

/** A ListAliases page of 100 at 100 and at 10 000 aliases, in memory and in a state directory. */
async function listAliasesRatios(progress: Progress) {
  const rows: string[][] = [];
  const ratios: Array<[string, number]> = [];
  const page = (kms: SimulatedKms) => async () => {
    const { Aliases } = await kms.listAliases({ Limit: 100 });
    if (Aliases.length !== 100) throw new Error(`a page of ${Aliases.length} aliases`);
  };
  const root = mkdtempSync(join(tmpdir(), 'kms-crypto-bench-'));
  try {
    const stores: Array<[string, (size: number) => Promise<SimulatedKms>]> = [
      ['in memory', async (size) => {
        const kms = new SimulatedKms();
        await fillInMemory(kms, 0, size);
        return kms;
      }],
      ['state directory', async (size) => {
        const dir = join(root, `state-${size}`);
        await fillDurable(dir, 0, size);
        return new SimulatedKms({ stateDir: dir });
      }],
    ];
    for (const [store, make] of stores) {
      progress(`ListAliases: ${store}, filling 100 and 10 000 aliases`);
      const small = await make(100);
      const large = await make(10_000);
      const result = await compare(ROUNDS, 20, page(small), page(large));
      rows.push([store, ms(result.baseline), ms(result.subject), ratio(result.ratio)]);
      ratios.push([store, result.ratio]);
      await Promise.all([small.close(), large.close()]);
    }
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
  return { rows, ratios };
}

export const run: BenchRunner = async (progress) => {
  const started = performance.now();
  const signing = await signRatios(progress);
  const generation = await generationRatios(progress);
  const gap = await gaps(progress);
  const listing = await listAliasesRatios(progress);
  const seconds = (performance.now() - started) / 1000;
  const section: BenchSection = {
    title: 'Simulator cryptography: native node:crypto backend vs @peculiar/webcrypto',
    tables: [
      {
        columns: ['Sign (RAW, 200-byte message)', 'backend', 'crypto.sign', 'SimulatedKms.sign', 'ratio'],
        rows: signing.rows,
      },
      {
        columns: ['key generation', 'backend', 'crypto.generateKeyPair', 'SimulatedKms.createKey', 'ratio'],
        rows: generation,
      },
      { columns: ['three RSA-4096 CreateKey at once', 'largest event-loop gap', 'total'], rows: gap.rows },
      { columns: ['ListAliases page (Limit 100)', '100 aliases', '10 000 aliases', 'ratio'], rows: listing.rows },
    ],
    targets: [
      ...signing.native.map(([name, value]) => ({
        name: `SimulatedKms.sign ${name} vs crypto.sign (native backend)`,
        value: ratio(value),
        target: '≤ 1.5×',
        met: value <= 1.5,
      })),
      {
        name: 'largest event-loop gap, three RSA-4096 keys (native backend)',
        value: ms(gap.native),
        target: '≤ 50 ms',
        met: gap.native <= 50,
      },
      ...listing.ratios.map(([store, value]) => ({
        name: `ListAliases page at 10 000 vs 100 aliases (${store})`,
        value: ratio(value),
        target: '≤ 2×',
        met: value <= 2,
      })),
    ],
    notes: [
      `Times are the best of interleaved rounds (${ROUNDS} rounds for Sign and ListAliases, 9 for P-256 generation and @peculiar Sign) of the mean time per call in a round; the ratio is best subject / best baseline. The machine is shared, so the best round is the least disturbed one (medians move with the load of other processes). The Sign baseline is a synchronous crypto.sign loop over the same private key (seeded into the simulator as PEM) and message.`,
      'RSA key generation time varies widely from key to key (the prime search) and only 4 rounds of one key fit, so that ratio is indicative only; the key-generation baseline is the asynchronous generateKeyPair without encoding.',
      'Event-loop gap: the largest interval between ticks of a 1 ms setInterval while the three CreateKey calls run concurrently (Promise.all). @peculiar/webcrypto generates RSA keys synchronously, so its gap is the generation time.',
      'ListAliases: the first page with Limit 100 (the predefined aws/ aliases included); aliases are spread 50 per symmetric key; in the state directory they were written in transactions of 500.',
      `Whole section: ${seconds.toFixed(1)} s.`,
    ],
  };
  return section;
};

/** The section as markdown, for the stand-alone run. */
export function sectionMarkdown(section: BenchSection): string {
  const parts = [`## ${section.title}`, ...section.tables.map(markdownTable)];
  if (section.targets !== undefined && section.targets.length > 0) {
    const rows = section.targets.map((t) => [t.name, t.value, t.target, t.met ? 'met' : 'NOT met']);
    parts.push(markdownTable({ columns: ['target', 'measured', 'target', 'status'], rows }));
  }
  if (section.notes !== undefined) parts.push(section.notes.map((n) => `- ${n}`).join('\n'));
  return `${parts.join('\n\n')}\n`;
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const section = await run((line) => void process.stderr.write(`${line}\n`));
  process.stdout.write(sectionMarkdown(section));
}
