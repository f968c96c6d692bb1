import { expect } from 'chai';
import fc from 'fast-check';
import { InvalidArgumentError, parseJwkKid } from '../../src/index.js';
import { jwkKid } from '../../src/domain/key-ref.js';

const kidArb = fc.uint8Array({ minLength: 8, maxLength: 8 }).map((b) => Buffer.from(b).toString('hex'));
const versionArb = fc.oneof(fc.integer({ min: 1, max: 1000 }), fc.integer({ min: 1, max: Number.MAX_SAFE_INTEGER }));
const FORM = "A JWK kid is '<kid>.<version>'";

describe('domain/jwk-kid: parseJwkKid', () => {
  it('round-trips every JWK kid jwkKid writes (and SigningKey.jwkKid / the JWKS carry)', () => {
    fc.assert(
      fc.property(kidArb, versionArb, (kid, version) => {
        expect(parseJwkKid(jwkKid(kid, version))).to.deep.equal({ kid, version });
      }),
    );
  });

  const malformed: Array<[string, unknown]> = [
    ['a bare kid', '0123456789abcdef'],
    ['version 0', '0123456789abcdef.0'],
    ['a leading zero', '0123456789abcdef.01'],
    ['a negative version', '0123456789abcdef.-1'],
    ['a fractional version', '0123456789abcdef.1.5'],
    ['a version beyond MAX_SAFE_INTEGER', `0123456789abcdef.${Number.MAX_SAFE_INTEGER + 2}`],
    ['upper-case hex', '0123456789ABCDEF.1'],
    ['15 hex characters', '0123456789abcde.1'],
    ['17 hex characters', '0123456789abcdef0.1'],
    ['a v prefix', '0123456789abcdef.v1'],
    ['a trailing newline', '0123456789abcdef.1\n'],
    ['whitespace', ' 0123456789abcdef.1'],
    ['the empty string', ''],
    ['a number', 1],
    ['undefined', undefined],
    ['an object', { kid: '0123456789abcdef', version: 1 }],
  ];
  for (const [what, input] of malformed) {
    it(`refuses ${what}, naming the expected form`, () => {
      expect(() => parseJwkKid(input)).to.throw(InvalidArgumentError, FORM);
    });
  }

  it('refuses every string that is not <16 lowercase hex>.<version without leading zeros>', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 40 }), (text) => {
        const valid = /^[0-9a-f]{16}\.[1-9][0-9]*$/.test(text) && Number.isSafeInteger(Number(text.split('.')[1]));
        if (valid) expect(jwkKid(parseJwkKid(text).kid, parseJwkKid(text).version)).to.equal(text);
        else expect(() => parseJwkKid(text)).to.throw(InvalidArgumentError, FORM);
      }),
    );
  });
});
