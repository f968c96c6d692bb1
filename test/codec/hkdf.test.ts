import { expect } from 'chai';
import fc from 'fast-check';
import { hkdfSync } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { HKDF_MAX_LENGTH, hkdfSha256 } from '../../src/codec/hkdf.js';
import { InvalidArgumentError } from '../../src/domain/errors.js';

const rfc = JSON.parse(readFileSync(new URL('../../fixtures/rfc5869-sha256.json', import.meta.url), 'utf8')) as {
  cases: Array<{ name: string; ikm: string; salt: string; info: string; length: number; okm: string }>;
};
const hex = (s: string): Uint8Array => new Uint8Array(Buffer.from(s, 'hex'));

describe('domain/hkdf', () => {
  for (const c of rfc.cases) {
    it(`RFC 5869 ${c.name}`, () => {
      const okm = hkdfSha256(hex(c.ikm), { salt: hex(c.salt), info: hex(c.info), length: c.length });
      expect(Buffer.from(okm).toString('hex')).to.equal(c.okm);
    });
  }

  it('agrees with node:crypto for any input and length', () => {
    fc.assert(
      fc.property(
        fc.uint8Array({ maxLength: 64 }),
        fc.uint8Array({ maxLength: 64 }),
        fc.uint8Array({ maxLength: 64 }),
        fc.integer({ min: 1, max: HKDF_MAX_LENGTH }),
        (ikm, salt, info, length) => {
          const ours = hkdfSha256(ikm, { salt, info, length });
          expect(Buffer.from(ours).equals(Buffer.from(hkdfSync('sha256', ikm, salt, info, length)))).to.equal(true);
        },
      ),
      { numRuns: 50 },
    );
  });

  it('empty salt is the same as 32 zero bytes; length 0 gives empty output', () => {
    const ikm = new Uint8Array([1, 2, 3]);
    const info = new Uint8Array([9]);
    expect(hkdfSha256(ikm, { salt: new Uint8Array(0), info, length: 32 })).to.deep.equal(
      hkdfSha256(ikm, { salt: new Uint8Array(32), info, length: 32 }),
    );
    expect(hkdfSha256(ikm, { salt: new Uint8Array(0), info, length: 0 })).to.have.length(0);
    expect(hkdfSha256(ikm, { salt: new Uint8Array(0), info, length: HKDF_MAX_LENGTH })).to.have.length(8160);
  });

  it('refuses bad arguments with typed errors', () => {
    const ok = { salt: new Uint8Array(0), info: new Uint8Array(0), length: 16 };
    expect(() => hkdfSha256(new Uint8Array(1), { ...ok, length: 8161 })).to.throw(
      InvalidArgumentError,
      'Cannot derive keys larger than 8160 octets.',
    );
    expect(() => hkdfSha256(new Uint8Array(1), { ...ok, length: -1 })).to.throw(InvalidArgumentError, /length must be an integer from 0 to 8160/);
    expect(() => hkdfSha256(new Uint8Array(1), { ...ok, length: 1.5 })).to.throw(InvalidArgumentError, /length/);
    expect(() => hkdfSha256(new Uint8Array(1), { ...ok, length: '16' })).to.throw(InvalidArgumentError, /length/);
    expect(() => hkdfSha256('secret', ok)).to.throw(InvalidArgumentError, /ikm must be a Uint8Array/);
    expect(() => hkdfSha256(new Uint8Array(1), { ...ok, salt: 'x' })).to.throw(InvalidArgumentError, /salt/);
    expect(() => hkdfSha256(new Uint8Array(1), { ...ok, info: undefined })).to.throw(InvalidArgumentError, /info/);
    expect(() => hkdfSha256(new Uint8Array(1), null)).to.throw(InvalidArgumentError, /params must be an object/);
  });
});
