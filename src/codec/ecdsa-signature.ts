/**
 * ECDSA signature encodings: WebCrypto / JOSE use fixed-width `r || s` ("raw", IEEE P1363), AWS KMS uses
 * DER `SEQUENCE { r INTEGER, s INTEGER }` (ANSI X9.62, RFC 3279 §2.2.3). Pure conversions both ways;
 * the parser is strict DER and throws a plain `Error` for anything else.
 */

import { DER_TAG, DerReader, derTlv, type DerReaderOptions } from './der.js';

const SEQUENCE = DER_TAG.SEQUENCE;
const INTEGER = DER_TAG.INTEGER;

const signatureError = (problem: string): Error => new Error(`ECDSA DER signature: ${problem}`);

/**
 * How signatures are read: strict DER (minimal lengths of at most 2 bytes, minimal INTEGERs); problems are plain
 * Errors "ECDSA DER signature: …" that do not name the type, except for a wrong tag.
 */
const SIGNATURE_DER: DerReaderOptions = {
  error: signatureError,
  minimalLengths: true,
  minimalIntegers: true,
  maxLengthBytes: 2,
  wording: {
    unexpectedTag: (type) => `expected ${type === 'INTEGER' ? 'an' : 'a'} ${type}`,
    missing: () => 'truncated input',
    truncated: () => 'truncated input',
    unsupportedLength: () => 'unsupported length encoding',
    nonMinimalLength: () => 'non-minimal length encoding',
    // end() is only called after s
    trailingBytes: 'unexpected bytes after s',
  },
};

/** Converts a raw `r || s` signature (two equal halves) to DER. */
export function ecdsaRawToDer(raw: Uint8Array): Uint8Array {
  if (raw.length === 0 || raw.length % 2 !== 0) {
    throw new Error(`ECDSA raw signature must have a non-zero even length, got ${raw.length} bytes`);
  }
  const half = raw.length / 2;
  return derTlv(SEQUENCE, encodeInteger(raw.subarray(0, half)), encodeInteger(raw.subarray(half)));
}

/**
 * Converts a DER signature to raw `r || s`, each left-padded to `componentLength` bytes
 * (32 for P-256 and secp256k1, 48 for P-384, 66 for P-521).
 */
export function ecdsaDerToRaw(der: Uint8Array, componentLength: number): Uint8Array {
  if (!Number.isInteger(componentLength) || componentLength < 1) {
    throw new Error(`ECDSA component length must be a positive integer, got ${componentLength}`);
  }
  const reader = new DerReader(der, SIGNATURE_DER);
  const length = reader.header('SEQUENCE');
  if (length !== reader.remaining) {
    throw signatureError('SEQUENCE length does not match the input length');
  }
  const raw = new Uint8Array(2 * componentLength);
  raw.set(leftPad(reader.unsignedInteger(), componentLength), 0);
  raw.set(leftPad(reader.unsignedInteger(), componentLength), componentLength);
  reader.end();
  return raw;
}

/** Minimal DER INTEGER for an unsigned big-endian value: leading zeros stripped, 0x00 added if the high bit is set. */
function encodeInteger(value: Uint8Array): Uint8Array {
  let start = 0;
  while (start < value.length - 1 && value[start] === 0) start++;
  const digits = value.subarray(start);
  return (digits[0] as number) & 0x80 ? derTlv(INTEGER, Uint8Array.of(0), digits) : derTlv(INTEGER, digits);
}

/** A minimal unsigned value left-padded to `width` bytes. */
function leftPad(digits: Uint8Array, width: number): Uint8Array {
  if (digits.length > width) throw signatureError(`INTEGER longer than ${width} bytes`);
  const out = new Uint8Array(width);
  out.set(digits, width - digits.length);
  return out;
}
