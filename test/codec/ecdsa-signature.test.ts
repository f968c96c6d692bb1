import { generateKeyPairSync, sign, verify } from 'node:crypto';
import { expect } from 'chai';
import fc from 'fast-check';
import { ecdsaDerToRaw, ecdsaRawToDer } from '../../src/codec/ecdsa-signature.js';

const hex = (s: string): Uint8Array => Uint8Array.from(Buffer.from(s.replace(/\s/g, ''), 'hex'));
const toHex = (b: Uint8Array): string => Buffer.from(b).toString('hex');

/** A component of exactly `width` bytes biased towards leading zeros, the high bit set and zero. */
const component = (width: number): fc.Arbitrary<Uint8Array> =>
  fc.oneof(
    fc.uint8Array({ minLength: width, maxLength: width }),
    fc
      .tuple(fc.integer({ min: 0, max: width }), fc.uint8Array({ minLength: width, maxLength: width }))
      .map(([zeros, bytes]) => bytes.map((b, i) => (i < zeros ? 0 : b))),
    fc.uint8Array({ minLength: width, maxLength: width }).map((bytes) => bytes.map((b, i) => (i === 0 ? b | 0x80 : b))),
  );

describe('domain/ecdsa-signature', () => {
  describe('ecdsaRawToDer', () => {
    it('encodes small values minimally, 0 as 02 01 00', () => {
      expect(toHex(ecdsaRawToDer(hex('0000 0001')))).to.equal('3006020100020101');
    });

    it('adds 0x00 when the high bit is set and strips leading zeros', () => {
      expect(toHex(ecdsaRawToDer(hex('80ff 007f')))).to.equal('3008020300' + '80ff' + '02017f');
    });

    it('uses a long-form SEQUENCE length for P-521 sized signatures', () => {
      const raw = new Uint8Array(132).fill(0xff);
      const der = ecdsaRawToDer(raw);
      // 2 × (02 43 00 ff…ff) = 2 × 69 = 138 bytes of content
      expect(toHex(der.subarray(0, 6))).to.equal('30818a024300');
      expect(der.length).to.equal(141);
    });

    it('uses a two-byte length when the content reaches 256 bytes', () => {
      const raw = new Uint8Array(400).fill(0x01);
      const der = ecdsaRawToDer(raw);
      expect(toHex(der.subarray(0, 7))).to.equal('3082019602' + '81c8');
      expect(ecdsaDerToRaw(der, 200)).to.deep.equal(raw);
    });

    it('rejects empty and odd-length input', () => {
      expect(() => ecdsaRawToDer(new Uint8Array(0))).to.throw(Error, 'non-zero even length, got 0 bytes');
      expect(() => ecdsaRawToDer(new Uint8Array(65))).to.throw(Error, 'got 65 bytes');
    });
  });

  describe('ecdsaDerToRaw', () => {
    it('left-pads each component to the given length', () => {
      expect(toHex(ecdsaDerToRaw(hex('3006020100020101'), 2))).to.equal('00000001');
      expect(toHex(ecdsaDerToRaw(hex('3007020200ff020101'), 2))).to.equal('00ff0001');
    });

    const rejects: Array<[string, string, number, string]> = [
      ['an empty input', '', 32, 'truncated input'],
      ['a wrong outer tag', '3106020101020101', 32, 'expected a SEQUENCE'],
      ['trailing bytes after the SEQUENCE', '300602010102010100', 32, 'does not match the input length'],
      ['a SEQUENCE longer than the input', '3007020101020101', 32, 'does not match the input length'],
      ['an indefinite length', '3080020101020101', 32, 'unsupported length encoding'],
      ['a three-byte length', '30830000060201010201010000', 32, 'unsupported length encoding'],
      ['a long-form length below 128', '30810602010102010101', 32, 'non-minimal length encoding'],
      ['a two-byte length below 256', '308200ff', 32, 'non-minimal length encoding'],
      ['a truncated long-form length', '3081', 32, 'truncated input'],
      ['a wrong INTEGER tag', '3006030101020101', 32, 'expected an INTEGER'],
      ['a missing s', '3003020101', 32, 'truncated input'],
      ['an INTEGER running past the end', '3006020101020201', 32, 'truncated input'],
      ['an empty INTEGER', '30050200020101', 32, 'empty INTEGER'],
      ['a negative INTEGER', '3006020181020101', 32, 'negative INTEGER'],
      ['a non-minimal INTEGER (leading 00)', '300702020001020101', 32, 'non-minimal INTEGER'],
      ['an r longer than the component', '300702020101020101', 1, 'INTEGER longer than 1 bytes'],
      ['an s longer than the component', '300702010102020101', 1, 'INTEGER longer than 1 bytes'],
      ['bytes after s inside the SEQUENCE', '3009020101020101020101', 32, 'unexpected bytes after s'],
    ];
    for (const [what, der, width, message] of rejects) {
      it(`rejects ${what}`, () => {
        expect(() => ecdsaDerToRaw(hex(der), width)).to.throw(Error, message);
      });
    }

    it('accepts a high-bit INTEGER padded with 00 at exactly the component length', () => {
      expect(toHex(ecdsaDerToRaw(hex('3007020200ff020101'), 1))).to.equal('ff01');
    });

    it('rejects a component length that is not a positive integer', () => {
      for (const bad of [0, -1, 1.5, Number.NaN]) {
        expect(() => ecdsaDerToRaw(hex('3006020101020101'), bad)).to.throw(Error, 'positive integer');
      }
    });
  });

  describe('properties', () => {
    for (const width of [32, 48, 66]) {
      it(`round-trips raw → DER → raw for ${width}-byte components`, () => {
        fc.assert(
          fc.property(component(width), component(width), (r, s) => {
            const raw = new Uint8Array([...r, ...s]);
            const der = ecdsaRawToDer(raw);
            expect(ecdsaDerToRaw(der, width)).to.deep.equal(raw);
            // re-encoding the parsed form is the identity: the encoder is minimal
            expect(ecdsaRawToDer(ecdsaDerToRaw(der, width))).to.deep.equal(der);
          }),
        );
      });
    }

    it('never throws anything but an Error for arbitrary bytes, and accepts only canonical DER', () => {
      fc.assert(
        fc.property(fc.uint8Array({ maxLength: 80 }), (bytes) => {
          let raw: Uint8Array;
          try {
            raw = ecdsaDerToRaw(bytes, 32);
          } catch (e) {
            expect(e).to.be.instanceOf(Error);
            return;
          }
          expect(ecdsaRawToDer(raw)).to.deep.equal(bytes);
        }),
      );
    });
  });

  describe('agreement with node:crypto', () => {
    const curves: Array<[string, number]> = [
      ['prime256v1', 32],
      ['secp384r1', 48],
      ['secp521r1', 66],
      ['secp256k1', 32],
    ];
    for (const [namedCurve, width] of curves) {
      it(`matches OpenSSL's DER and P1363 encodings on ${namedCurve}`, () => {
        const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve });
        fc.assert(
          fc.property(fc.uint8Array({ minLength: 1, maxLength: 64 }), (message) => {
            const der = new Uint8Array(sign('sha256', message, { key: privateKey, dsaEncoding: 'der' }));
            const raw = ecdsaDerToRaw(der, width);
            expect(raw.length).to.equal(2 * width);
            expect(ecdsaRawToDer(raw)).to.deep.equal(der);
            expect(verify('sha256', message, { key: publicKey, dsaEncoding: 'ieee-p1363' }, raw)).to.equal(true);

            const p1363 = new Uint8Array(sign('sha256', message, { key: privateKey, dsaEncoding: 'ieee-p1363' }));
            expect(verify('sha256', message, { key: publicKey, dsaEncoding: 'der' }, ecdsaRawToDer(p1363))).to.equal(
              true,
            );
          }),
          { numRuns: 25 },
        );
      });
    }
  });
});
