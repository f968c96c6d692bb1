/** The pure rules under KmsJwtSigner: JSON objects, the protected header, the claims set and its times. */
import { expect } from 'chai';
import fc from 'fast-check';
import { InvalidArgumentError } from '../../src/index.js';
import { MAX_JSON_DEPTH, checkJsonObject } from '../../src/domain/json-object.js';
import { REFUSED_HEADER_MEMBERS, callerHeaders, protectedHeader } from '../../src/domain/jose-header.js';
import { jwtClaims, jwtTimes } from '../../src/domain/jwt-claims.js';

const KEY = { joseAlg: 'ES256', jwkKid: '0123456789abcdef.4' };

describe('domain/json-object: checkJsonObject', () => {
  it('accepts every JSON object, returning it as it is (JSON round trip)', () => {
    fc.assert(
      fc.property(fc.dictionary(fc.string(), fc.jsonValue({ maxDepth: 4 })), (object) => {
        const parsed = JSON.parse(JSON.stringify(object)) as Record<string, unknown>;
        expect(checkJsonObject(parsed, 'payload')).to.equal(parsed);
      }),
    );
  });

  it('accepts a null-prototype object and an own __proto__ member (JSON.parse makes those)', () => {
    const bare = Object.assign(Object.create(null) as Record<string, unknown>, { a: 1 });
    expect(checkJsonObject(bare, 'payload')).to.equal(bare);
    const proto = JSON.parse('{"__proto__": {"x": 1}}') as Record<string, unknown>;
    expect(checkJsonObject(proto, 'payload')).to.equal(proto);
  });

  it('accepts shared (non-cyclic) sub-objects', () => {
    const shared = { a: 1 };
    expect(() => checkJsonObject({ x: shared, y: [shared, shared] }, 'payload')).not.to.throw();
  });

  class Claims {
    a = 1;
  }
  const cyclic: Record<string, unknown> = { a: [] };
  (cyclic.a as unknown[]).push(cyclic);
  let deep: Record<string, unknown> = {};
  for (let i = 0; i < MAX_JSON_DEPTH + 1; i++) deep = { d: deep };

  const refused: Array<[string, unknown, string]> = [
    ['undefined itself', undefined, 'payload must be a plain JSON object; got undefined'],
    ['null', null, 'payload must be a plain JSON object; got null'],
    ['an array', [1], 'payload must be a plain JSON object; got an array'],
    ['a string', '{}', "payload must be a plain JSON object; got '{}'"],
    ['a class instance', new Claims(), 'payload must be a plain JSON object'],
    ['a Map', new Map(), 'payload must be a plain JSON object'],
    ['an undefined member', { a: undefined }, 'payload.a is undefined'],
    ['a hole in an array', { a: [1, , 3] }, 'payload.a[1] is undefined'],
    ['a function', { f: () => 1 }, 'payload.f is a function'],
    ['a symbol value', { s: Symbol('s') }, 'payload.s is a symbol'],
    ['a bigint', { n: 10n }, 'payload.n is 10'],
    ['NaN', { n: Number.NaN }, 'payload.n is NaN'],
    ['Infinity', { n: [Number.POSITIVE_INFINITY] }, 'payload.n[0] is Infinity'],
    ['a Date member', { d: new Date(0) }, 'payload.d is an instance of Date'],
    ['an instance without a constructor', { o: Object.create(Object.create(null) as object) as object }, 'payload.o is an instance of a class'],
    ['a symbol key', { a: { [Symbol('k')]: 1 } }, 'payload.a has symbol keys'],
    ['a cycle', cyclic, 'payload.a[0] refers back to an enclosing object (a cycle)'],
    ['deep nesting', deep, `is nested deeper than ${MAX_JSON_DEPTH} levels`],
  ];
  for (const [what, value, message] of refused) {
    it(`refuses ${what}`, () => {
      expect(() => checkJsonObject(value, 'payload')).to.throw(InvalidArgumentError, message);
    });
  }
  it('refuses symbol keys on the object itself', () => {
    expect(() => checkJsonObject({ [Symbol('k')]: 1 }, 'headers')).to.throw(InvalidArgumentError, 'headers has symbol keys');
  });
});

describe('domain/jose-header', () => {
  it('protectedHeader: alg and kid from the key, then typ, then the caller members in their order', () => {
    expect(Object.entries(protectedHeader(KEY, callerHeaders({ cty: 'x', z: 1 }), 'JWT'))).to.deep.equal([
      ['alg', 'ES256'],
      ['kid', '0123456789abcdef.4'],
      ['typ', 'JWT'],
      ['cty', 'x'],
      ['z', 1],
    ]);
    expect(protectedHeader(KEY, callerHeaders(undefined))).to.deep.equal({ alg: 'ES256', kid: '0123456789abcdef.4' });
    expect(protectedHeader(KEY, callerHeaders({ typ: 'at+jwt' }), 'JWT')).to.deep.equal({ alg: 'ES256', kid: KEY.jwkKid, typ: 'at+jwt' });
  });

  it('callerHeaders refuses alg and kid whatever their value', () => {
    for (const member of ['alg', 'kid']) {
      for (const value of ['ES256', 'none', null, 1]) {
        expect(() => callerHeaders({ [member]: value })).to.throw(InvalidArgumentError, `headers.${member} is set by the signer`);
      }
    }
  });

  for (const [member, reason] of Object.entries(REFUSED_HEADER_MEMBERS)) {
    it(`callerHeaders refuses ${member}: ${reason}`, () => {
      expect(() => callerHeaders({ ok: 1, [member]: 'x' })).to.throw(
        InvalidArgumentError,
        `headers.${member} is not allowed: ${reason} (refused: crit, b64, enc, zip, jwk, jku, x5c, x5u, x5t, x5t#S256)`,
      );
    });
  }

  it('callerHeaders wants typ and cty as strings and the headers as a JSON object', () => {
    expect(() => callerHeaders({ cty: 5 })).to.throw(InvalidArgumentError, 'headers.cty must be a string; got 5');
    expect(() => callerHeaders({ typ: null })).to.throw(InvalidArgumentError, 'headers.typ must be a string; got null');
    expect(() => callerHeaders([])).to.throw(InvalidArgumentError, 'headers must be a plain JSON object');
    expect(() => callerHeaders({ x: () => 1 })).to.throw(InvalidArgumentError, 'headers.x is a function');
  });
});

describe('domain/jwt-claims', () => {
  it('jwtTimes: iat now (or issuedAt), exp = iat + expiresIn, nbf = iat + notBefore', () => {
    expect(jwtTimes(1000, { expiresIn: 60 })).to.deep.equal({ iat: 1000, exp: 1060 });
    expect(jwtTimes(1000, { expiresIn: '1h', notBefore: '1m' })).to.deep.equal({ iat: 1000, nbf: 1060, exp: 4600 });
    expect(jwtTimes(1000, { expiresIn: 60, notBefore: 0, issuedAt: 0 })).to.deep.equal({ iat: 0, nbf: 0, exp: 60 });
  });

  it('jwtTimes refuses a missing or zero expiresIn, a notBefore not before exp, a bad issuedAt', () => {
    expect(() => jwtTimes(1000, {})).to.throw(InvalidArgumentError, 'options.expiresIn is required');
    expect(() => jwtTimes(1000, { expiresIn: '0s' })).to.throw(InvalidArgumentError, 'more than 0 seconds');
    expect(() => jwtTimes(1000, { expiresIn: 60, notBefore: 61 })).to.throw(InvalidArgumentError, 'the token would never be valid');
    expect(() => jwtTimes(1000, { expiresIn: 60, notBefore: 'soon' })).to.throw(InvalidArgumentError, 'options.notBefore must be');
    for (const issuedAt of [-1, 1.5, '1000', Number.MAX_SAFE_INTEGER + 1]) {
      expect(() => jwtTimes(1000, { expiresIn: 60, issuedAt })).to.throw(InvalidArgumentError, 'options.issuedAt must be whole seconds');
    }
  });

  it('jwtClaims: the payload members first, then iat, nbf, exp', () => {
    const claims = jwtClaims({ sub: 'a', aud: 'api', iss: 'me', jti: 'j' }, { iat: 1, nbf: 2, exp: 3 });
    expect(Object.entries(claims)).to.deep.equal([['sub', 'a'], ['aud', 'api'], ['iss', 'me'], ['jti', 'j'], ['iat', 1], ['nbf', 2], ['exp', 3]]);
    expect(jwtClaims({ aud: ['a', 'b'] }, { iat: 1, exp: 3 })).to.deep.equal({ aud: ['a', 'b'], iat: 1, exp: 3 });
  });

  it('jwtClaims refuses the time claims and malformed registered claims', () => {
    const times = { iat: 1, exp: 3 };
    expect(() => jwtClaims({ exp: undefined }, times)).to.throw(InvalidArgumentError);
    expect(() => jwtClaims({ sub: 1 }, times)).to.throw(InvalidArgumentError, 'payload.sub must be a string; got 1');
    expect(() => jwtClaims({ jti: null }, times)).to.throw(InvalidArgumentError, 'payload.jti must be a string');
    for (const aud of [[], [1], 5, null]) {
      expect(() => jwtClaims({ aud }, times)).to.throw(InvalidArgumentError, 'payload.aud must be a string or a non-empty array of strings');
    }
  });
});
