/**
 * Public keys as KMS returns them (DER SubjectPublicKeyInfo) turned into what this library publishes:
 * the SPKI PEM (byte-identical to node:crypto's export and the Python original), its fingerprint, and a public JWK.
 */
import { UnsupportedAlgorithmError, InvalidArgumentError } from '../domain/errors.js';
import { toBase64, toBase64Url, toHex, utf8 } from './bytes.js';
import { sha256 } from './sha256.js';
import { DerReader, type DerReaderOptions } from './der.js';

/** `-----BEGIN PUBLIC KEY-----`, base64 in 64-character lines, `-----END PUBLIC KEY-----`, LF line ends. */
export function spkiToPem(der: Uint8Array): string {
  const body = toBase64(der);
  let lines = '';
  for (let i = 0; i < body.length; i += 64) lines += `${body.slice(i, i + 64)}\n`;
  return `-----BEGIN PUBLIC KEY-----\n${lines}-----END PUBLIC KEY-----\n`;
}

/** Lowercase hex SHA-256 of a text's UTF-8 bytes (of the PEM text, or of the kid when there is no public key). */
export function fingerprint(text: string): string {
  return toHex(sha256(utf8(text)));
}

export interface RsaPublicKeyComponents {
  kty: 'RSA';
  n: string;
  e: string;
}
export interface EcPublicKeyComponents {
  kty: 'EC';
  crv: 'P-256' | 'P-384' | 'P-521' | 'secp256k1';
  x: string;
  y: string;
}
export interface OkpPublicKeyComponents {
  kty: 'OKP';
  crv: 'Ed25519';
  x: string;
}
/** An ML-DSA public key (draft-ietf-cose-dilithium): the parameter set is the JWK `alg`. */
export interface AkpPublicKeyComponents {
  kty: 'AKP';
  alg: 'ML-DSA-44' | 'ML-DSA-65' | 'ML-DSA-87';
  pub: string;
}
export type PublicKeyComponents =
  | RsaPublicKeyComponents
  | EcPublicKeyComponents
  | OkpPublicKeyComponents
  | AkpPublicKeyComponents;

const OID_RSA_ENCRYPTION = '1.2.840.113549.1.1.1';
const OID_EC_PUBLIC_KEY = '1.2.840.10045.2.1';
const OID_ED25519 = '1.3.101.112';
const EC_CURVES: Record<string, { crv: EcPublicKeyComponents['crv']; size: number }> = {
  '1.2.840.10045.3.1.7': { crv: 'P-256', size: 32 },
  '1.3.132.0.34': { crv: 'P-384', size: 48 },
  '1.3.132.0.35': { crv: 'P-521', size: 66 },
  '1.3.132.0.10': { crv: 'secp256k1', size: 32 },
};
/** FIPS 204 public key sizes, by the NIST OID of the parameter set. */
const ML_DSA: Record<string, { alg: AkpPublicKeyComponents['alg']; size: number }> = {
  '2.16.840.1.101.3.4.3.17': { alg: 'ML-DSA-44', size: 1312 },
  '2.16.840.1.101.3.4.3.18': { alg: 'ML-DSA-65', size: 1952 },
  '2.16.840.1.101.3.4.3.19': { alg: 'ML-DSA-87', size: 2592 },
};

/**
 * How SPKIs are read: tolerant of non-minimal lengths (up to 3 length bytes) and of leading zeros in INTEGERs,
 * which are stripped; problems are InvalidArgumentErrors "Malformed DER public key: …".
 */
const SPKI_DER: DerReaderOptions = {
  error: (problem) => new InvalidArgumentError(`Malformed DER public key: ${problem}`),
  minimalLengths: false,
  minimalIntegers: false,
  maxLengthBytes: 3,
  wording: { emptyInteger: 'negative or empty INTEGER', negativeInteger: 'negative or empty INTEGER' },
};

/**
 * The public JWK members of an SPKI: RSA `n`,`e` (minimal big-endian); EC `crv`,`x`,`y` (fixed width); Ed25519
 * `crv`,`x`; ML-DSA `alg`,`pub`.
 */
export function spkiToJwkComponents(der: Uint8Array): PublicKeyComponents {
  const spki = new DerReader(der, SPKI_DER).sequence();
  const algorithm = spki.sequence();
  const algOid = algorithm.oid();
  const key = spki.bitString();
  spki.end();
  if (algOid === OID_RSA_ENCRYPTION) {
    const rsa = new DerReader(key, SPKI_DER).sequence();
    const n = rsa.unsignedInteger();
    const e = rsa.unsignedInteger();
    rsa.end();
    return { kty: 'RSA', n: toBase64Url(n), e: toBase64Url(e) };
  }
  if (algOid === OID_EC_PUBLIC_KEY) {
    const curveOid = algorithm.oid();
    const curve = EC_CURVES[curveOid];
    if (!curve) throw new UnsupportedAlgorithmError(`Unsupported elliptic curve in public key: OID ${curveOid}`);
    if (key.length !== 1 + 2 * curve.size || key[0] !== 0x04) {
      throw new InvalidArgumentError(`Malformed ${curve.crv} public key: expected an uncompressed point`);
    }
    return {
      kty: 'EC',
      crv: curve.crv,
      x: toBase64Url(key.subarray(1, 1 + curve.size)),
      y: toBase64Url(key.subarray(1 + curve.size)),
    };
  }
  if (algOid === OID_ED25519) {
    algorithm.end(); // RFC 8410: no parameters
    if (key.length !== 32) throw new InvalidArgumentError('Malformed Ed25519 public key: expected 32 bytes');
    return { kty: 'OKP', crv: 'Ed25519', x: toBase64Url(key) };
  }
  const mlDsa = ML_DSA[algOid];
  if (mlDsa) {
    algorithm.end(); // FIPS 204 SPKIs: no parameters
    if (key.length !== mlDsa.size) {
      throw new InvalidArgumentError(`Malformed ${mlDsa.alg} public key: expected ${mlDsa.size} bytes, got ${key.length}`);
    }
    return { kty: 'AKP', alg: mlDsa.alg, pub: toBase64Url(key) };
  }
  throw new UnsupportedAlgorithmError(`Unsupported public key algorithm: OID ${algOid}`);
}
