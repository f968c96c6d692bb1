import { expect } from 'chai';
import fc from 'fast-check';
import { DER_TAG, DerReader, derTlv, type DerReaderOptions, type DerType } from '../../src/codec/der.js';

const hex = (b: Uint8Array): string => Buffer.from(b).toString('hex');

describe('domain/der', () => {
  it('uses the short form below 128 bytes and minimal long forms above', () => {
    expect(hex(derTlv(0x04, new Uint8Array(0)))).to.equal('0400');
    expect(hex(derTlv(0x04, new Uint8Array(127)).subarray(0, 2))).to.equal('047f');
    expect(hex(derTlv(0x04, new Uint8Array(128)).subarray(0, 3))).to.equal('048180');
    expect(hex(derTlv(0x04, new Uint8Array(255)).subarray(0, 3))).to.equal('0481ff');
    expect(hex(derTlv(0x04, new Uint8Array(256)).subarray(0, 4))).to.equal('04820100');
    expect(hex(derTlv(0x30, Uint8Array.of(1), Uint8Array.of(2, 3)))).to.equal('3003010203');
  });

  it('concatenates the contents after tag and length, for any parts', () => {
    fc.assert(
      fc.property(fc.array(fc.uint8Array({ maxLength: 200 }), { maxLength: 4 }), (parts) => {
        const out = derTlv(0x30, ...parts);
        const body = Buffer.concat(parts);
        expect(Buffer.from(out.subarray(out.length - body.length)).equals(body)).to.equal(true);
        expect(out[0]).to.equal(0x30);
      }),
    );
  });
});

class ProblemError extends Error {}
const fromHex = (s: string): Uint8Array => Uint8Array.from(Buffer.from(s.replace(/\s/g, ''), 'hex'));

/** As the ECDSA signature reader: minimal lengths of at most 2 bytes, minimal INTEGERs. */
const STRICT: DerReaderOptions = {
  error: (problem) => new ProblemError(problem),
  minimalLengths: true,
  minimalIntegers: true,
  maxLengthBytes: 2,
};
/** As the SPKI reader: any definite length of at most 3 bytes, leading zeros in INTEGERs stripped. */
const LENIENT: DerReaderOptions = { ...STRICT, minimalLengths: false, minimalIntegers: false, maxLengthBytes: 3 };
const MODES: Array<[string, DerReaderOptions]> = [
  ['strict', STRICT],
  ['lenient', LENIENT],
];

/** A reader over hex (or bytes). */
const at = (input: string | Uint8Array, options: DerReaderOptions): DerReader =>
  new DerReader(typeof input === 'string' ? fromHex(input) : input, options);

/** The problem text a reader call failed with (through the options' error factory). */
function problemOf(read: () => unknown): string {
  try {
    read();
  } catch (error) {
    expect(error).to.be.instanceOf(ProblemError);
    return (error as Error).message;
  }
  return expect.fail('expected the read to fail');
}

/** Big-endian bytes of a non-negative integer, at least one byte. */
function bigEndian(value: bigint): number[] {
  const out: number[] = [];
  for (let rest = value; rest > 0n; rest >>= 8n) out.unshift(Number(rest & 0xffn));
  return out.length === 0 ? [0] : out;
}

/** An OID's contents per X.690 §8.19 (first two arcs in one byte, later arcs base 128). */
function oidContents(first: number, second: number, rest: number[]): Uint8Array {
  const out = [40 * first + second];
  for (const arc of rest) {
    const digits = [arc % 128];
    for (let v = Math.floor(arc / 128); v > 0; v = Math.floor(v / 128)) digits.unshift(0x80 | v % 128);
    out.push(...digits);
  }
  return Uint8Array.from(out);
}

const TYPES = Object.keys(DER_TAG) as DerType[];
const readAs = (reader: DerReader, type: DerType): unknown =>
  ({
    SEQUENCE: () => reader.sequence(),
    INTEGER: () => reader.unsignedInteger(),
    'OBJECT IDENTIFIER': () => reader.oid(),
    'BIT STRING': () => reader.bitString(),
  })[type]();

describe('codec/der DerReader', () => {
  describe('lengths', () => {
    it('reads short and minimal long forms', () => {
      const cases: Array<[string, number]> = [
        ['3000', 0],
        ['3001', 1],
        ['307f', 127],
        ['308180', 128],
        ['3081ff', 255],
        ['30820100', 256],
        ['3082ffff', 65535],
      ];
      for (const [header, length] of cases) {
        for (const [, options] of MODES) {
          const reader = new DerReader(fromHex(header), options);
          expect(reader.header('SEQUENCE'), header).to.equal(length);
          expect(reader.remaining).to.equal(0);
        }
      }
      expect(at('3083010000', LENIENT).header('SEQUENCE')).to.equal(65536);
    });

    for (const [mode, options] of MODES) {
      it(`${mode}: reads back what derTlv writes, contents of any length`, () => {
        fc.assert(
          fc.property(fc.uint8Array({ maxLength: 600 }), fc.uint8Array({ maxLength: 3 }), (contents, after) => {
            const bytes = Uint8Array.from([...derTlv(0x03, Uint8Array.of(0), contents), ...after]);
            const reader = new DerReader(bytes, options);
            expect(reader.bitString()).to.deep.equal(contents);
            expect(reader.remaining).to.equal(after.length);
          }),
        );
      });

      it(`${mode}: header returns the length of any TLV up to 65535 bytes, without reading the contents`, () => {
        fc.assert(
          fc.property(fc.integer({ min: 0, max: 0xffff }), (length) => {
            const tlv = derTlv(0x30, new Uint8Array(length));
            const reader = new DerReader(tlv, options);
            expect(reader.header('SEQUENCE')).to.equal(length);
            expect(reader.remaining).to.equal(length);
          }),
        );
      });
    }

    it('does not check that the contents fit: that is header’s caller’s to do', () => {
      const reader = at('3005', STRICT);
      expect(reader.header('SEQUENCE')).to.equal(5);
      expect(reader.remaining).to.equal(0);
    });

    it('strict mode refuses any length not in its shortest form; lenient mode reads it', () => {
      fc.assert(
        fc.property(
          fc.oneof(
            fc.integer({ min: 0, max: 0x7f }).map((n) => [0x81, n]),
            fc.integer({ min: 0, max: 0xff }).map((n) => [0x82, 0, n]),
          ),
          (lengthBytes) => {
            const length = lengthBytes.at(-1)!;
            const bytes = Uint8Array.from([0x30, ...lengthBytes, ...new Uint8Array(length)]);
            expect(problemOf(() => new DerReader(bytes, STRICT).sequence())).to.equal('non-minimal length of SEQUENCE');
            const reader = new DerReader(bytes, LENIENT);
            expect(reader.sequence().remaining).to.equal(length);
            reader.end();
          },
        ),
      );
      expect(at('3083000000', LENIENT).header('SEQUENCE')).to.equal(0);
    });

    it('refuses indefinite lengths and long forms of more than maxLengthBytes bytes', () => {
      expect(problemOf(() => at('30800000', LENIENT).sequence())).to.equal('unsupported length of SEQUENCE');
      expect(problemOf(() => at('3083010000', STRICT).header('SEQUENCE'))).to.equal(
        'unsupported length of SEQUENCE',
      );
      expect(problemOf(() => at('038401000000', LENIENT).bitString())).to.equal(
        'unsupported length of BIT STRING',
      );
      const shortOnly: DerReaderOptions = { ...STRICT, maxLengthBytes: 0 };
      expect(at('307f', shortOnly).header('SEQUENCE')).to.equal(127);
      expect(problemOf(() => at('308180', shortOnly).header('SEQUENCE'))).to.equal(
        'unsupported length of SEQUENCE',
      );
      const six: DerReaderOptions = { ...LENIENT, maxLengthBytes: 6 };
      expect(at('3086ffffffffffff', six).header('SEQUENCE')).to.equal(2 ** 48 - 1);
    });

    it('refuses a maxLengthBytes outside 0 to 6 with a RangeError', () => {
      for (const bad of [-1, 7, 1.5, Number.NaN]) {
        expect(() => new DerReader(new Uint8Array(0), { ...STRICT, maxLengthBytes: bad })).to.throw(
          RangeError,
          `maxLengthBytes must be an integer from 0 to 6, got ${bad}`,
        );
      }
    });
  });

  describe('truncation, tags and trailing bytes', () => {
    for (const [mode, options] of MODES) {
      it(`${mode}: every proper prefix of a TLV is missing or truncated`, () => {
        fc.assert(
          fc.property(fc.constantFrom(...TYPES), fc.uint8Array({ maxLength: 300 }), fc.nat(), (type, contents, cut) => {
            const tlv = derTlv(DER_TAG[type], contents);
            const prefix = tlv.subarray(0, cut % tlv.length);
            const expected = prefix.length === 0 ? `expected ${type}` : `truncated ${type}`;
            expect(problemOf(() => readAs(new DerReader(prefix, options), type))).to.equal(expected);
          }),
        );
      });
    }

    it('refuses any other tag, for every type', () => {
      fc.assert(
        fc.property(fc.constantFrom(...TYPES), fc.integer({ min: 0, max: 0xff }), (type, tag) => {
          fc.pre(tag !== DER_TAG[type]);
          const bytes = Uint8Array.of(tag, 1, 0);
          for (const [, options] of MODES) {
            expect(problemOf(() => readAs(new DerReader(bytes, options), type))).to.equal(`expected ${type}`);
            expect(problemOf(() => new DerReader(bytes, options).header(type))).to.equal(`expected ${type}`);
          }
        }),
      );
    });

    it('end() refuses bytes left over, inside a SEQUENCE as well as after it', () => {
      fc.assert(
        fc.property(fc.uint8Array({ minLength: 1, maxLength: 20 }), (extra) => {
          const sequence = derTlv(0x30, derTlv(0x02, Uint8Array.of(5)), extra);
          const outer = new DerReader(Uint8Array.from([...sequence, ...extra]), STRICT);
          const inner = outer.sequence();
          expect(outer.remaining).to.equal(extra.length);
          expect(problemOf(() => outer.end())).to.equal('trailing bytes');
          expect(inner.unsignedInteger()).to.deep.equal(Uint8Array.of(5));
          expect(problemOf(() => inner.end())).to.equal('trailing bytes');
        }),
      );
      const done = at('3000', STRICT);
      done.sequence().end();
      done.end();
    });

    it('a SEQUENCE reader sees only its contents and keeps the options', () => {
      // The INTEGER claims 5 bytes; the SEQUENCE holds 3, the input 6.
      const reader = at('3003 0205 01 010101', STRICT);
      const inner = reader.sequence();
      expect(inner.remaining).to.equal(3);
      expect(problemOf(() => inner.unsignedInteger())).to.equal('truncated INTEGER');
      expect(reader.remaining).to.equal(3);
    });
  });

  describe('INTEGER', () => {
    const value = fc.oneof(fc.bigInt({ min: 0n, max: 0xffffn }), fc.bigInt({ min: 0n, max: (1n << 528n) - 1n }));

    it('reads any non-negative minimal INTEGER as its minimal big-endian magnitude, in both modes', () => {
      fc.assert(
        fc.property(value, (n) => {
          const magnitude = bigEndian(n);
          const contents = magnitude[0]! & 0x80 ? [0, ...magnitude] : magnitude;
          for (const [, options] of MODES) {
            const reader = new DerReader(derTlv(0x02, Uint8Array.from(contents)), options);
            expect([...reader.unsignedInteger()]).to.deep.equal(magnitude);
            reader.end();
          }
        }),
      );
    });

    it('strict mode refuses redundant leading zeros; lenient mode strips them all', () => {
      fc.assert(
        fc.property(value, fc.integer({ min: 1, max: 4 }), (n, zeros) => {
          const magnitude = bigEndian(n);
          const minimal = magnitude[0]! & 0x80 ? [0, ...magnitude] : magnitude;
          const padded = derTlv(0x02, Uint8Array.from([...new Array<number>(zeros).fill(0), ...minimal]));
          expect(problemOf(() => new DerReader(padded, STRICT).unsignedInteger())).to.equal('non-minimal INTEGER');
          expect([...new DerReader(padded, LENIENT).unsignedInteger()]).to.deep.equal(magnitude);
        }),
      );
    });

    it('refuses empty and negative INTEGERs in both modes', () => {
      for (const [, options] of MODES) {
        expect(problemOf(() => at('0200', options).unsignedInteger())).to.equal('empty INTEGER');
        expect(problemOf(() => at('0201ff', options).unsignedInteger())).to.equal('negative INTEGER');
        expect(problemOf(() => at('02028000', options).unsignedInteger())).to.equal('negative INTEGER');
      }
      expect([...at('020100', STRICT).unsignedInteger()]).to.deep.equal([0]);
      expect([...at('02020080', STRICT).unsignedInteger()]).to.deep.equal([0x80]);
    });
  });

  describe('OBJECT IDENTIFIER', () => {
    it('reads well-known OIDs, multi-byte arcs included', () => {
      const known: Array<[string, string]> = [
        ['2a864886f70d010101', '1.2.840.113549.1.1.1'],
        ['2a8648ce3d0201', '1.2.840.10045.2.1'],
        ['2a8648ce3d030107', '1.2.840.10045.3.1.7'],
        ['2b81040022', '1.3.132.0.34'],
        ['2b6570', '1.3.101.112'],
        ['550403', '2.5.4.3'],
        ['608648016503040311', '2.16.840.1.101.3.4.3.17'],
        ['00', '0.0'],
      ];
      for (const [contents, dotted] of known) {
        expect(new DerReader(derTlv(0x06, fromHex(contents)), STRICT).oid()).to.equal(dotted);
      }
    });

    it('reads any OID whose first two arcs fit in one byte, later arcs of any size up to 2^48', () => {
      const firstTwo = fc.oneof(
        fc.tuple(fc.constantFrom(0, 1), fc.integer({ min: 0, max: 39 })),
        fc.tuple(fc.constant(2), fc.integer({ min: 0, max: 47 })),
      );
      const arc = fc.oneof(fc.integer({ min: 0, max: 0x3fff }), fc.integer({ min: 0, max: 2 ** 48 }));
      fc.assert(
        fc.property(firstTwo, fc.array(arc, { maxLength: 8 }), ([first, second], rest) => {
          for (const [, options] of MODES) {
            const reader = new DerReader(derTlv(0x06, oidContents(first, second, rest)), options);
            expect(reader.oid()).to.equal([first, second, ...rest].join('.'));
            reader.end();
          }
        }),
      );
    });

    it('refuses an empty OID and one whose last byte continues', () => {
      expect(problemOf(() => at('0600', STRICT).oid())).to.equal('empty OBJECT IDENTIFIER');
      fc.assert(
        fc.property(
          fc.array(fc.integer({ min: 0, max: 0xffff }), { maxLength: 4 }),
          fc.integer({ min: 0x80, max: 0xff }),
          (rest, last) => {
            const contents = Uint8Array.from([...oidContents(1, 2, rest), last]);
            expect(problemOf(() => at(derTlv(0x06, contents), LENIENT).oid())).to.equal('truncated OBJECT IDENTIFIER');
          },
        ),
      );
    });
  });

  describe('BIT STRING', () => {
    it('refuses unused bits and a missing unused-bits byte', () => {
      expect(problemOf(() => at('030201ff', STRICT).bitString())).to.equal('BIT STRING with unused bits');
      expect(problemOf(() => at('0300', LENIENT).bitString())).to.equal('BIT STRING with unused bits');
      expect(at('030100', STRICT).bitString()).to.deep.equal(new Uint8Array(0));
    });
  });

  describe('errors and wording', () => {
    it('throws exactly what the error factory returns', () => {
      const made: Error[] = [];
      const options: DerReaderOptions = {
        ...STRICT,
        error: (problem) => {
          const error = new TypeError(`custom: ${problem}`);
          made.push(error);
          return error;
        },
      };
      let thrown: unknown;
      try {
        at('0201', options).sequence();
      } catch (error) {
        thrown = error;
      }
      expect(made).to.have.length(1);
      expect(thrown).to.equal(made[0]);
      expect((thrown as Error).message).to.equal('custom: expected SEQUENCE');
    });

    it('uses the wording given for a problem and the default wording for the others', () => {
      const options: DerReaderOptions = {
        ...STRICT,
        wording: { truncated: (type) => `short ${type.toLowerCase()}`, trailingBytes: 'left over' },
      };
      expect(problemOf(() => at('3001', options).sequence())).to.equal('short sequence');
      expect(problemOf(() => at('020100ff', options).sequence())).to.equal('expected SEQUENCE');
      const reader = at('020100ff', options);
      reader.unsignedInteger();
      expect(problemOf(() => reader.end())).to.equal('left over');
      // sub-readers word their problems the same way
      expect(problemOf(() => at('30020201', options).sequence().unsignedInteger())).to.equal(
        'short integer',
      );
    });
  });
});
