/**
 * The crypto backends of SimulatedKms (docs/kms-behaviour.md §16): the native node:crypto default and a WebCrypto
 * implementation through the `crypto` option read and write the same key material, so a key made with one
 * signs and verifies with the other (in one store, and in a state directory reopened with another backend);
 * the option refuses anything else, naming the valid choices; the native backend generates keys off the event loop.
 */
import { constants, createPublicKey, verify as nodeVerify, webcrypto } from 'node:crypto';
import { inspect } from 'node:util';
import { Crypto as PeculiarCrypto } from '@peculiar/webcrypto';
import { expect } from 'chai';
import { InvalidArgumentError } from '../../../../src/domain/errors.js';
import { SimulatedKms, type SimulatedKmsOptions } from '../../../../src/adapters/simulator/simulated-kms.js';
import { NodeCryptoBackend } from '../../../../src/adapters/simulator/crypto/node-backend.js';
import { InMemorySimulatorStore } from '../../../../src/adapters/simulator/store/in-memory-store.js';
import type { KmsKeySpec, KmsSigningAlgorithm } from '../../../../src/ports/kms.port.js';
import { TempRoot } from '../store/durable/durable-test-kit.js';
import { ACCOUNT, REGION, bytes, expectKmsError } from '../simulator-test-kit.js';

const BACKENDS: Array<[string, () => SimulatedKmsOptions['crypto']]> = [
  ["'node'", () => 'node'],
  ['@peculiar/webcrypto', () => new PeculiarCrypto()],
  ["node:crypto's webcrypto", () => webcrypto as unknown as SimulatedKmsOptions['crypto']],
];

/** The specs whose RAW signatures the backends make themselves, one algorithm of each scheme. */
const CASES: Array<[KmsKeySpec, KmsSigningAlgorithm]> = [
  ['RSA_2048', 'RSASSA_PSS_SHA_256'],
  ['RSA_2048', 'RSASSA_PKCS1_V1_5_SHA_256'],
  ['ECC_NIST_P256', 'ECDSA_SHA_256'],
  ['ECC_NIST_P384', 'ECDSA_SHA_384'],
  ['ECC_NIST_P521', 'ECDSA_SHA_512'],
  ['ECC_NIST_EDWARDS25519', 'ED25519_SHA_512'],
];

const kmsWith = (crypto: SimulatedKmsOptions['crypto'], options: SimulatedKmsOptions = {}): SimulatedKms =>
  new SimulatedKms({ region: REGION, accountId: ACCOUNT, ...(crypto === undefined ? {} : { crypto }), ...options });

/** node:crypto's own verification of a KMS signature against the SPKI GetPublicKey returns. */
function nodeVerifies(spki: Uint8Array, alg: KmsSigningAlgorithm, message: Uint8Array, signature: Uint8Array): boolean {
  const key = createPublicKey({ key: Buffer.from(spki), format: 'der', type: 'spki' });
  if (alg === 'ED25519_SHA_512') return nodeVerify(null, message, key, signature);
  const hash = `sha${alg.slice(-3)}`;
  if (alg.startsWith('RSASSA_PSS')) {
    return nodeVerify(hash, message, { key, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: Number(alg.slice(-3)) / 8 }, signature);
  }
  return nodeVerify(hash, message, { key, dsaEncoding: 'der' }, signature);
}

/** Signs with `signer` and checks the signature with `verifier` (KMS Verify) and with node:crypto. */
async function signsAcross(signer: SimulatedKms, verifier: SimulatedKms, keyId: string, alg: KmsSigningAlgorithm, what: string) {
  const message = bytes(`${what} ${alg}`);
  const { Signature } = await signer.sign({ KeyId: keyId, SigningAlgorithm: alg, Message: message });
  const { PublicKey } = await verifier.getPublicKey({ KeyId: keyId });
  expect(nodeVerifies(PublicKey!, alg, message, Signature!), `${what}: node:crypto`).to.equal(true);
  const verified = await verifier.verify({ KeyId: keyId, SigningAlgorithm: alg, Message: message, Signature: Signature! });
  expect(verified.SignatureValid, `${what}: Verify`).to.equal(true);
  await expectKmsError(
    verifier.verify({ KeyId: keyId, SigningAlgorithm: alg, Message: bytes('another message'), Signature: Signature! }),
    'KMSInvalidSignatureException',
  );
}

describe('adapters/simulator/crypto backends', function () {
  this.timeout(120_000);

  describe('the same key material in every backend', () => {
    for (const [maker, makerCrypto] of BACKENDS) {
      it(`keys created with ${maker} sign and verify with every backend, both ways, and with node:crypto`, async () => {
        const store = new InMemorySimulatorStore();
        const creator = kmsWith(makerCrypto(), { store });
        const others = BACKENDS.map(([name, crypto]) => [name, kmsWith(crypto(), { store })] as const);
        for (const [spec, alg] of CASES) {
          const { KeyMetadata } = await creator.createKey({ KeySpec: spec, KeyUsage: 'SIGN_VERIFY' });
          for (const [name, other] of others) {
            await signsAcross(other, creator, KeyMetadata.KeyId, alg, `${spec} made by ${maker}, signed by ${name}`);
            await signsAcross(creator, other, KeyMetadata.KeyId, alg, `${spec} made by ${maker}, verified by ${name}`);
          }
        }
      });
    }

    it('a state directory written with @peculiar/webcrypto signs with the native backend after a restart, and back', async () => {
      const root = new TempRoot();
      try {
        const stateDir = root.dir();
        const before = kmsWith(new PeculiarCrypto(), { stateDir });
        const keys: Array<[string, KmsSigningAlgorithm]> = [];
        for (const [spec, alg] of CASES.filter(([spec]) => spec !== 'RSA_2048').concat([['RSA_2048', 'RSASSA_PSS_SHA_256']])) {
          keys.push([(await before.createKey({ KeySpec: spec, KeyUsage: 'SIGN_VERIFY' })).KeyMetadata.KeyId, alg]);
        }
        const native = kmsWith('node', { stateDir });
        keys.push([(await native.createKey({ KeySpec: 'ECC_NIST_P256', KeyUsage: 'SIGN_VERIFY' })).KeyMetadata.KeyId, 'ECDSA_SHA_256']);
        await Promise.all([before.close(), native.close()]);

        const after = kmsWith(undefined, { stateDir });
        const peculiar = kmsWith(new PeculiarCrypto(), { stateDir });
        for (const [keyId, alg] of keys) {
          await signsAcross(after, peculiar, keyId, alg, `${keyId} after a restart (native signs)`);
          await signsAcross(peculiar, after, keyId, alg, `${keyId} after a restart (peculiar signs)`);
        }
        await Promise.all([after.close(), peculiar.close()]);
      } finally {
        root.remove();
      }
    });
  });

  describe('the crypto option', () => {
    it("accepts 'node', undefined (the same) and WebCrypto implementations", async () => {
      for (const crypto of [undefined, 'node', new PeculiarCrypto(), webcrypto, globalThis.crypto] as const) {
        const kms = kmsWith(crypto as SimulatedKmsOptions['crypto']);
        expect((await kms.generateRandom({ NumberOfBytes: 16 })).Plaintext).to.have.length(16);
      }
    });

    it('refuses any other value with an InvalidArgumentError naming the valid choices', () => {
      const refused: Array<[unknown, string]> = [
        ['peculiar', 'the string "peculiar"'],
        ['NODE', 'the string "NODE"'],
        ['', 'the string ""'],
        [42, 'a number'],
        [true, 'a boolean'],
        [null, 'null'],
        [() => undefined, 'a function'],
        [{}, 'an object without getRandomValues, randomUUID, subtle'],
        [{ getRandomValues: () => undefined, randomUUID: () => 'x' }, 'an object without subtle'],
        [{ getRandomValues: () => undefined, randomUUID: () => 'x', subtle: null }, 'an object without subtle'],
        [{ randomUUID: () => 'x', subtle: {} }, 'an object without getRandomValues'],
      ];
      for (const [value, described] of refused) {
        let thrown: unknown;
        try {
          kmsWith(value as SimulatedKmsOptions['crypto']);
        } catch (e) {
          thrown = e;
        }
        expect(thrown, String(described)).to.be.instanceOf(InvalidArgumentError);
        const { message } = thrown as InvalidArgumentError;
        expect(message).to.equal(
          "SimulatedKms: crypto must be 'node' (the default: node:crypto) or a WebCrypto implementation with " +
            "getRandomValues, randomUUID and subtle (@peculiar/webcrypto's Crypto, globalThis.crypto, node:crypto's " +
            `webcrypto); got ${described}`,
        );
        expect((thrown as InvalidArgumentError).code).to.equal('ERR_INVALID_ARGUMENT');
      }
    });

    it('shows no key handle in any inspection of the engine', async () => {
      for (const [, crypto] of BACKENDS) {
        const kms = kmsWith(crypto());
        const { KeyMetadata } = await kms.createKey({ KeySpec: 'ECC_NIST_P256', KeyUsage: 'SIGN_VERIFY' });
        await kms.sign({ KeyId: KeyMetadata.KeyId, SigningAlgorithm: 'ECDSA_SHA_256', Message: bytes('m') });
        const text = inspect(kms, { showHidden: true, depth: Infinity });
        expect(text).to.equal(`SimulatedKms { region: '${REGION}', accountId: '${ACCOUNT}' }`);
      }
    });
  });

  describe('the native backend reuses the KeyObjects it generated', () => {
    it("a pair's first signer takes its private KeyObject (no PKCS#8 import); later signers import as usual", async () => {
      const backend = new NodeCryptoBackend();
      const { spki, pkcs8 } = await backend.generatePair({ kind: 'ec', namedCurve: 'P-256' });
      const algorithm = { kind: 'ecdsa', namedCurve: 'P-256', hash: 'sha256' } as const;
      const notPkcs8 = new Uint8Array(0); // importing this would throw: the signer must not need it
      const signer = await backend.rawSigner(notPkcs8, spki, algorithm);
      const signature = await signer(bytes('m'));
      const key = createPublicKey({ key: Buffer.from(spki), format: 'der', type: 'spki' });
      expect(nodeVerify('sha256', bytes('m'), key, signature)).to.equal(true);
      // Handed over once: the next signer of that key imports the PKCS#8 it is given.
      let thrown: unknown;
      await backend.rawSigner(notPkcs8, spki, algorithm).catch((e: unknown) => (thrown = e));
      expect(thrown).to.be.instanceOf(Error);
      const imported = await backend.rawSigner(pkcs8, spki, algorithm);
      expect(nodeVerify('sha256', bytes('n'), key, await imported(bytes('n')))).to.equal(true);
      expect(inspect(backend, { showHidden: true })).to.equal('NodeCryptoBackend {}');
    });
  });

  describe('key generation and the event loop', () => {
    it('the default (native) backend lets a timer scheduled before CreateKey RSA_4096 run before CreateKey resolves', async () => {
      const kms = new SimulatedKms();
      const events: string[] = [];
      setImmediate(() => events.push('immediate'));
      setTimeout(() => events.push('timeout'), 1);
      const created = kms.createKey({ KeySpec: 'RSA_4096', KeyUsage: 'SIGN_VERIFY' }).then(() => events.push('created'));
      await created;
      expect(events.indexOf('created')).to.equal(events.length - 1);
      expect(events).to.include('immediate').and.include('timeout');
    });

    it('so does seeding an RSA key the seed does not give material for', async () => {
      const kms = new SimulatedKms({ crypto: 'node' });
      const events: string[] = [];
      setImmediate(() => events.push('immediate'));
      await kms.seed([{ KeySpec: 'RSA_4096', KeyUsage: 'SIGN_VERIFY', Aliases: ['alias/seeded'] }]).then(() => events.push('seeded'));
      expect(events).to.deep.equal(['immediate', 'seeded']);
    });

    it('@peculiar/webcrypto generates in the calling thread: the same timer runs only after CreateKey resolves (the contrast)', async () => {
      const kms = kmsWith(new PeculiarCrypto());
      const events: string[] = [];
      setImmediate(() => events.push('immediate'));
      await kms.createKey({ KeySpec: 'RSA_2048', KeyUsage: 'SIGN_VERIFY' }).then(() => events.push('created'));
      await new Promise((resolve) => setImmediate(resolve));
      expect(events).to.deep.equal(['created', 'immediate']);
    });
  });
});
