/**
 * Secret hygiene: over random sequences of provider operations (failures included), no output — KeyRef, JWK, JWKS,
 * error and its cause chain, `util.inspect` of every public object, wire responses — and no byte of a durable state
 * directory contains a private JWK member or the PKCS#8/secret bytes of any key, in any encoding (raw, hex,
 * base64, base64url, PEM). Replay a failure with the printed seed.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { inspect } from 'node:util';
import { expect } from 'chai';
import fc from 'fast-check';
import { AwsKmsKeyProvider, SimulatedKms, openSimulatorState, startKmsServer, type KeySpec } from '../../src/index.js';
import { InMemorySimulatorStore } from '../../src/adapters/simulator/store/in-memory-store.js';
import { TempRoot } from '../adapters/simulator/store/durable/durable-test-kit.js';
import { run } from '../../src/cli/program.js';
import { captureIo } from '../cli/capture-io.js';

const SPECS: readonly KeySpec[] = [
  { klass: 'asym', alg: 'ECDSA_P256_SHA256' },
  { klass: 'asym', alg: 'RSA_PSS_SHA256', sizeBits: 2048 },
  { klass: 'asym', alg: 'RSA_OAEP_SHA256', sizeBits: 2048 },
  { klass: 'sym', alg: 'AES256_GCM' },
  { klass: 'asym', alg: 'ED25519' },
  { klass: 'asym', alg: 'ML_DSA_44' },
  { klass: 'asym', alg: 'ECDSA_SECP256K1_SHA256' },
  { klass: 'sym', alg: 'HMAC_SHA256' },
];
const PRIVATE_JWK = /"(d|p|q|dp|dq|qi|k|priv)"\s*:/;

/** 24 bytes from the middle of a secret: past any fixed PKCS#8 header, unique, short enough to catch partial leaks. */
function windowOf(secret: Uint8Array): Buffer {
  const b = Buffer.from(secret);
  const start = Math.max(0, (b.length >> 1) - 12);
  return b.subarray(start, start + 24);
}

/** Every encoding a secret could leak in. */
function encodings(secret: Uint8Array): string[] {
  const b = Buffer.from(secret);
  const window = windowOf(secret);
  return [b.toString('hex'), window.toString('hex'), window.toString('base64'), window.toString('base64url'), window.toString('latin1')];
}

function textOf(value: unknown): string {
  const parts: string[] = [inspect(value, { showHidden: true, depth: Infinity, getters: false })];
  try {
    parts.push(JSON.stringify(value) ?? '');
  } catch {
    // circular or BigInt: inspect covers it
  }
  for (let e: unknown = value; e instanceof Error; e = e.cause) parts.push(String(e.message), String(e.stack));
  return parts.join('\n');
}

type Op = { name: string; run: (p: AwsKmsKeyProvider, kids: string[]) => Promise<unknown> };
const op = fc.oneof(
  fc.constantFrom(...SPECS).map((spec): Op => ({ name: `createKey ${spec.alg}`, run: async (p, kids) => {
    const ref = await p.createKey(spec);
    kids.push(ref.kid);
    return ref;
  } })),
  fc.nat().map((i): Op => ({ name: 'rotateKey', run: (p, kids) => p.rotateKey(kids[i % Math.max(1, kids.length)] ?? '0123456789abcdef') })),
  fc.nat().map((i): Op => ({ name: 'getKey', run: (p, kids) => p.getKey(kids[i % Math.max(1, kids.length)] ?? '0123456789abcdef', undefined, { includeSecret: true }) })),
  fc.nat().map((i): Op => ({ name: 'getPublicJwk', run: (p, kids) => p.getPublicJwk(kids[i % Math.max(1, kids.length)] ?? '0123456789abcdef') })),
  fc.nat().map((i): Op => ({ name: 'destroyKey', run: (p, kids) => p.destroyKey(kids[i % Math.max(1, kids.length)] ?? '0123456789abcdef', 1) })),
  fc.constant<Op>({ name: 'jwks', run: (p) => p.jwks() }),
  fc.constant<Op>({ name: 'bad input', run: (p) => p.getKey('not a kid') }),
);

async function secretsOf(store: InMemorySimulatorStore, sim: SimulatedKms): Promise<Uint8Array[]> {
  const secrets: Uint8Array[] = [];
  const { Keys } = await sim.listKeys({ Limit: 1000 });
  for (const { KeyId } of Keys) {
    const material = await store.getKeyMaterial(KeyId);
    if (material) secrets.push(material.secret);
  }
  return secrets;
}

describe('secret hygiene', function () {
  this.timeout(180_000);

  it('no output of random operation sequences contains private key material', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(op, { minLength: 1, maxLength: 12 }), async (ops) => {
        const store = new InMemorySimulatorStore();
        const sim = new SimulatedKms({ store });
        const provider = new AwsKmsKeyProvider({ kms: sim, retry: false });
        const kids: string[] = [];
        const outputs: string[] = [];
        for (const { run } of ops) {
          outputs.push(textOf(await run(provider, kids).catch((error: unknown) => error)));
        }
        outputs.push(textOf(provider), textOf(sim), textOf(store));
        const text = outputs.join('\n');
        expect(text).not.to.match(PRIVATE_JWK);
        expect(text).not.to.match(/PRIVATE KEY/);
        for (const secret of await secretsOf(store, sim)) {
          for (const encoded of encodings(secret)) expect(text.includes(encoded), 'a secret in some encoding').to.equal(false);
        }
      }),
      { numRuns: fc.readConfigureGlobal().numRuns ?? 25 },
    );
  });

  it('wire responses and the files of a state directory hold no private key material', async () => {
    const root = new TempRoot();
    try {
      const dir = root.dir('hygiene');
      const sim = new SimulatedKms({ stateDir: dir });
      const provider = new AwsKmsKeyProvider({ kms: sim });
      const refs = [];
      for (const spec of SPECS) refs.push(await provider.createKey(spec));
      await provider.rotateKey(refs[0]!.kid);
      const server = await startKmsServer({ kms: sim });
      const bodies: string[] = [];
      try {
        for (const [target, body] of [
          ['ListKeys', {}],
          ['ListAliases', {}],
          ...refs.flatMap((r) => [
            ['DescribeKey', { KeyId: r.tags['kms:key_id'] }],
            ['GetPublicKey', { KeyId: r.tags['kms:key_id'] }],
            ['ListResourceTags', { KeyId: r.tags['kms:key_id'] }],
          ]),
        ] as Array<[string, object]>) {
          const response = await fetch(server.url, {
            method: 'POST',
            headers: { 'Content-Type': 'application/x-amz-json-1.1', 'X-Amz-Target': `TrentService.${target}` },
            body: JSON.stringify(body),
          });
          bodies.push(await response.text());
        }
      } finally {
        await server.close();
      }
      await sim.close();
      const secrets: Uint8Array[] = [];
      // The durable store decrypts material only for the simulator's cryptography; read it through a second
      // handle on the same directory to know what to look for.
      const state = await openSimulatorState(dir);
      try {
        const partition = state.partition('111122223333', 'us-east-1');
        for (const ref of refs) secrets.push((await partition.getKeyMaterial(ref.tags['kms:key_id']))!.secret);
      } finally {
        await state.close();
      }
      const files: Buffer[] = [];
      const walk = (path: string): void => {
        for (const name of readdirSync(path)) {
          const full = join(path, name);
          if (statSync(full).isDirectory()) walk(full);
          else files.push(readFileSync(full));
        }
      };
      walk(dir);
      const wire = bodies.join('\n');
      expect(wire).not.to.match(PRIVATE_JWK);
      expect(secrets).to.have.length(SPECS.length);
      for (const secret of secrets) {
        for (const encoded of encodings(secret)) expect(wire.includes(encoded), 'a secret on the wire').to.equal(false);
        const window = windowOf(secret);
        for (const file of files) expect(file.includes(window), 'a secret in a state file, unencrypted').to.equal(false);
      }
    } finally {
      root.remove();
    }
  });

  it('CLI output (text and json, successes and failures) holds no private key material', async () => {
    const root = new TempRoot();
    try {
      const dir = root.dir('cli');
      const out: string[] = [];
      const cli = async (...args: string[]): Promise<string> => {
        const io = captureIo();
        await run(['node', 'kms-keys', '--state-dir', dir, ...args], io);
        out.push(io.stdout.text, io.stderr.text);
        return io.stdout.text;
      };
      const kids: string[] = [];
      const algs = ['ECDSA_P256_SHA256', 'RSA_PSS_SHA256', 'RSA_OAEP_SHA256', 'AES256_GCM', 'ED25519', 'ML_DSA_65', 'ECDSA_SECP256K1_SHA256', 'HMAC_SHA512'];
      for (const alg of algs) {
        const size = alg.startsWith('RSA') ? ['--size', '2048'] : [];
        kids.push((JSON.parse(await cli('--output', 'json', 'create', '--alg', alg, ...size)) as { kid: string }).kid);
      }
      for (const kid of kids) {
        for (const output of ['text', 'json']) {
          await cli('--output', output, 'get', kid);
          await cli('--output', output, 'jwk', kid);
          await cli('--output', output, 'rotate', kid);
          await cli('--output', output, 'versions', kid);
        }
      }
      await cli('--output', 'json', 'jwks');
      await cli('--debug', 'get', '0123456789abcdef');
      const state = await openSimulatorState(dir);
      const secrets: Uint8Array[] = [];
      try {
        const partition = state.partition('111122223333', 'us-east-1');
        for (const key of await partition.listKeys({ limit: 1000 })) secrets.push((await partition.getKeyMaterial(key.keyId))!.secret);
      } finally {
        await state.close();
      }
      expect(secrets.length).to.equal(algs.length * 3); // every kid × 3 versions
      const text = out.join('\n');
      expect(text).not.to.match(PRIVATE_JWK);
      expect(text).not.to.match(/PRIVATE KEY/);
      for (const secret of secrets) for (const encoded of encodings(secret)) expect(text.includes(encoded)).to.equal(false);
    } finally {
      root.remove();
    }
  });
});
