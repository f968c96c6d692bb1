import { expect } from 'chai';
import fc from 'fast-check';
import { fromBase64Url, toBase64Url } from '../../src/codec/bytes.js';

describe('codec/bytes: fromBase64Url', () => {
  it('inverts toBase64Url and agrees with Buffer', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 100 }), (bytes) => {
        const text = toBase64Url(bytes);
        expect(fromBase64Url(text)).to.deep.equal(bytes);
        expect(Buffer.from(fromBase64Url(text))).to.deep.equal(Buffer.from(text, 'base64url'));
      }),
    );
  });

  it('refuses padding, other alphabets, impossible lengths and non-zero trailing bits', () => {
    for (const bad of ['QQ==', 'a+b/', 'ab c', 'A', 'AAAAA']) {
      expect(() => fromBase64Url(bad)).to.throw(Error, 'not unpadded base64url');
    }
    expect(() => fromBase64Url('QR')).to.throw(Error, 'not canonical base64url');
    expect(fromBase64Url('')).to.deep.equal(new Uint8Array(0));
  });
});
