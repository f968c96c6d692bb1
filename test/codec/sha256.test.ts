import { expect } from 'chai';
import fc from 'fast-check';
import { createHash, createHmac } from 'node:crypto';
import { hmacSha256, sha256 } from '../../src/codec/sha256.js';

const hex = (bytes: Uint8Array): string => Buffer.from(bytes).toString('hex');
const text = (s: string): Uint8Array => new TextEncoder().encode(s);

describe('codec/sha256', () => {
  it('matches the FIPS 180-4 examples', () => {
    expect(hex(sha256(text('abc')))).to.equal('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
    expect(hex(sha256(new Uint8Array(0)))).to.equal('e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855');
    expect(hex(sha256(text('abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq')))).to.equal(
      '248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1',
    );
  });

  it('equals node:crypto for any input, at every padding boundary, in any split', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 300 }), fc.nat(300), (bytes, cut) => {
        const at = Math.min(cut, bytes.length);
        const expected = createHash('sha256').update(bytes).digest('hex');
        expect(hex(sha256(bytes))).to.equal(expected);
        expect(hex(sha256(bytes.subarray(0, at), bytes.subarray(at)))).to.equal(expected);
      }),
      { numRuns: 300 },
    );
    for (const n of [55, 56, 63, 64, 65, 119, 120, 128]) {
      const bytes = new Uint8Array(n).fill(0x61);
      expect(hex(sha256(bytes)), `length ${n}`).to.equal(createHash('sha256').update(bytes).digest('hex'));
    }
  });

  it('HMAC-SHA-256 matches RFC 4231 and node:crypto, for keys shorter and longer than a block', () => {
    // RFC 4231 test case 2.
    expect(hex(hmacSha256(text('Jefe'), text('what do ya want for nothing?')))).to.equal(
      '5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843',
    );
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 150 }), fc.uint8Array({ maxLength: 200 }), (key, message) => {
        expect(hex(hmacSha256(key, message))).to.equal(createHmac('sha256', key).update(message).digest('hex'));
      }),
      { numRuns: 300 },
    );
  });
});
