/**
 * ECDSA signature encodings: WebCrypto / JOSE use fixed-width `r || s` ("raw", IEEE P1363), AWS KMS uses
 * DER `SEQUENCE { r INTEGER, s INTEGER }` (ANSI X9.62, RFC 3279 §2.2.3). Pure conversions both ways;
 * the parser is strict DER and throws a plain `Error` for anything else.
 */

import { derTlv } from './der.js';

const SEQUENCE = 0x30;
const INTEGER = 0x02;

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
  const reader = new DerReader(der);
  if (reader.byte() !== SEQUENCE) throw new Error('ECDSA DER signature: expected a SEQUENCE');
  const length = reader.length();
  if (reader.pos + length !== der.length) {
    throw new Error('ECDSA DER signature: SEQUENCE length does not match the input length');
  }
  const raw = new Uint8Array(2 * componentLength);
  raw.set(reader.integer(componentLength), 0);
  raw.set(reader.integer(componentLength), componentLength);
  if (reader.pos !== der.length) throw new Error('ECDSA DER signature: unexpected bytes after s');
  return raw;
}

/** Minimal DER INTEGER for an unsigned big-endian value: leading zeros stripped, 0x00 added if the high bit is set. */
function encodeInteger(value: Uint8Array): Uint8Array {
  let start = 0;
  while (start < value.length - 1 && value[start] === 0) start++;
  const digits = value.subarray(start);
  return (digits[0] as number) & 0x80 ? derTlv(INTEGER, Uint8Array.of(0), digits) : derTlv(INTEGER, digits);
}

class DerReader {
  pos = 0;
  constructor(private readonly input: Uint8Array) {}

  byte(): number {
    const value = this.input[this.pos];
    if (value === undefined) throw new Error('ECDSA DER signature: truncated input');
    this.pos++;
    return value;
  }

  /** A definite length in minimal form (short form below 128, long form of at most 2 bytes otherwise). */
  length(): number {
    const first = this.byte();
    if (first < 0x80) return first;
    const count = first & 0x7f;
    if (count === 0 || count > 2) throw new Error('ECDSA DER signature: unsupported length encoding');
    let length = 0;
    for (let i = 0; i < count; i++) length = (length << 8) | this.byte();
    if (length < 0x80 || length < 1 << (8 * (count - 1))) {
      throw new Error('ECDSA DER signature: non-minimal length encoding');
    }
    return length;
  }

  /** A non-negative minimal INTEGER, returned left-padded to `width` bytes. */
  integer(width: number): Uint8Array {
    if (this.byte() !== INTEGER) throw new Error('ECDSA DER signature: expected an INTEGER');
    const length = this.length();
    const end = this.pos + length;
    if (end > this.input.length) throw new Error('ECDSA DER signature: truncated input');
    const content = this.input.subarray(this.pos, end);
    this.pos = end;
    const [first = -1, second = 0] = content;
    if (first === -1) throw new Error('ECDSA DER signature: empty INTEGER');
    if (first & 0x80) throw new Error('ECDSA DER signature: negative INTEGER');
    if (first === 0 && content.length > 1 && !(second & 0x80)) {
      throw new Error('ECDSA DER signature: non-minimal INTEGER');
    }
    const digits = first === 0 && content.length > 1 ? content.subarray(1) : content;
    if (digits.length > width) throw new Error(`ECDSA DER signature: INTEGER longer than ${width} bytes`);
    const out = new Uint8Array(width);
    out.set(digits, width - digits.length);
    return out;
  }
}
