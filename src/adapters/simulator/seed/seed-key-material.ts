/**
 * Key material a seed entry brings (docs/kms-behaviour.md §17): a private key PEM for an asymmetric spec, or the
 * base64 of the raw secret of a symmetric or HMAC key, turned into the KeyMaterial the simulator would have
 * generated for that spec (the same encodings as crypto/key-generation.ts). Every check says what is wrong in
 * words; no message contains key bytes.
 */
import { createHmac, createPrivateKey, createPublicKey, type KeyObject } from 'node:crypto';
import type { KmsKeySpec } from '../../../ports/kms.port.js';
import { ECDSA_CURVES, ML_DSA, isMlDsa } from '../crypto/curves.js';
import { mlDsaPkcs8, mlDsaSpki, secp256k1Pkcs8, secp256k1Spki, type MlDsaSpec } from '../crypto/key-encoding.js';
import { KEY_SPEC_RULES, RSA_MODULUS_BITS } from '../model/key-spec-table.js';
import type { KeyMaterial } from '../store/simulator-store.js';

/** Length in bytes of the raw secret of the specs that take `KeyMaterial`. */
export const SECRET_LENGTHS: Partial<Record<KmsKeySpec, number>> = {
  SYMMETRIC_DEFAULT: 32,
  HMAC_224: 28,
  HMAC_256: 32,
  HMAC_384: 48,
  HMAC_512: 64,
};

/** The node:crypto curve name of each EC spec. */
const NODE_CURVES: Partial<Record<KmsKeySpec, string>> = {
  ECC_NIST_P256: 'prime256v1',
  ECC_NIST_P384: 'secp384r1',
  ECC_NIST_P521: 'secp521r1',
  ECC_SECG_P256K1: 'secp256k1',
};
const CURVE_SPECS: Readonly<Record<string, string>> = {
  prime256v1: 'ECC_NIST_P256',
  secp384r1: 'ECC_NIST_P384',
  secp521r1: 'ECC_NIST_P521',
  secp256k1: 'ECC_SECG_P256K1',
};

/** A reason, safe to show: the seed parser adds the source, the entry and the field. */
export class SeedMaterialError extends Error {}

export function takesPrivateKeyPem(spec: KmsKeySpec): boolean {
  return KEY_SPEC_RULES[spec].type === 'asymmetric';
}

/** The raw secret of a symmetric or HMAC key from its base64 (ASCII whitespace ignored). */
export function secretMaterial(spec: KmsKeySpec, base64: string): KeyMaterial {
  const length = SECRET_LENGTHS[spec];
  if (length === undefined) throw new SeedMaterialError(`is only for SYMMETRIC_DEFAULT and HMAC keys, not ${spec}`);
  const text = base64.replace(/[\t\n\r ]/g, '');
  if (!/^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/.test(text)) {
    throw new SeedMaterialError('must be base64 (A–Z, a–z, 0–9, +, /, padded with =)');
  }
  const secret = Uint8Array.from(Buffer.from(text, 'base64'));
  if (secret.length !== length) {
    throw new SeedMaterialError(`must be ${length} bytes for ${spec}; got ${secret.length}`);
  }
  return { spec, secret };
}

/**
 * The PKCS#8 and SPKI of a private key PEM of an asymmetric spec: RSA of the spec's size (rsaEncryption), EC on
 * the spec's curve, Ed25519; ML-DSA only in the 32-byte seed form of RFC 9881 (what the simulator writes).
 */
export function privateKeyMaterial(spec: KmsKeySpec, pem: string): KeyMaterial {
  if (!takesPrivateKeyPem(spec)) {
    throw new SeedMaterialError(`is only for asymmetric keys, not ${spec} (give KeyMaterial, the base64 of the secret)`);
  }
  const label = /-----BEGIN ([A-Z0-9 ]+)-----/.exec(pem)?.[1];
  if (label === undefined) throw new SeedMaterialError('is not PEM: no -----BEGIN …----- line');
  if (label === 'ENCRYPTED PRIVATE KEY') throw new SeedMaterialError('is encrypted; give the unencrypted private key');
  if (!label.endsWith('PRIVATE KEY')) throw new SeedMaterialError(`is a ${label}, not a private key`);
  if (isMlDsa(spec)) return mlDsaMaterial(spec, pem);
  let key: KeyObject;
  try {
    key = createPrivateKey({ key: pem, format: 'pem' });
  } catch (e) {
    throw new SeedMaterialError(`is not a private key node:crypto can read (${(e as Error).message})`);
  }
  const found = describeKey(key);
  const mismatch = (): SeedMaterialError => new SeedMaterialError(`is ${found}, not a ${spec} key`);

  const bits = RSA_MODULUS_BITS[spec];
  if (bits !== undefined) {
    if (key.asymmetricKeyType !== 'rsa' || key.asymmetricKeyDetails?.modulusLength !== bits) throw mismatch();
    return pair(spec, key.export({ type: 'pkcs8', format: 'der' }), key);
  }
  const curveName = NODE_CURVES[spec];
  if (curveName !== undefined) {
    if (key.asymmetricKeyType !== 'ec' || key.asymmetricKeyDetails?.namedCurve !== curveName) throw mismatch();
    return ecMaterial(spec, key);
  }
  if (spec === 'ECC_NIST_EDWARDS25519') {
    if (key.asymmetricKeyType !== 'ed25519') throw mismatch();
    return pair(spec, key.export({ type: 'pkcs8', format: 'der' }), key);
  }
  throw new SeedMaterialError(`cannot be imported for ${spec}`);
}

/** `an RSA 3072 key`, `an EC key on secp384r1 (ECC_NIST_P384)`, `an ed448 key`. */
function describeKey(key: KeyObject): string {
  const type = key.asymmetricKeyType ?? 'unknown';
  const details = key.asymmetricKeyDetails;
  if (type === 'rsa') return `an RSA ${details?.modulusLength ?? '?'} key`;
  if (type === 'rsa-pss') return 'an RSASSA-PSS key (KMS RSA keys are rsaEncryption keys)';
  if (type === 'ec') {
    const curve = details?.namedCurve ?? 'an unnamed curve';
    const spec = CURVE_SPECS[curve];
    return `an EC key on ${curve}${spec === undefined ? '' : ` (${spec})`}`;
  }
  if (type === 'ed25519') return 'an Ed25519 key (ECC_NIST_EDWARDS25519)';
  return `an ${type} key`;
}

function pair(spec: KmsKeySpec, pkcs8: Buffer, key: KeyObject): KeyMaterial {
  const spki = createPublicKey(key).export({ type: 'spki', format: 'der' });
  return { spec, secret: Uint8Array.from(pkcs8), publicKey: Uint8Array.from(spki) };
}

/**
 * An EC key re-encoded from its private scalar: the public point is computed from it (never taken from the PEM,
 * which may carry none, a compressed one or a wrong one), and the encodings are the simulator's own.
 */
function ecMaterial(spec: KmsKeySpec, key: KeyObject): KeyMaterial {
  const ec = ECDSA_CURVES[spec];
  const d = key.export({ format: 'jwk' }).d;
  if (ec === undefined || d === undefined) throw new SeedMaterialError(`cannot be imported for ${spec}`);
  const scalar = Uint8Array.from(Buffer.from(d, 'base64url'));
  const point = ec.curve.getPublicKey(scalar, false);
  if (spec === 'ECC_SECG_P256K1') return { spec, secret: secp256k1Pkcs8(scalar, point), publicKey: secp256k1Spki(point) };
  const coordinate = (from: number): string => Buffer.from(point.subarray(from, from + ec.size)).toString('base64url');
  const jwk = { kty: 'EC', crv: ec.namedCurve as string, d, x: coordinate(1), y: coordinate(1 + ec.size) };
  const imported = createPrivateKey({ key: jwk, format: 'jwk' });
  return pair(spec, imported.export({ type: 'pkcs8', format: 'der' }), imported);
}

/** ML-DSA: the PKCS#8 must be exactly the seed form `mlDsaPkcs8` writes; the public key comes from the seed. */
function mlDsaMaterial(spec: MlDsaSpec, pem: string): KeyMaterial {
  const body = /-----BEGIN PRIVATE KEY-----([A-Za-z0-9+/=\s]*)-----END PRIVATE KEY-----/.exec(pem)?.[1];
  const der = body === undefined ? undefined : Uint8Array.from(Buffer.from(body.replace(/\s/g, ''), 'base64'));
  if (der === undefined || der.length < 32) {
    throw new SeedMaterialError(`must be a PKCS#8 PEM (-----BEGIN PRIVATE KEY-----) for ${spec}`);
  }
  const seed = der.subarray(der.length - 32);
  if (!Buffer.from(mlDsaPkcs8(spec, seed)).equals(der)) {
    const other = (Object.keys(ML_DSA) as MlDsaSpec[]).find((s) => Buffer.from(mlDsaPkcs8(s, seed)).equals(der));
    throw new SeedMaterialError(
      other === undefined
        ? `is not supported for ${spec}: only the 32-byte seed form of RFC 9881 can be imported ` +
            '(not the expanded or the both form, nor another key type)'
        : `is an ${other} key, not a ${spec} key`,
    );
  }
  const secret = Uint8Array.from(seed);
  return { spec, secret: mlDsaPkcs8(spec, secret), publicKey: mlDsaSpki(spec, ML_DSA[spec].keygen(secret).publicKey) };
}

/** Same key material: the same public key (asymmetric) or the same secret bytes (symmetric, HMAC). */
export function sameMaterial(a: KeyMaterial, b: KeyMaterial): boolean {
  if (a.spec !== b.spec) return false;
  if (a.publicKey !== undefined || b.publicKey !== undefined) {
    return a.publicKey !== undefined && b.publicKey !== undefined && Buffer.from(a.publicKey).equals(b.publicKey);
  }
  return Buffer.from(a.secret).equals(b.secret);
}

/**
 * The key material ID of imported material: HMAC-SHA-256 keyed by the secret over a fixed label, in hex — the
 * same for the same material wherever it is seeded, so that a ciphertext, which names its material
 * (crypto/symmetric-blob.ts), decrypts in every simulator seeded alike; it reveals nothing of the secret.
 */
export function importedMaterialId(material: KeyMaterial): string {
  return createHmac('sha256', material.secret).update('aws-kms-keyprovider/simulator/key-material-id/v1').digest('hex');
}
