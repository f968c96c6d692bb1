/**
 * npm run bench — costs of the provider's operations over the simulator.
 * KMS round trips per operation are exact counts; timings are reported as ratios to a baseline measured in the
 * same run (this machine is shared and noisy), never asserted.
 */
import { AwsKmsKeyProvider, AwsSdkKms, SimulatedKms, startKmsServer, type KmsPort } from '../src/index.js';

function counting(inner: KmsPort): { kms: KmsPort; take: () => Record<string, number> } {
  let counts: Record<string, number> = {};
  const kms = new Proxy(inner, {
    get(target, property, receiver) {
      const value = Reflect.get(target, property, receiver) as unknown;
      if (typeof value !== 'function') return value;
      return (...args: unknown[]) => {
        counts[String(property)] = (counts[String(property)] ?? 0) + 1;
        return (value as (...a: unknown[]) => unknown).apply(target, args);
      };
    },
  });
  return { kms, take: () => ((c) => ((counts = {}), c))(counts) };
}

async function timePerOp(runs: number, fn: () => Promise<unknown>): Promise<number> {
  await fn(); // warm-up
  const start = process.hrtime.bigint();
  for (let i = 0; i < runs; i++) await fn();
  return Number(process.hrtime.bigint() - start) / 1e6 / runs;
}

const sim = new SimulatedKms();
const { kms, take } = counting(sim);
const provider = new AwsKmsKeyProvider({ kms, aliasPrefix: 'bench' });

// Round trips per operation, with 20 other kids in the account.
for (let i = 0; i < 20; i++) await provider.createKey({ klass: 'asym', alg: 'ECDSA_P256_SHA256' });
take();
const rows: Array<[string, Record<string, number>]> = [];
const ref = await provider.createKey({ klass: 'asym', alg: 'ECDSA_P256_SHA256' });
rows.push(['createKey', take()]);
await provider.rotateKey(ref.kid);
rows.push(['rotateKey', take()]);
await provider.getKey(ref.kid);
rows.push(['getKey (latest)', take()]);
await provider.getKey(ref.kid, 1);
rows.push(['getKey (version)', take()]);
await provider.getPublicJwk(ref.kid, 2);
rows.push(['getPublicJwk (version)', take()]);
await provider.listVersions(ref.kid);
rows.push(['listVersions', take()]);
await provider.jwks();
rows.push(['jwks (21 kids)', take()]);
await provider.destroyKey(ref.kid, 2);
rows.push(['destroyKey (one version)', take()]);
console.log('KMS round trips per provider operation');
for (const [name, counts] of rows) {
  const total = Object.values(counts).reduce((a, b) => a + b, 0);
  console.log(`  ${name.padEnd(26)} ${String(total).padStart(3)}  ${JSON.stringify(counts)}`);
}

// Timings as ratios within this run.
const keys = {
  p256: (await sim.createKey({ KeySpec: 'ECC_NIST_P256', KeyUsage: 'SIGN_VERIFY' })).KeyMetadata.KeyId,
  rsa2048: (await sim.createKey({ KeySpec: 'RSA_2048', KeyUsage: 'SIGN_VERIFY' })).KeyMetadata.KeyId,
};
const message = new TextEncoder().encode('x'.repeat(200));
const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', message));
const sign = (KeyId: string, alg: 'ECDSA_SHA_256' | 'RSASSA_PSS_SHA_256', type: 'RAW' | 'DIGEST') => () =>
  sim.sign({ KeyId, SigningAlgorithm: alg, MessageType: type, Message: type === 'RAW' ? message : digest });
const base = await timePerOp(200, sign(keys.p256, 'ECDSA_SHA_256', 'RAW'));
const timings: Array<[string, number]> = [
  ['Sign ECDSA_SHA_256 RAW (baseline)', base],
  ['Sign ECDSA_SHA_256 DIGEST', await timePerOp(200, sign(keys.p256, 'ECDSA_SHA_256', 'DIGEST'))],
  ['Sign RSASSA_PSS_SHA_256 RAW (2048)', await timePerOp(100, sign(keys.rsa2048, 'RSASSA_PSS_SHA_256', 'RAW'))],
  ['Sign RSASSA_PSS_SHA_256 DIGEST (2048)', await timePerOp(100, sign(keys.rsa2048, 'RSASSA_PSS_SHA_256', 'DIGEST'))],
  ['provider.getPublicJwk (latest)', await timePerOp(100, () => provider.getPublicJwk(ref.kid))],
  ['provider.createKey ECDSA_P256', await timePerOp(20, () => provider.createKey({ klass: 'asym', alg: 'ECDSA_P256_SHA256' }))],
  ['provider.createKey RSA_PSS 3072', await timePerOp(5, () => provider.createKey({ klass: 'asym', alg: 'RSA_PSS_SHA256' }))],
];

// The same Sign through the real AWS SDK over HTTP to the wire endpoint (loopback), same simulator behind it.
const server = await startKmsServer({ kms: sim });
const overWire = new AwsSdkKms({ region: sim.region, endpoint: server.url, credentials: { accessKeyId: 'x', secretAccessKey: 'y' } });
timings.push([
  'Sign ECDSA_SHA_256 RAW via AwsSdkKms → wire',
  await timePerOp(200, () => overWire.sign({ KeyId: keys.p256, SigningAlgorithm: 'ECDSA_SHA_256', Message: message })),
]);
timings.push(['DescribeKey in process', await timePerOp(500, () => sim.describeKey({ KeyId: keys.p256 }))]);
timings.push(['DescribeKey via AwsSdkKms → wire', await timePerOp(300, () => overWire.describeKey({ KeyId: keys.p256 }))]);
overWire.destroy();
await server.close();
console.log(`\nTime per operation as a ratio to the baseline (baseline ${base.toFixed(3)} ms on this run)`);
for (const [name, ms] of timings) console.log(`  ${name.padEnd(40)} ×${(ms / base).toFixed(2)}`);
