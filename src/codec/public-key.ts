/**
 * Public keys as KMS returns them (DER SubjectPublicKeyInfo) turned into what this library publishes:
 * the SPKI PEM (byte-identical to node:crypto's export and the Python original), its fingerprint, and a public JWK.
 */
import { sha256 } from '@noble/hashes/sha2.js';
import { UnsupportedAlgorithmError, InvalidArgumentError } from '../domain/errors.js';
import { toBase64, toBase64Url, toHex, utf8 } from './bytes.js';

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

/** The public JWK members of an SPKI: RSA `n`,`e` (minimal big-endian); EC `crv`,`x`,`y` (fixed width). */
export function spkiToJwkComponents(der: Uint8Array): PublicKeyComponents {
  const spki = new DerReader(der).sequence();
  const algorithm = spki.sequence();
  const algOid = algorithm.oid();
  const key = spki.bitString();
  spki.end();
  if (algOid === OID_RSA_ENCRYPTION) {
    const rsa = new DerReader(key).sequence();
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

function malformed(what: string): InvalidArgumentError {
  return new InvalidArgumentError(`Malformed DER public key: ${what}`);
}

/** A strict reader of the few DER types an SPKI uses. */
class DerReader {
  private offset = 0;
  constructor(private readonly bytes: Uint8Array) {}

  sequence(): DerReader {
    return new DerReader(this.read(0x30, 'SEQUENCE'));
  }

  oid(): string {
    const body = this.read(0x06, 'OBJECT IDENTIFIER');
    if (body.length === 0) throw malformed('empty OBJECT IDENTIFIER');
    const first = body[0]!;
    const arcs = first < 80 ? [Math.floor(first / 40), first % 40] : [2, first - 80];
    let value = 0;
    for (let i = 1; i < body.length; i++) {
      const b = body[i]!;
      value = value * 128 + (b & 0x7f);
      if ((b & 0x80) === 0) {
        arcs.push(value);
        value = 0;
      } else if (i === body.length - 1) {
        throw malformed('truncated OBJECT IDENTIFIER');
      }
    }
    return arcs.join('.');
  }

  bitString(): Uint8Array {
    const body = this.read(0x03, 'BIT STRING');
    if (body[0] !== 0) throw malformed('BIT STRING with unused bits');
    return body.subarray(1);
  }

  /** A non-negative INTEGER, returned minimal (no leading zero). */
  unsignedInteger(): Uint8Array {
    const body = this.read(0x02, 'INTEGER');
    if (body.length === 0 || (body[0]! & 0x80) !== 0) throw malformed('negative or empty INTEGER');
    let start = 0;
    while (start < body.length - 1 && body[start] === 0) start++;
    return body.subarray(start);
  }

  end(): void {
    if (this.offset !== this.bytes.length) throw malformed('trailing bytes');
  }

  private read(tag: number, name: string): Uint8Array {
    if (this.bytes[this.offset] !== tag) throw malformed(`expected ${name}`);
    let length = this.bytes[this.offset + 1];
    if (length === undefined) throw malformed(`truncated ${name}`);
    let start = this.offset + 2;
    if (length & 0x80) {
      const count = length & 0x7f;
      if (count === 0 || count > 3) throw malformed(`unsupported length of ${name}`);
      length = 0;
      for (let i = 0; i < count; i++) {
        const b = this.bytes[start + i];
        if (b === undefined) throw malformed(`truncated ${name}`);
        length = length * 256 + b;
      }
      start += count;
    }
    const end = start + length;
    if (end > this.bytes.length) throw malformed(`truncated ${name}`);
    this.offset = end;
    return this.bytes.subarray(start, end);
  }
}
