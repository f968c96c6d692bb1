/**
 * The store section of `npm run bench` (`run`), also runnable alone (`npm run bench:store`, or
 * `npx tsx bench/durable-store.ts`, printing the section's markdown) — the durable simulator store at 10 and at 10 000 keys in one state directory:
 * DescribeKey, Sign (ECDSA P-256, RAW) and a ListAliases page (Limit 50), as a mean time per operation, and the
 * ratio 10 000 : 10 (each is an O(log n + page) lookup, so the target is within 2×). Progress on stderr. The first 10 keys are made through CreateKey, with 5 aliases each so that a
 * ListAliases page is a full 50 at both sizes; the other 9 990 (symmetric, one alias each) are written in store
 * transactions of 500 keys. Everything is warmed up (JIT) before the first measurement. The state directory is
 * temporary and removed at the end.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { SimulatedKms } from '../src/adapters/simulator/simulated-kms.js';
import { insertSymmetricKey } from './fill-records.js';
import { defaultKeyPolicy } from '../src/adapters/simulator/rules/policy-rules.js';
import { openSimulatorState } from '../src/adapters/simulator/store/durable/simulator-state.js';
import { markdownTable, ms, ratio, type BenchRunner, type BenchSection, type Progress } from './report.js';

const ACCOUNT = '111122223333';
const REGION = 'us-east-1';
const SIZES = [10, 10_000] as const;
const ROUNDS = 15;
const RUNS = { describeKey: 100, sign: 100, listAliases: 100 };
const BATCH = 500;

/** The mean ms per call of `fn`: the best of ROUNDS rounds of `runs` calls (this machine is shared and noisy). */
async function meanMs(runs: number, fn: () => Promise<unknown>): Promise<number> {
  for (let i = 0; i < 20; i++) await fn(); // warm-up
  let best = Number.POSITIVE_INFINITY;
  for (let round = 0; round < ROUNDS; round++) {
    const start = process.hrtime.bigint();
    for (let i = 0; i < runs; i++) await fn();
    best = Math.min(best, Number(process.hrtime.bigint() - start) / 1e6 / runs);
  }
  return best;
}

/** Adds `count` symmetric keys with an alias each (`alias/fill-<n>`), BATCH per transaction. */
async function fill(dir: string, from: number, count: number, log: Progress): Promise<void> {
  const state = await openSimulatorState(dir);
  const store = state.partition(ACCOUNT, REGION);
  const policy = defaultKeyPolicy('aws', ACCOUNT);
  try {
    for (let done = 0; done < count; done += BATCH) {
      const n = Math.min(BATCH, count - done);
      await store.transaction(async (tx) => {
        for (let i = 0; i < n; i++) {
          const now = new Date();
          const keyId = await insertSymmetricKey(tx, policy, now);
          await tx.putAlias({ aliasName: `alias/fill-${from + done + i}`, targetKeyId: keyId, creationDate: now, lastUpdatedDate: now });
        }
      });
      if ((done / BATCH) % 4 === 0) log(`  … ${from + done + n} keys`);
    }
  } finally {
    await state.close();
  }
}

/** Target: each operation at 10 000 keys within this factor of its time at 10 keys. */
const TARGET_RATIO = 2;

export const run: BenchRunner = async (log) => {
  const root = mkdtempSync(join(tmpdir(), 'kms-durable-bench-'));
  const dir = join(root, 'state');
  try {
    const kms = new SimulatedKms({ stateDir: dir, region: REGION, accountId: ACCOUNT });
    const { KeyMetadata: signer } = await kms.createKey({ KeySpec: 'ECC_NIST_P256', KeyUsage: 'SIGN_VERIFY' });
    await kms.createAlias({ AliasName: 'alias/bench-signer', TargetKeyId: signer.KeyId });
    for (let i = 0; i < SIZES[0]; i++) {
      const keyId = i === 0 ? signer.KeyId : (await kms.createKey({})).KeyMetadata.KeyId;
      for (let j = i === 0 ? 1 : 0; j < 5; j++) await kms.createAlias({ AliasName: `alias/bench-${i}-${j}`, TargetKeyId: keyId });
    }
    const message = new TextEncoder().encode('x'.repeat(200));
    const ops: Array<[name: string, runs: number, fn: () => Promise<unknown>]> = [
      ['DescribeKey (key ID)', RUNS.describeKey, () => kms.describeKey({ KeyId: signer.KeyId })],
      ['Sign ECDSA_SHA_256 (alias)', RUNS.sign, () => kms.sign({ KeyId: 'alias/bench-signer', SigningAlgorithm: 'ECDSA_SHA_256', Message: message })],
      ['ListAliases page (Limit 50)', RUNS.listAliases, () => kms.listAliases({ Limit: 50 })],
    ];
    log('store: warming up');
    for (const [, runs, fn] of ops) for (let i = 0; i < 3 * runs; i++) await fn();
    const results = new Map<string, number[]>();
    const pages: string[] = [];
    let keys: number = SIZES[0];
    for (const size of SIZES) {
      if (size > keys) {
        log(`store: filling to ${size} keys`);
        await fill(dir, keys, size - keys, log);
        keys = size;
      }
      const page = await kms.listAliases({ Limit: 50 });
      pages.push(`${size.toLocaleString('en')} keys: ${page.Aliases.length} aliases, truncated ${page.Truncated}`);
      log(`store: measuring at ${size} keys (a ListAliases page: ${page.Aliases.length} aliases, truncated: ${page.Truncated})`);
      for (const [name, runs, fn] of ops) {
        const mean = await meanMs(runs, fn);
        results.set(name, [...(results.get(name) ?? []), mean]);
        log(`  ${name}: ${mean.toFixed(3)} ms`);
      }
    }
    await kms.close();

    const [small, large] = SIZES.map((n) => n.toLocaleString('en'));
    const rows = [...results].map(([name, [a = NaN, b = NaN] = []]) => [name, ms(a), ms(b), ratio(b / a)]);
    const section: BenchSection = {
      title: `Durable store (lmdb): ${small} vs ${large} keys in one state directory`,
      tables: [{ columns: ['operation', `${small} keys, per op`, `${large} keys, per op`, `ratio ${large} : ${small}`], rows }],
      targets: [...results].map(([name, [a = NaN, b = NaN] = []]) => ({
        name: `${name}: ${large} keys vs ${small}`,
        value: ratio(b / a),
        target: `≤ ${TARGET_RATIO}×`,
        met: b / a <= TARGET_RATIO,
      })),
      notes: [
        `Each cell is the best of ${ROUNDS} rounds' mean time per call (${RUNS.describeKey} DescribeKey, ${RUNS.sign} Sign, ${RUNS.listAliases} ListAliases per round), after a JIT warm-up; the machine is shared, so the best round is the least disturbed one.`,
        `The first ${small} keys are made through CreateKey with 5 aliases each, so that a ListAliases page is a full 50 at both sizes (${pages.join('; ')}); the others (symmetric, one alias each) are written in store transactions of ${BATCH} keys.`,
        'The state directory is temporary and removed at the end.',
      ],
    };
    return section;
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
};

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const section = await run((line) => void process.stderr.write(`${line}\n`));
  process.stdout.write(`## ${section.title}\n\n${section.tables.map(markdownTable).join('\n\n')}\n`);
}
