import { expect } from 'chai';
import fc from 'fast-check';
import { derTlv } from '../../src/codec/der.js';

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
