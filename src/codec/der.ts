/**
 * DER (X.690): a TLV writer (`derTlv`) and one reader (`DerReader`) of the few universal types this library
 * reads back (SubjectPublicKeyInfo, ECDSA signatures). Pure.
 */

/** DER encoding (X.690): a TLV with a definite length, short form below 128 bytes, long form otherwise. Pure. */
export function derTlv(tag: number, ...contents: Uint8Array[]): Uint8Array {
  const length = contents.reduce((sum, part) => sum + part.length, 0);
  const lengthBytes: number[] = [];
  if (length < 0x80) lengthBytes.push(length);
  else {
    for (let rest = length; rest > 0; rest >>>= 8) lengthBytes.unshift(rest & 0xff);
    lengthBytes.unshift(0x80 | lengthBytes.length);
  }
  const out = new Uint8Array(1 + lengthBytes.length + length);
  out.set([tag, ...lengthBytes]);
  let offset = 1 + lengthBytes.length;
  for (const part of contents) {
    out.set(part, offset);
    offset += part.length;
  }
  return out;
}

/** The universal types `DerReader` reads, by the name its messages use, with their tags. */
export const DER_TAG = {
  INTEGER: 0x02,
  'BIT STRING': 0x03,
  'OBJECT IDENTIFIER': 0x06,
  SEQUENCE: 0x30,
} as const;
export type DerType = keyof typeof DER_TAG;

/** How a reader words each problem it finds: the text it hands to `DerReaderOptions.error`. */
export interface DerWording {
  /** The next TLV has another tag. */
  readonly unexpectedTag: (type: DerType) => string;
  /** The input ends where the next TLV should start. */
  readonly missing: (type: DerType) => string;
  /** The length octets or the contents run past the end of the input. */
  readonly truncated: (type: DerType) => string;
  /** An indefinite length (0x80), or a long form of more than `maxLengthBytes` bytes. */
  readonly unsupportedLength: (type: DerType) => string;
  /** With `minimalLengths`: a length not in its shortest form. */
  readonly nonMinimalLength: (type: DerType) => string;
  /** An INTEGER without contents. */
  readonly emptyInteger: string;
  /** An INTEGER with the sign bit set (the reader reads unsigned values only). */
  readonly negativeInteger: string;
  /** With `minimalIntegers`: an INTEGER with a leading 00 the sign does not need. */
  readonly nonMinimalInteger: string;
  /** An OBJECT IDENTIFIER without contents. */
  readonly emptyOid: string;
  /** An OBJECT IDENTIFIER whose last byte has the continuation bit set. */
  readonly truncatedOid: string;
  /** A BIT STRING whose first byte (the count of unused bits) is not 0, or is missing. */
  readonly unusedBits: string;
  /** Bytes left after the last TLV (`end`). */
  readonly trailingBytes: string;
}

const DEFAULT_WORDING: DerWording = {
  unexpectedTag: (type) => `expected ${type}`,
  missing: (type) => `expected ${type}`,
  truncated: (type) => `truncated ${type}`,
  unsupportedLength: (type) => `unsupported length of ${type}`,
  nonMinimalLength: (type) => `non-minimal length of ${type}`,
  emptyInteger: 'empty INTEGER',
  negativeInteger: 'negative INTEGER',
  nonMinimalInteger: 'non-minimal INTEGER',
  emptyOid: 'empty OBJECT IDENTIFIER',
  truncatedOid: 'truncated OBJECT IDENTIFIER',
  unusedBits: 'BIT STRING with unused bits',
  trailingBytes: 'trailing bytes',
};

/** What a `DerReader` accepts and how it fails. */
export interface DerReaderOptions {
  /** Makes the error thrown for a problem (the worded text), e.g. with a prefix naming what was being read. */
  readonly error: (problem: string) => Error;
  /** Refuse lengths not in their shortest form (X.690 §10.1); otherwise any definite length is read. */
  readonly minimalLengths: boolean;
  /** Refuse INTEGERs with a redundant leading 00 (X.690 §8.3.2); otherwise any number of leading zeros is read. */
  readonly minimalIntegers: boolean;
  /** The most bytes a long-form length may have, 0 to 6 (0: short form only). */
  readonly maxLengthBytes: number;
  /** The wording of the problems, where it differs from the default (`expected SEQUENCE`, `trailing bytes`, …). */
  readonly wording?: Partial<DerWording>;
}

/**
 * A reader of DER TLVs over `bytes`, front to back: each call reads the next TLV (or checks the end) and throws
 * `options.error(problem)` if it is not what was asked for. After a throw the reader is not to be used again.
 */
export class DerReader {
  private offset = 0;
  private readonly wording: DerWording;

  constructor(
    private readonly bytes: Uint8Array,
    private readonly options: DerReaderOptions,
  ) {
    const max = options.maxLengthBytes;
    if (!Number.isInteger(max) || max < 0 || max > 6) {
      throw new RangeError(`DerReader: maxLengthBytes must be an integer from 0 to 6, got ${max}`);
    }
    this.wording = { ...DEFAULT_WORDING, ...options.wording };
  }

  /** How many bytes are left to read. */
  get remaining(): number {
    return this.bytes.length - this.offset;
  }

  /**
   * Reads the tag (which must be `type`'s) and the length of the next TLV and returns the length, leaving the
   * reader at the contents. Whether the contents fit in the input is the caller's to check (see `remaining`).
   */
  header(type: DerType): number {
    const tag = this.bytes[this.offset];
    if (tag === undefined) throw this.options.error(this.wording.missing(type));
    if (tag !== DER_TAG[type]) throw this.options.error(this.wording.unexpectedTag(type));
    this.offset++;
    const first = this.byte(type);
    if (first < 0x80) return first;
    const count = first & 0x7f;
    if (count === 0 || count > this.options.maxLengthBytes) {
      throw this.options.error(this.wording.unsupportedLength(type));
    }
    let length = 0;
    for (let i = 0; i < count; i++) length = length * 256 + this.byte(type);
    if (this.options.minimalLengths && (length < 0x80 || length < 256 ** (count - 1))) {
      throw this.options.error(this.wording.nonMinimalLength(type));
    }
    return length;
  }

  /** The next TLV, a SEQUENCE, as a reader of its contents (with the same options). */
  sequence(): DerReader {
    return new DerReader(this.contents('SEQUENCE'), this.options);
  }

  /** The next TLV, a non-negative INTEGER, as its minimal big-endian magnitude (leading zeros stripped, 0 as 00). */
  unsignedInteger(): Uint8Array {
    const body = this.contents('INTEGER');
    const first = body[0];
    if (first === undefined) throw this.options.error(this.wording.emptyInteger);
    if (first & 0x80) throw this.options.error(this.wording.negativeInteger);
    if (this.options.minimalIntegers && first === 0 && body.length > 1 && (body[1]! & 0x80) === 0) {
      throw this.options.error(this.wording.nonMinimalInteger);
    }
    let start = 0;
    while (start < body.length - 1 && body[start] === 0) start++;
    return body.subarray(start);
  }

  /**
   * The next TLV, an OBJECT IDENTIFIER, in dotted form. The first byte is read as the first two arcs (0.x and 1.x,
   * and 2.x below 2.48); the later subidentifiers may span several bytes (base 128).
   */
  oid(): string {
    const body = this.contents('OBJECT IDENTIFIER');
    const first = body[0];
    if (first === undefined) throw this.options.error(this.wording.emptyOid);
    const arcs = first < 80 ? [Math.floor(first / 40), first % 40] : [2, first - 80];
    let value = 0;
    for (let i = 1; i < body.length; i++) {
      const b = body[i]!;
      value = value * 128 + (b & 0x7f);
      if ((b & 0x80) === 0) {
        arcs.push(value);
        value = 0;
      } else if (i === body.length - 1) {
        throw this.options.error(this.wording.truncatedOid);
      }
    }
    return arcs.join('.');
  }

  /** The next TLV, a BIT STRING of whole bytes (no unused bits), as those bytes. */
  bitString(): Uint8Array {
    const body = this.contents('BIT STRING');
    if (body[0] !== 0) throw this.options.error(this.wording.unusedBits);
    return body.subarray(1);
  }

  /** Checks that nothing is left to read. */
  end(): void {
    if (this.offset !== this.bytes.length) throw this.options.error(this.wording.trailingBytes);
  }

  /** The contents of the next TLV, which must be of `type` and fit in the input. */
  private contents(type: DerType): Uint8Array {
    const length = this.header(type);
    const end = this.offset + length;
    if (end > this.bytes.length) throw this.options.error(this.wording.truncated(type));
    const body = this.bytes.subarray(this.offset, end);
    this.offset = end;
    return body;
  }

  /** The next byte of a header of `type`. */
  private byte(type: DerType): number {
    const value = this.bytes[this.offset];
    if (value === undefined) throw this.options.error(this.wording.truncated(type));
    this.offset++;
    return value;
  }
}
