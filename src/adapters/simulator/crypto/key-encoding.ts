/**
 * DER encodings of the keys WebCrypto cannot produce (secp256k1, ML-DSA, ML-KEM), and extraction of the raw keys the
 * non-WebCrypto signers need from the DER the simulator stores. Only the simulator's own encodings are read
 * back, and strictly; errors never include key bytes.
 */
import { derTlv as tlv } from '../../../codec/der.js';

const hex = (s: string): Uint8Array => Uint8Array.from(Buffer.from(s, 'hex'));

const OID_EC_PUBLIC_KEY = hex('06072a8648ce3d0201'); // 1.2.840.10045.2.1
const OID_SECP256K1 = hex('06052b8104000a'); // 1.3.132.0.10
/** ML-DSA-44/65/87: 2.16.840.1.101.3.4.3.17/18/19 (FIPS 204, RFC 9881), no parameters. */
export const OID_ML_DSA = {
  ML_DSA_44: hex('0609608648016503040311'),
  ML_DSA_65: hex('0609608648016503040312'),
  ML_DSA_87: hex('0609608648016503040313'),
} as const;
export type MlDsaSpec = keyof typeof OID_ML_DSA;
/** ML-KEM-512/768/1024: 2.16.840.1.101.3.4.4.1/2/3 (FIPS 203, RFC 9935), no parameters. */
export const OID_ML_KEM = {
  ML_KEM_512: hex('0609608648016503040401'),
  ML_KEM_768: hex('0609608648016503040402'),
  ML_KEM_1024: hex('0609608648016503040403'),
} as const;
export type MlKemSpec = keyof typeof OID_ML_KEM;

const SEQUENCE = 0x30;
const INTEGER = 0x02;
const BIT_STRING = 0x03;
const OCTET_STRING = 0x04;
const bitString = (bytes: Uint8Array): Uint8Array => tlv(BIT_STRING, Uint8Array.of(0), bytes);
const spki = (algorithm: Uint8Array, key: Uint8Array): Uint8Array => tlv(SEQUENCE, algorithm, bitString(key));
const pkcs8 = (algorithm: Uint8Array, privateKey: Uint8Array): Uint8Array =>
  tlv(SEQUENCE, tlv(INTEGER, Uint8Array.of(0)), algorithm, tlv(OCTET_STRING, privateKey));
const SECP256K1_ALGORITHM = tlv(SEQUENCE, OID_EC_PUBLIC_KEY, OID_SECP256K1);

/** SubjectPublicKeyInfo of a secp256k1 key: id-ecPublicKey + namedCurve secp256k1, uncompressed point. */
export function secp256k1Spki(uncompressedPoint: Uint8Array): Uint8Array {
  return spki(SECP256K1_ALGORITHM, uncompressedPoint);
}

/** PKCS#8 of a secp256k1 key wrapping a SEC1 ECPrivateKey (RFC 5915) with the public key, as OpenSSL writes it. */
export function secp256k1Pkcs8(scalar: Uint8Array, uncompressedPoint: Uint8Array): Uint8Array {
  const ecPrivateKey = tlv(
    SEQUENCE,
    tlv(INTEGER, Uint8Array.of(1)),
    tlv(OCTET_STRING, scalar),
    tlv(0xa1, bitString(uncompressedPoint)),
  );
  return pkcs8(SECP256K1_ALGORITHM, ecPrivateKey);
}

export function mlDsaSpki(spec: MlDsaSpec, publicKey: Uint8Array): Uint8Array {
  return spki(tlv(SEQUENCE, OID_ML_DSA[spec]), publicKey);
}

/** PKCS#8 of an ML-DSA key in the seed form of RFC 9881: `seed [0] IMPLICIT OCTET STRING (SIZE (32))`. */
export function mlDsaPkcs8(spec: MlDsaSpec, seed: Uint8Array): Uint8Array {
  return pkcs8(tlv(SEQUENCE, OID_ML_DSA[spec]), tlv(0x80, seed));
}

/** The 32-byte seed of an ML-DSA PKCS#8 written by `mlDsaPkcs8`. */
export function mlDsaSeed(spec: MlDsaSpec, der: Uint8Array): Uint8Array {
  return secretAfterHeader(der, mlDsaPkcs8(spec, new Uint8Array(32)).subarray(0, -32), `${spec} PKCS#8`);
}

export function mlKemSpki(spec: MlKemSpec, publicKey: Uint8Array): Uint8Array {
  return spki(tlv(SEQUENCE, OID_ML_KEM[spec]), publicKey);
}

/** PKCS#8 of an ML-KEM key in the seed form of RFC 9935: `seed [0] IMPLICIT OCTET STRING (SIZE (64))` (d ‖ z). */
export function mlKemPkcs8(spec: MlKemSpec, seed: Uint8Array): Uint8Array {
  return pkcs8(tlv(SEQUENCE, OID_ML_KEM[spec]), tlv(0x80, seed));
}

/** The 64-byte seed of an ML-KEM PKCS#8 written by `mlKemPkcs8`. */
export function mlKemSeed(spec: MlKemSpec, der: Uint8Array): Uint8Array {
  return secretAfterHeader(der, mlKemPkcs8(spec, new Uint8Array(64)).subarray(0, -64), `${spec} PKCS#8`, 64);
}

const ED25519_PKCS8_HEADER = hex('302e020100300506032b657004220420');
/** The 32-byte seed of an Ed25519 PKCS#8 (RFC 8410, the form WebCrypto exports). */
export function ed25519Seed(der: Uint8Array): Uint8Array {
  return secretAfterHeader(der, ED25519_PKCS8_HEADER, 'Ed25519 PKCS#8');
}

/** The raw public key of an ML-DSA SubjectPublicKeyInfo written by `mlDsaSpki`. */
export function mlDsaPublicKey(spec: MlDsaSpec, der: Uint8Array, length: number): Uint8Array {
  const key = der.subarray(Math.max(0, der.length - length));
  if (!Buffer.from(mlDsaSpki(spec, key)).equals(der)) {
    throw new Error(`unexpected ${spec} SubjectPublicKeyInfo encoding`);
  }
  return key;
}

/** `der` must be `header` followed by a `length`-byte secret (default 32); returns the secret. */
function secretAfterHeader(der: Uint8Array, header: Uint8Array, what: string, length = 32): Uint8Array {
  if (der.length !== header.length + length || !Buffer.from(header).equals(der.subarray(0, header.length))) {
    throw new Error(`unexpected ${what} encoding`);
  }
  return der.subarray(header.length);
}
