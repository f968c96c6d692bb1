import {
  constants,
  createHash,
  createPrivateKey,
  createPublicKey,
  sign as nodeSign,
  verify as nodeVerify,
  type KeyObject,
} from 'node:crypto';
import { ed25519ph } from '@noble/curves/ed25519.js';
import { p256, p384, p521 } from '@noble/curves/nist.js';
import { secp256k1 } from '@noble/curves/secp256k1.js';
import { shake256 } from '@noble/hashes/sha3.js';
import { ml_dsa44, ml_dsa65, ml_dsa87 } from '@noble/post-quantum/ml-dsa.js';
import { Crypto as PeculiarCrypto } from '@peculiar/webcrypto';
import { expect } from 'chai';
import { compactVerify, importSPKI } from 'jose';
import type { CryptoBackend } from '../../../../src/adapters/simulator/crypto/crypto-backend.js';
import { generateKeyMaterial } from '../../../../src/adapters/simulator/crypto/key-generation.js';
import { NodeCryptoBackend } from '../../../../src/adapters/simulator/crypto/node-backend.js';
import { WebCryptoBackend } from '../../../../src/adapters/simulator/crypto/webcrypto-backend.js';
import { KeyCrypto } from '../../../../src/adapters/simulator/crypto/signer.js';
import type { KeyMaterial } from '../../../../src/adapters/simulator/store/simulator-store.js';
import { KEY_SPEC_RULES, digestLength } from '../../../../src/adapters/simulator/model/key-spec-table.js';
import { ecdsaDerToRaw, ecdsaRawToDer } from '../../../../src/codec/ecdsa-signature.js';
import type { KmsKeySpec, KmsMessageType, KmsSigningAlgorithm } from '../../../../src/ports/kms.port.js';

const SIGNING_SPECS = [
  'RSA_2048',
  'RSA_3072',
  'RSA_4096',
  'ECC_NIST_P256',
  'ECC_NIST_P384',
  'ECC_NIST_P521',
  'ECC_SECG_P256K1',
  'ECC_NIST_EDWARDS25519',
  'ML_DSA_44',
  'ML_DSA_65',
  'ML_DSA_87',
] as const satisfies readonly KmsKeySpec[];
type SigningSpec = (typeof SIGNING_SPECS)[number];

const ML_DSA = { ML_DSA_44: ml_dsa44, ML_DSA_65: ml_dsa65, ML_DSA_87: ml_dsa87 } as const;
const ECDSA = {
  ECC_NIST_P256: { curve: p256, size: 32, nodeCurve: 'prime256v1' },
  ECC_NIST_P384: { curve: p384, size: 48, nodeCurve: 'secp384r1' },
  ECC_NIST_P521: { curve: p521, size: 66, nodeCurve: 'secp521r1' },
  ECC_SECG_P256K1: { curve: secp256k1, size: 32, nodeCurve: 'secp256k1' },
} as const;
const isEcdsa = (spec: KmsKeySpec): spec is keyof typeof ECDSA => spec in ECDSA;
const isMlDsa = (spec: KmsKeySpec): spec is keyof typeof ML_DSA => spec in ML_DSA;

/** Each backend, and for the WebCrypto ones the implementation behind it. */
const IMPLEMENTATIONS: Array<[string, () => CryptoBackend, (() => Crypto) | undefined]> = [
  ['the native backend (node:crypto)', () => new NodeCryptoBackend(), undefined],
  ['@peculiar/webcrypto', () => new WebCryptoBackend(new PeculiarCrypto()), () => new PeculiarCrypto()],
  ["Node's globalThis.crypto", () => new WebCryptoBackend(globalThis.crypto), () => globalThis.crypto],
];

const messageTypes = (alg: KmsSigningAlgorithm): KmsMessageType[] =>
  alg === 'ED25519_SHA_512'
    ? ['RAW']
    : alg === 'ED25519_PH_SHA_512'
      ? ['DIGEST']
      : alg === 'ML_DSA_SHAKE_256'
        ? ['RAW', 'EXTERNAL_MU']
        : ['RAW', 'DIGEST'];

const hashName = (alg: KmsSigningAlgorithm): 'sha256' | 'sha384' | 'sha512' =>
  `sha${8 * digestLength(alg)!}` as 'sha256' | 'sha384' | 'sha512';
const nodePublic = (material: KeyMaterial): KeyObject =>
  createPublicKey({ key: Buffer.from(material.publicKey!), format: 'der', type: 'spki' });
const nodePrivate = (material: KeyMaterial): KeyObject =>
  createPrivateKey({ key: Buffer.from(material.secret), format: 'der', type: 'pkcs8' });
const rawPublicKey = (material: KeyMaterial, length: number): Uint8Array =>
  material.publicKey!.subarray(material.publicKey!.length - length);

/** The message as KMS receives it for `type`: the message itself, its digest, or the ML-DSA µ (FIPS 204, empty context). */
function input(material: KeyMaterial, alg: KmsSigningAlgorithm, type: KmsMessageType, message: Uint8Array): Uint8Array {
  if (type === 'RAW') return message;
  if (type === 'DIGEST') return createHash(hashName(alg)).update(message).digest();
  const dsa = ML_DSA[material.spec as keyof typeof ML_DSA];
  const tr = shake256(rawPublicKey(material, dsa.lengths.publicKey!), { dkLen: 64 });
  return shake256(Uint8Array.from([...tr, 0, 0, ...message]), { dkLen: 64 });
}

/** Verifies a KMS signature over the original `message` without the simulator's code: node:crypto, or noble's own Ed25519ph / ML-DSA. */
function verifyIndependently(material: KeyMaterial, alg: KmsSigningAlgorithm, message: Uint8Array, signature: Uint8Array) {
  if (alg === 'ML_DSA_SHAKE_256') {
    // node:crypto has no ML-DSA before Node 24: noble's pure ML-DSA, fed the raw key from the SPKI
    const dsa = ML_DSA[material.spec as keyof typeof ML_DSA];
    return dsa.verify(signature, message, rawPublicKey(material, dsa.lengths.publicKey!));
  }
  if (alg === 'ED25519_PH_SHA_512') return ed25519ph.verify(signature, message, rawPublicKey(material, 32), { zip215: false });
  const key = nodePublic(material);
  if (alg.startsWith('RSASSA_PKCS1_V1_5')) return nodeVerify(hashName(alg), message, key, signature);
  if (alg.startsWith('RSASSA_PSS')) {
    const options = { key, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: digestLength(alg)! };
    return nodeVerify(hashName(alg), message, options, signature);
  }
  if (alg.startsWith('ECDSA')) return nodeVerify(hashName(alg), message, { key, dsaEncoding: 'der' }, signature);
  return nodeVerify(null, message, key, signature); // ED25519_SHA_512
}

const flip = (bytes: Uint8Array, index = Math.floor(bytes.length / 2)): Uint8Array =>
  bytes.map((b, i) => (i === index ? b ^ 0x01 : b));
const text = (s: string): Uint8Array => new TextEncoder().encode(s);
const hex = (b: Uint8Array): string => Buffer.from(b).toString('hex');

/** A backend that records the runtime handles asked of it. */
function recordingBackend(base: CryptoBackend): { backend: CryptoBackend; made: string[] } {
  const made: string[] = [];
  const backend: CryptoBackend = {
    name: base.name,
    getRandomValues: (array) => base.getRandomValues(array),
    randomUUID: () => base.randomUUID(),
    generatePair: (algorithm) => base.generatePair(algorithm),
    rawSigner: (pkcs8, spki, algorithm) => {
      made.push(`signer ${algorithm.kind}`);
      return base.rawSigner(pkcs8, spki, algorithm);
    },
    ed25519Verifier: (spki) => {
      made.push('verifier ed25519');
      return base.ed25519Verifier(spki);
    },
  };
  return { backend, made };
}

/** A Crypto that records importKey calls. */
function recordingCrypto(base: Crypto): { crypto: Crypto; imports: Array<{ format: string; extractable: boolean }> } {
  const imports: Array<{ format: string; extractable: boolean }> = [];
  const subtle = new Proxy(base.subtle, {
    get(target, property) {
      const value: unknown = Reflect.get(target, property);
      if (typeof value !== 'function') return value;
      if (property !== 'importKey') return value.bind(target);
      return (format: string, data: unknown, algorithm: unknown, extractable: boolean, usages: unknown) => {
        imports.push({ format, extractable });
        return value.call(target, format, data, algorithm, extractable, usages);
      };
    },
  });
  const crypto = {
    subtle,
    getRandomValues: base.getRandomValues.bind(base),
    randomUUID: base.randomUUID.bind(base),
  } as Crypto;
  return { crypto, imports };
}

for (const [implementation, makeBackend, makeCrypto] of IMPLEMENTATIONS) {
  describe(`adapters/simulator/key-material with ${implementation}`, () => {
    const crypto = makeBackend();
    const keyCrypto = new KeyCrypto(crypto);
    const materials = new Map<SigningSpec, KeyMaterial>();
    const material = (spec: SigningSpec): KeyMaterial => materials.get(spec)!;

    before(async () => {
      const generated = await Promise.all(SIGNING_SPECS.map((spec) => generateKeyMaterial(spec, crypto)));
      generated.forEach((m, i) => materials.set(SIGNING_SPECS[i]!, m));
    });

    describe('generateKeyMaterial', () => {
      const secretSpecs: Array<[KmsKeySpec, number]> = [
        ['SYMMETRIC_DEFAULT', 32],
        ['HMAC_224', 28],
        ['HMAC_256', 32],
        ['HMAC_384', 48],
        ['HMAC_512', 64],
      ];
      for (const [spec, length] of secretSpecs) {
        it(`${spec}: ${length} random bytes, no public key`, async () => {
          const [a, b] = [await generateKeyMaterial(spec, crypto), await generateKeyMaterial(spec, crypto)];
          expect(a).to.have.all.keys('spec', 'secret');
          expect(a.spec).to.equal(spec);
          expect(a.secret.length).to.equal(length);
          expect(a.secret).not.to.deep.equal(b.secret);
        });
      }

      const expected: Array<[SigningSpec, string, Record<string, unknown>]> = [
        ['RSA_2048', 'rsa', { modulusLength: 2048, publicExponent: 65537n }],
        ['RSA_3072', 'rsa', { modulusLength: 3072, publicExponent: 65537n }],
        ['RSA_4096', 'rsa', { modulusLength: 4096, publicExponent: 65537n }],
        ['ECC_NIST_P256', 'ec', { namedCurve: 'prime256v1' }],
        ['ECC_NIST_P384', 'ec', { namedCurve: 'secp384r1' }],
        ['ECC_NIST_P521', 'ec', { namedCurve: 'secp521r1' }],
        ['ECC_SECG_P256K1', 'ec', { namedCurve: 'secp256k1' }],
        ['ECC_NIST_EDWARDS25519', 'ed25519', {}],
      ];
      for (const [spec, type, details] of expected) {
        it(`${spec}: PKCS#8 and SPKI that node:crypto reads as the same ${type} key pair`, () => {
          const m = material(spec);
          expect(m.spec).to.equal(spec);
          const privateKey = nodePrivate(m);
          const publicKey = nodePublic(m);
          expect(privateKey.asymmetricKeyType).to.equal(type);
          expect(publicKey.asymmetricKeyType).to.equal(type);
          expect(publicKey.asymmetricKeyDetails).to.deep.equal(details);
          const derived = createPublicKey(privateKey).export({ type: 'spki', format: 'der' });
          expect(hex(derived)).to.equal(hex(m.publicKey!));
        });
      }

      for (const spec of ['ML_DSA_44', 'ML_DSA_65', 'ML_DSA_87'] as const) {
        it(`${spec}: seed-form PKCS#8 whose key pair matches the SPKI's raw public key`, () => {
          const m = material(spec);
          const dsa = ML_DSA[spec];
          expect(m.secret.length).to.equal(54); // 22-byte header + 32-byte seed
          const { publicKey } = dsa.keygen(m.secret.subarray(22));
          expect(m.publicKey!.length).to.equal(22 + dsa.lengths.publicKey!);
          expect(hex(rawPublicKey(m, dsa.lengths.publicKey!))).to.equal(hex(publicKey));
        });
      }

      it('refuses SM2 (China Regions only) with a plain Error', async () => {
        const error = await generateKeyMaterial('SM2', crypto).then(
          () => undefined,
          (e: unknown) => e,
        );
        expect(error).to.be.instanceOf(Error).with.property('message', 'unsupported key spec SM2');
      });

      it('generates a fresh key every time', async () => {
        const again = await generateKeyMaterial('ECC_NIST_P256', crypto);
        expect(hex(again.publicKey!)).not.to.equal(hex(material('ECC_NIST_P256').publicKey!));
      });
    });

    describe('sign and verify: every spec × algorithm × message type', () => {
      for (const spec of SIGNING_SPECS) {
        const algorithms = KEY_SPEC_RULES[spec].signing;
        for (const alg of algorithms) {
          for (const type of messageTypes(alg)) {
            it(`${spec} ${alg} ${type}`, async () => {
              const m = material(spec);
              const keyId = `key-${spec}`;
              const message = text(`a message for ${spec} ${alg} ${type}`);
              const signed = input(m, alg, type, message);
              const signature = await keyCrypto.sign(keyId, m, alg, type, signed);

              expect(await keyCrypto.verify(keyId, m, alg, type, signed, signature)).to.equal(true);
              expect(verifyIndependently(m, alg, message, signature), 'independent verification').to.equal(true);
              for (const other of messageTypes(alg).filter((t) => t !== type)) {
                const otherInput = input(m, alg, other, message);
                expect(await keyCrypto.verify(keyId, m, alg, other, otherInput, signature), other).to.equal(true);
              }

              expect(await keyCrypto.verify(keyId, m, alg, type, flip(signed), signature), 'message').to.equal(false);
              const bad = [flip(signature), signature.subarray(0, -1), Uint8Array.from([...signature, 0])];
              bad.push(new Uint8Array(0), new Uint8Array(signature.length), new Uint8Array(signature.length).fill(0xff));
              for (const b of bad) {
                expect(await keyCrypto.verify(keyId, m, alg, type, signed, b), `signature ${hex(b)}`).to.equal(false);
              }
              for (const otherAlg of algorithms.filter((a) => a !== alg)) {
                for (const otherType of messageTypes(otherAlg)) {
                  const otherInput = input(m, otherAlg, otherType, message);
                  const valid = await keyCrypto.verify(keyId, m, otherAlg, otherType, otherInput, signature);
                  expect(valid, `${otherAlg} ${otherType}`).to.equal(false);
                }
              }
            });
          }
        }
      }
    });

    describe('agreement with other implementations', () => {
      const jose: Array<[string, SigningSpec, KmsSigningAlgorithm]> = [
        ['RS256', 'RSA_2048', 'RSASSA_PKCS1_V1_5_SHA_256'],
        ['RS384', 'RSA_3072', 'RSASSA_PKCS1_V1_5_SHA_384'],
        ['RS512', 'RSA_4096', 'RSASSA_PKCS1_V1_5_SHA_512'],
        ['PS256', 'RSA_2048', 'RSASSA_PSS_SHA_256'],
        ['PS384', 'RSA_3072', 'RSASSA_PSS_SHA_384'],
        ['PS512', 'RSA_4096', 'RSASSA_PSS_SHA_512'],
        ['ES256', 'ECC_NIST_P256', 'ECDSA_SHA_256'],
        ['ES384', 'ECC_NIST_P384', 'ECDSA_SHA_384'],
        ['ES512', 'ECC_NIST_P521', 'ECDSA_SHA_512'],
        ['EdDSA', 'ECC_NIST_EDWARDS25519', 'ED25519_SHA_512'],
      ];
      for (const [joseAlg, spec, alg] of jose) {
        it(`jose verifies a ${joseAlg} JWS signed by KMS ${alg} (${messageTypes(alg).join(' and ')})`, async () => {
          const m = material(spec);
          const b64 = (s: string): string => Buffer.from(s).toString('base64url');
          const signingInput = `${b64(JSON.stringify({ alg: joseAlg, kid: 'k1' }))}.${b64('{"sub":"kms"}')}`;
          const pem = nodePublic(m).export({ type: 'spki', format: 'pem' }) as string;
          const key = await importSPKI(pem, joseAlg);
          for (const type of messageTypes(alg)) {
            let signature = await keyCrypto.sign(`jose-${spec}`, m, alg, type, input(m, alg, type, text(signingInput)));
            if (isEcdsa(spec)) signature = ecdsaDerToRaw(signature, ECDSA[spec].size);
            const jws = `${signingInput}.${Buffer.from(signature).toString('base64url')}`;
            const { payload } = await compactVerify(jws, key);
            expect(new TextDecoder().decode(payload)).to.equal('{"sub":"kms"}');
          }
        });
      }

      for (const spec of ['RSA_2048', 'RSA_3072', 'RSA_4096'] as const) {
        it(`${spec}: PKCS#1 v1.5 over DIGEST is byte-identical to WebCrypto's over RAW, and to node:crypto's`, async () => {
          const m = material(spec);
          for (const alg of ['RSASSA_PKCS1_V1_5_SHA_256', 'RSASSA_PKCS1_V1_5_SHA_384', 'RSASSA_PKCS1_V1_5_SHA_512'] as const) {
            const message = text(`deterministic ${alg}`);
            const raw = await keyCrypto.sign(spec, m, alg, 'RAW', message);
            const digest = await keyCrypto.sign(spec, m, alg, 'DIGEST', input(m, alg, 'DIGEST', message));
            expect(hex(digest)).to.equal(hex(raw));
            expect(hex(raw)).to.equal(hex(nodeSign(hashName(alg), message, nodePrivate(m))));
          }
        });
      }

      it('RSA-PSS signatures are salted (two signatures differ), both types', async () => {
        const m = material('RSA_2048');
        for (const type of ['RAW', 'DIGEST'] as const) {
          const signed = input(m, 'RSASSA_PSS_SHA_256', type, text('salted'));
          const a = await keyCrypto.sign('pss', m, 'RSASSA_PSS_SHA_256', type, signed);
          const b = await keyCrypto.sign('pss', m, 'RSASSA_PSS_SHA_256', type, signed);
          expect(hex(a)).not.to.equal(hex(b));
        }
      });

      it('Ed25519 is deterministic and identical to node:crypto', async () => {
        const m = material('ECC_NIST_EDWARDS25519');
        const message = text('pure Ed25519');
        const signature = await keyCrypto.sign('ed', m, 'ED25519_SHA_512', 'RAW', message);
        expect(hex(signature)).to.equal(hex(nodeSign(null, message, nodePrivate(m))));
      });

      it('Ed25519ph over a DIGEST matches RFC 8032 §7.3 (TEST abc)', async () => {
        const seed = Buffer.from('833fe62409237b9d62ec77587520911e9a759cec1d19755b7da901b96dca3d42', 'hex');
        const publicKey = Buffer.from('ec172b93ad5e563bf4932c70e1245034c35467ef2efd4d64ebf819683467e2bf', 'hex');
        const rfc: KeyMaterial = {
          spec: 'ECC_NIST_EDWARDS25519',
          secret: Buffer.concat([Buffer.from('302e020100300506032b657004220420', 'hex'), seed]),
          publicKey: Buffer.concat([Buffer.from('302a300506032b6570032100', 'hex'), publicKey]),
        };
        const digest = createHash('sha512').update('abc').digest();
        const signature = await keyCrypto.sign('rfc8032', rfc, 'ED25519_PH_SHA_512', 'DIGEST', digest);
        expect(hex(signature)).to.equal(
          '98a70222f0b8121aa9d30f813d683f809e462b469c7ff87639499bb94e6dae41' +
            '31f85042463c2a355a2003d062adf5aaa10b8c61e636062aaad11c2a26083406',
        );
        expect(await keyCrypto.verify('rfc8032', rfc, 'ED25519_PH_SHA_512', 'DIGEST', digest, signature)).to.equal(true);
        keyCrypto.forget('rfc8032');
      });
    });

    describe('ECDSA signature encodings', () => {
      for (const spec of Object.keys(ECDSA) as Array<keyof typeof ECDSA>) {
        const { curve, size } = ECDSA[spec];
        const alg = KEY_SPEC_RULES[spec].signing[0]!;
        const n = curve.Point.Fn.ORDER;
        const toBytes = (v: bigint): number[] => [...Buffer.from(v.toString(16).padStart(2 * size, '0'), 'hex')];
        const toBig = (b: Uint8Array): bigint => BigInt(`0x${hex(b) || '0'}`);

        it(`${spec}: accepts high-S (not normalised, as AWS), refuses non-canonical DER and out-of-range r`, async () => {
          const m = material(spec);
          for (const type of ['RAW', 'DIGEST'] as const) {
            const signed = input(m, alg, type, text('malleable'));
            const raw = ecdsaDerToRaw(await keyCrypto.sign(spec, m, alg, type, signed), size);
            const r = raw.subarray(0, size);
            const s = toBig(raw.subarray(size));
            const mirrored = ecdsaRawToDer(Uint8Array.from([...r, ...toBytes(n - s)]));
            expect(await keyCrypto.verify(spec, m, alg, type, signed, mirrored), 'n - s').to.equal(true);
            expect(nodeVerify(hashName(alg), text('malleable'), { key: nodePublic(m), dsaEncoding: 'der' }, mirrored)).to.equal(
              true,
            );

            // r encoded with a superfluous leading zero byte: numerically equal, not DER
            const minimal = (bytes: Uint8Array): number[] => {
              const digits = [...bytes.subarray(bytes.findIndex((x) => x !== 0))];
              return digits[0]! & 0x80 ? [0, ...digits] : digits;
            };
            const integer = (digits: number[]): number[] => [0x02, digits.length, ...digits];
            const content = [...integer([0, ...minimal(r)]), ...integer(minimal(raw.subarray(size)))];
            const nonCanonical = Uint8Array.from([0x30, ...(content.length > 127 ? [0x81] : []), content.length, ...content]);
            expect(await keyCrypto.verify(spec, m, alg, type, signed, nonCanonical), 'non-minimal r').to.equal(false);

            for (const badR of [0n, n, n + 1n]) {
              const forged = ecdsaRawToDer(Uint8Array.from([...toBytes(badR), ...raw.subarray(size)]));
              expect(await keyCrypto.verify(spec, m, alg, type, signed, forged), `r = ${badR}`).to.equal(false);
            }
          }
        });
      }
    });

    describe('runtime key handles', () => {
      it('makes a RAW signer once per key id and algorithm, and again after forget()', async () => {
        const { backend, made } = recordingBackend(crypto);
        const kc = new KeyCrypto(backend);
        const m = material('ECC_NIST_P256');
        await Promise.all([0, 1].map((i) => kc.sign('k', m, 'ECDSA_SHA_256', 'RAW', text(`concurrent ${i}`))));
        for (let i = 0; i < 3; i++) await kc.sign('k', m, 'ECDSA_SHA_256', 'RAW', text(`message ${i}`));
        expect(made).to.deep.equal(['signer ecdsa']);
        kc.forget('k');
        await kc.sign('k', m, 'ECDSA_SHA_256', 'RAW', text('after forget'));
        expect(made).to.deep.equal(['signer ecdsa', 'signer ecdsa']);

        const rsa = material('RSA_2048');
        for (const alg of ['RSASSA_PSS_SHA_256', 'RSASSA_PSS_SHA_256', 'RSASSA_PKCS1_V1_5_SHA_256'] as const) {
          await kc.sign('rsa', rsa, alg, 'RAW', text('x'));
        }
        const ed = material('ECC_NIST_EDWARDS25519');
        const signature = await kc.sign('ed', ed, 'ED25519_SHA_512', 'RAW', text('x'));
        await kc.verify('ed', ed, 'ED25519_SHA_512', 'RAW', text('x'), signature);
        await kc.verify('ed', ed, 'ED25519_SHA_512', 'RAW', text('x'), signature);
        expect(made.slice(2)).to.deep.equal(['signer rsa', 'signer rsa', 'signer ed25519', 'verifier ed25519']);
      });

      // WebCrypto backends only (node:crypto has no importKey)
      const webCrypto = makeCrypto;
      if (webCrypto !== undefined) it('imports the PKCS#8 once per key id and algorithm, non-extractable, and again after forget()', async () => {
        const { crypto: recording, imports } = recordingCrypto(webCrypto());
        const kc = new KeyCrypto(new WebCryptoBackend(recording));
        const m = material('ECC_NIST_P256');
        for (let i = 0; i < 3; i++) await kc.sign('k', m, 'ECDSA_SHA_256', 'RAW', text(`message ${i}`));
        expect(imports).to.deep.equal([{ format: 'pkcs8', extractable: false }]);

        kc.forget('k');
        await kc.sign('k', m, 'ECDSA_SHA_256', 'RAW', text('after forget'));
        expect(imports).to.have.length(2);

        const ed = material('ECC_NIST_EDWARDS25519');
        const signature = await kc.sign('ed', ed, 'ED25519_SHA_512', 'RAW', text('x'));
        await kc.verify('ed', ed, 'ED25519_SHA_512', 'RAW', text('x'), signature);
        await kc.verify('ed', ed, 'ED25519_SHA_512', 'RAW', text('x'), signature);
        expect(imports.slice(2)).to.deep.equal([
          { format: 'pkcs8', extractable: false },
          { format: 'spki', extractable: false },
        ]);
      });

      it('never signs with stale handles when a key id gets other material', async () => {
        const pairs: Array<[KeyMaterial, KeyMaterial]> = [[material('RSA_2048'), material('RSA_3072')]];
        for (const spec of ['ECC_NIST_P256', 'ECC_SECG_P256K1', 'ECC_NIST_EDWARDS25519', 'ML_DSA_44'] as const) {
          pairs.push([material(spec), await generateKeyMaterial(spec, crypto)]);
        }
        for (const [first, second] of pairs) {
          const spec = second.spec;
          const alg = KEY_SPEC_RULES[spec].signing[0]!;
          for (const type of messageTypes(alg)) {
            const message = text(`${spec} ${type}`);
            const signed = input(second, alg, type, message);
            await keyCrypto.sign('reused', first, alg, type, input(first, alg, type, message));
            const signature = await keyCrypto.sign('reused', second, alg, type, signed);
            expect(verifyIndependently(second, alg, message, signature), `${spec} ${type}`).to.equal(true);
            expect(await keyCrypto.verify('reused', second, alg, type, signed, signature)).to.equal(true);
            const signedByFirst = input(first, alg, type, message);
            expect(await keyCrypto.verify('reused', first, alg, type, signedByFirst, signature)).to.equal(false);
          }
        }
        keyCrypto.forget('reused');
      });
    });

    describe('refusals (the engine validates first; these are programming errors)', () => {
      const rejection = (promise: Promise<unknown>): Promise<unknown> =>
        promise.then(
          () => expect.fail('expected a rejection'),
          (e: unknown) => e,
        );

      it('refuses algorithms the key spec does not have, with no key material in the message', async () => {
        const symmetric = await generateKeyMaterial('SYMMETRIC_DEFAULT', crypto);
        const hmac = await generateKeyMaterial('HMAC_256', crypto);
        const cases: Array<[KeyMaterial, KmsSigningAlgorithm]> = [
          [symmetric, 'RSASSA_PSS_SHA_256'],
          [hmac, 'ECDSA_SHA_256'],
          [material('RSA_2048'), 'ECDSA_SHA_256'],
          [material('ECC_NIST_P256'), 'ECDSA_SHA_384'],
          [material('ECC_NIST_EDWARDS25519'), 'ECDSA_SHA_512'],
          [{ spec: 'SM2', secret: new Uint8Array(32) }, 'SM2DSA'],
        ];
        for (const [m, alg] of cases) {
          const error = await rejection(keyCrypto.sign('x', m, alg, 'RAW', text('m')));
          expect(error).to.be.instanceOf(Error).with.property('message', `unsupported signing algorithm ${alg} for key spec ${m.spec}`);
          const verifyError = await rejection(keyCrypto.verify('x', m, alg, 'RAW', text('m'), new Uint8Array(64)));
          expect(verifyError).to.be.instanceOf(Error);
          for (const e of [error, verifyError]) {
            expect((e as Error).message).not.to.include(hex(m.secret.subarray(0, 8)));
            expect((e as Error).message).not.to.include(Buffer.from(m.secret).toString('base64').slice(0, 12));
          }
        }
      });

      it('refuses message types and lengths that KMS refuses', async () => {
        const cases: Array<[SigningSpec, KmsSigningAlgorithm, KmsMessageType, number]> = [
          ['ECC_NIST_EDWARDS25519', 'ED25519_SHA_512', 'DIGEST', 64],
          ['ECC_NIST_EDWARDS25519', 'ED25519_PH_SHA_512', 'RAW', 10],
          ['RSA_2048', 'RSASSA_PSS_SHA_256', 'EXTERNAL_MU', 64],
          ['RSA_2048', 'RSASSA_PSS_SHA_256', 'DIGEST', 48],
          ['ECC_NIST_P521', 'ECDSA_SHA_512', 'DIGEST', 66],
          ['ML_DSA_44', 'ML_DSA_SHAKE_256', 'EXTERNAL_MU', 32],
          ['ML_DSA_44', 'ML_DSA_SHAKE_256', 'DIGEST', 32],
        ];
        for (const [spec, alg, type, length] of cases) {
          const error = await rejection(keyCrypto.sign('x', material(spec), alg, type, new Uint8Array(length)));
          expect(error).to.be.instanceOf(Error).with.property('message', `invalid ${type} message of ${length} bytes for ${alg}`);
        }
      });

      it('refuses asymmetric material without a public key when verifying', async () => {
        const { spec, secret } = material('RSA_2048');
        const error = await rejection(
          keyCrypto.verify('no-public', { spec, secret }, 'RSASSA_PSS_SHA_256', 'RAW', text('m'), new Uint8Array(256)),
        );
        expect(error).to.be.instanceOf(Error).with.property('message', 'key material of spec RSA_2048 has no public key');
      });
    });
  });
}
