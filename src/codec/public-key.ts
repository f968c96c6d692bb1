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
  crv: 'P-256' | 'P-384' | 'P-521';
  x: string;
  y: string;
}
export type PublicKeyComponents = RsaPublicKeyComponents | EcPublicKeyComponents;

const OID_RSA_ENCRYPTION = '1.2.840.113549.1.1.1';
const OID_EC_PUBLIC_KEY = '1.2.840.10045.2.1';
const EC_CURVES: Record<string, { crv: EcPublicKeyComponents['crv']; size: number }> = {
  '1.2.840.10045.3.1.7': { crv: 'P-256', size: 32 },
  '1.3.132.0.34': { crv: 'P-384', size: 48 },
  '1.3.132.0.35': { crv: 'P-521', size: 66 },
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

/** The public JWK members of an SPKI: RSA `n`,`e` (minimal big-endian); EC `crv`,`x`,`y` (fixed width). */
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
  throw new UnsupportedAlgorithmError(`Unsupported public key algorithm: OID ${algOid}`);
}
