/**
 * Sign/Verify with AWS's semantics over stored key material (docs/kms-behaviour.md §7, §8).
 *
 * - RAW messages are signed by the backend where it supports the algorithm (RSA, P-256/384/521, Ed25519):
 *   node:crypto KeyObjects in the native backend, non-extractable CryptoKeys with a WebCrypto implementation;
 *   either way imported once from the stored PKCS#8 and cached per key id (key-handles.ts).
 * - DIGEST messages are signed as given: RSA via the RFC 8017 encodings and the raw RSA operation, ECDSA and
 *   Ed25519ph via @noble/curves. secp256k1 and ML-DSA (neither is in WebCrypto) use @noble for both types.
 * - Verification is digest-based for RSA and ECDSA, so a signature over RAW m verifies as (DIGEST, hash(m))
 *   and vice versa by construction (ECDSA over RAW on the NIST curves goes through node:crypto, the same math);
 *   ECDSA accepts any valid DER signature, high S included, as KMS does.
 */
import { createHash, createPrivateKey, createPublicKey, verify as nodeVerify } from 'node:crypto';
import type { KeyObject } from 'node:crypto';
import { eddsa } from '@noble/curves/abstract/edwards.js';
import { ed25519 } from '@noble/curves/ed25519.js';
import { sha512 } from '@noble/hashes/sha2.js';
import { ecdsaDerToRaw, ecdsaRawToDer } from '../../../codec/ecdsa-signature.js';
import type { KmsKeySpec, KmsMessageType, KmsSigningAlgorithm } from '../../../ports/kms.port.js';
import { EXTERNAL_MU_LENGTH, KEY_SPEC_RULES, digestLength, messageTypesOf } from '../model/key-spec-table.js';
import type { KeyMaterial } from '../store/simulator-store.js';
import type { CryptoBackend, Ed25519Verifier, RawSigner, RawSigningAlgorithm } from './crypto-backend.js';
import { ECDSA_CURVES, type EcdsaCurve, ML_DSA, type MlDsa, isMlDsa } from './curves.js';
import { ed25519Seed, mlDsaPublicKey, mlDsaSeed, type MlDsaSpec } from './key-encoding.js';
import { KeyHandles } from './key-handles.js';
import { rsaSignDigest, rsaVerifyDigest, type RsaHash, type RsaScheme } from './rsa-digest-signing.js';

/** Ed25519ph (RFC 8032 §5.1, empty context) whose input is PH(M) = SHA-512(M) itself, as KMS DIGEST gives it. */
const ed25519phOfDigest = eddsa(ed25519.Point, sha512, {
  adjustScalarBytes: (bytes: Uint8Array) => {
    bytes[0] = (bytes[0] as number) & 248;
    bytes[31] = ((bytes[31] as number) & 127) | 64;
    return bytes;
  },
  domain: (data: Uint8Array, ctx: Uint8Array, phflag: boolean) =>
    Buffer.concat([Buffer.from('SigEd25519 no Ed25519 collisions'), Buffer.of(Number(phflag), ctx.length), ctx, data]),
  prehash: (digest: Uint8Array) => digest,
  zip215: false,
});

/** What a (spec, algorithm) pair signs with; `raw` is the backend's RAW algorithm where it has one. */
type Operation =
  | { kind: 'rsa'; scheme: RsaScheme; hash: RsaHash; raw: Raw }
  | { kind: 'ecdsa'; ec: EcdsaCurve; hash: RsaHash; raw: Raw | undefined }
  | { kind: 'ed25519'; raw: Raw }
  | { kind: 'ed25519ph' }
  | { kind: 'ml-dsa'; spec: MlDsaSpec; dsa: MlDsa };

/** A backend RAW algorithm and the name its signer is cached under. */
interface Raw {
  readonly algorithm: RawSigningAlgorithm;
  readonly handle: string;
}

/** Sign/Verify over KeyMaterial, with runtime key handles cached per key id. */
export class KeyCrypto {
  readonly #backend: CryptoBackend;
  readonly #handles = new KeyHandles();

  constructor(backend: CryptoBackend) {
    this.#backend = backend;
  }

  /**
   * Signs `message` (RAW, DIGEST or EXTERNAL_MU as validated by the engine); ECDSA signatures are DER. The result
   * is a fresh plain Uint8Array that nothing else holds.
   */
  async sign(
    keyId: string,
    material: KeyMaterial,
    alg: KmsSigningAlgorithm,
    messageType: KmsMessageType,
    message: Uint8Array,
  ): Promise<Uint8Array> {
    const op = operation(material.spec, alg, messageType, message);
    switch (op.kind) {
      case 'rsa':
        if (messageType === 'DIGEST') {
          return rsaSignDigest(this.#nodeKey(keyId, material, 'private'), op.scheme, op.hash, message);
        }
        return this.#rawSign(keyId, material, op.raw, message);
      case 'ecdsa': {
        if (messageType === 'RAW' && op.raw !== undefined) return this.#rawSign(keyId, material, op.raw, message);
        const digest = messageType === 'RAW' ? hash(op.hash, message) : message;
        const scalar = this.#handles.get(keyId, material, 'ec-scalar', () =>
          jwkBytes(this.#nodeKey(keyId, material, 'private'), 'd'),
        );
        return ecdsaRawToDer(op.ec.curve.sign(digest, scalar, { prehash: false, lowS: false, extraEntropy: true }));
      }
      case 'ed25519':
        return this.#rawSign(keyId, material, op.raw, message);
      case 'ed25519ph':
        return ed25519phOfDigest.sign(message, ed25519Seed(material.secret));
      case 'ml-dsa': {
        const seed = (): Uint8Array => mlDsaSeed(op.spec, material.secret);
        const secretKey = this.#handles.get(keyId, material, 'ml-dsa:secret', () => op.dsa.keygen(seed()).secretKey);
        return messageType === 'EXTERNAL_MU'
          ? op.dsa.internal.sign(message, secretKey, { externalMu: true })
          : op.dsa.sign(message, secretKey);
      }
    }
  }

  /** true iff `signature` is valid; false (never a throw) for a malformed signature. */
  async verify(
    keyId: string,
    material: KeyMaterial,
    alg: KmsSigningAlgorithm,
    messageType: KmsMessageType,
    message: Uint8Array,
    signature: Uint8Array,
  ): Promise<boolean> {
    const op = operation(material.spec, alg, messageType, message);
    switch (op.kind) {
      case 'rsa': {
        const digest = messageType === 'RAW' ? hash(op.hash, message) : message;
        return rsaVerifyDigest(this.#nodeKey(keyId, material, 'public'), op.scheme, op.hash, digest, signature);
      }
      case 'ecdsa': {
        if (messageType === 'RAW' && op.ec.namedCurve !== undefined) {
          // node:crypto verifies ~40× faster than @noble. Our strict DER reader runs first, so exactly the
          // signatures accepted before are accepted (high S included: OpenSSL does not demand low S either).
          return falseOnError(() => {
            ecdsaDerToRaw(signature, op.ec.size);
            return nodeVerify(op.hash, message, this.#nodeKey(keyId, material, 'public'), signature);
          });
        }
        const digest = messageType === 'RAW' ? hash(op.hash, message) : message;
        const point = this.#handles.get(keyId, material, 'ec-point', () => {
          const key = this.#nodeKey(keyId, material, 'public');
          return Buffer.concat([Buffer.of(4), jwkBytes(key, 'x'), jwkBytes(key, 'y')]);
        });
        return falseOnError(() =>
          op.ec.curve.verify(ecdsaDerToRaw(signature, op.ec.size), digest, point, { prehash: false, lowS: false }),
        );
      }
      case 'ed25519': {
        const verifier = await this.#handles.settled<Ed25519Verifier>(keyId, material, 'ed25519:verify', () =>
          this.#backend.ed25519Verifier(spki(material)),
        );
        return verifier(message, signature);
      }
      case 'ed25519ph': {
        const point = this.#handles.get(keyId, material, 'ed-point', () =>
          jwkBytes(this.#nodeKey(keyId, material, 'public'), 'x'),
        );
        return falseOnError(() => ed25519phOfDigest.verify(signature, message, point));
      }
      case 'ml-dsa': {
        const publicKey = this.#handles.get(keyId, material, 'ml-dsa:public', () =>
          mlDsaPublicKey(op.spec, spki(material), op.dsa.lengths.publicKey as number),
        );
        return falseOnError(() =>
          messageType === 'EXTERNAL_MU'
            ? op.dsa.internal.verify(signature, message, publicKey, { externalMu: true })
            : op.dsa.verify(signature, message, publicKey),
        );
      }
    }
  }

  /** Drops the cached runtime handles of a key (called when the key is deleted). */
  forget(keyId: string): void {
    this.#handles.forget(keyId);
  }

  [Symbol.for('nodejs.util.inspect.custom')](): string {
    return `KeyCrypto { backend: '${this.#backend.name}' }`;
  }

  toJSON(): { backend: string } {
    return { backend: this.#backend.name };
  }

  /** The backend's RAW signature with the key's cached signer (synchronous once the signer exists). */
  #rawSign(keyId: string, material: KeyMaterial, raw: Raw, message: Uint8Array): Uint8Array | Promise<Uint8Array> {
    const signer = this.#handles.settled<RawSigner>(keyId, material, raw.handle, () =>
      this.#backend.rawSigner(material.secret, spki(material), raw.algorithm),
    );
    return typeof signer === 'function' ? signer(message) : signer.then((s) => s(message));
  }

  #nodeKey(keyId: string, material: KeyMaterial, part: 'private' | 'public'): KeyObject {
    return this.#handles.get(keyId, material, `node:${part}`, () =>
      part === 'private'
        ? createPrivateKey({ key: Buffer.from(material.secret), format: 'der', type: 'pkcs8' })
        : createPublicKey({ key: Buffer.from(spki(material)), format: 'der', type: 'spki' }),
    );
  }
}

/** The operations of each (spec, algorithm, message type), resolved once. */
const OPERATIONS = new Map<string, Operation>();

/** Resolves and checks (spec, algorithm, message type); the engine has validated these, so a failure is a bug. */
function operation(spec: KmsKeySpec, alg: KmsSigningAlgorithm, messageType: KmsMessageType, message: Uint8Array): Operation {
  const expectedLength =
    messageType === 'DIGEST' ? digestLength(alg) : messageType === 'EXTERNAL_MU' ? EXTERNAL_MU_LENGTH : undefined;
  const name = `${spec} ${alg} ${messageType}`;
  let op = OPERATIONS.get(name);
  if (op === undefined) {
    if (!KEY_SPEC_RULES[spec].signing.includes(alg) || spec === 'SM2') {
      throw new Error(`unsupported signing algorithm ${alg} for key spec ${spec}`);
    }
    if (messageTypesOf(alg).includes(messageType)) {
      op = resolve(spec, alg);
      OPERATIONS.set(name, op);
    }
  }
  if (op === undefined || (expectedLength !== undefined && message.length !== expectedLength)) {
    throw new Error(`invalid ${messageType} message of ${message.length} bytes for ${alg}`);
  }
  return op;
}

function resolve(spec: KmsKeySpec, alg: KmsSigningAlgorithm): Operation {
  if (isMlDsa(spec)) return { kind: 'ml-dsa', spec, dsa: ML_DSA[spec] };
  if (alg === 'ED25519_SHA_512') return { kind: 'ed25519', raw: raw({ kind: 'ed25519' }) };
  if (alg === 'ED25519_PH_SHA_512') return { kind: 'ed25519ph' };
  const hashName = `sha${8 * (digestLength(alg) as number)}` as RsaHash;
  const ec = ECDSA_CURVES[spec];
  if (ec !== undefined) {
    const { namedCurve } = ec;
    return { kind: 'ecdsa', ec, hash: hashName, raw: namedCurve === undefined ? undefined : raw({ kind: 'ecdsa', namedCurve, hash: hashName }) };
  }
  const scheme: RsaScheme = alg.startsWith('RSASSA_PSS_') ? 'PSS' : 'PKCS1_V1_5';
  return { kind: 'rsa', scheme, hash: hashName, raw: raw({ kind: 'rsa', scheme, hash: hashName }) };
}

const raw = (algorithm: RawSigningAlgorithm): Raw => ({ algorithm, handle: `raw:${JSON.stringify(algorithm)}` });

const hash = (name: RsaHash, message: Uint8Array): Uint8Array => createHash(name).update(message).digest();

function spki(material: KeyMaterial): Uint8Array {
  if (material.publicKey === undefined) throw new Error(`key material of spec ${material.spec} has no public key`);
  return material.publicKey;
}

function jwkBytes(key: KeyObject, member: 'd' | 'x' | 'y'): Buffer {
  const value = key.export({ format: 'jwk' })[member];
  if (typeof value !== 'string') throw new Error(`key has no JWK member ${member}`);
  return Buffer.from(value, 'base64url');
}

async function falseOnError(verify: () => boolean | Promise<boolean>): Promise<boolean> {
  try {
    return await verify();
  } catch {
    return false;
  }
}
