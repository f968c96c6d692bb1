/**
 * KmsJwtSigner's own rules: options and arguments refused before any KMS call (the message naming what is
 * allowed), the header and claims it writes, the RAW limit, the KeyId check, and the one fresh re-resolution when a
 * cached resolution has gone stale.
 */
import { expect } from 'chai';
import { createHash } from 'node:crypto';
import fc from 'fast-check';
import { createLocalJWKSet, jwtVerify, type JWK } from 'jose';
import {
  AwsKmsKeyProvider,
  InvalidArgumentError,
  InvalidKeyStateError,
  KmsError,
  KmsJwtSigner,
  SimulatedKms,
  UnsupportedOperationError,
  type KmsJwtSignerProvider,
  type SignRequest,
} from '../../src/index.js';
import { KID, fakeProvider, signingKeyOf } from './fake-provider.js';
import { rejection } from '../support/rejection.js';

const NOW_MS = 1_700_000_000_999;
const IAT = 1_700_000_000;
const decode = (part: string): Record<string, unknown> => JSON.parse(Buffer.from(part, 'base64url').toString('utf8')) as Record<string, unknown>;

describe('KmsJwtSigner', () => {
  describe('constructor options', () => {
    const provider = fakeProvider({ keys: [signingKeyOf('ECDSA_P256_SHA256')] });

    it('refuses unknown options, naming the allowed ones', () => {
      expect(() => new KmsJwtSigner({ provider, clock: Date.now } as never)).to.throw(
        InvalidArgumentError,
        'Unknown KmsJwtSigner options member(s): clock (allowed: provider, now)',
      );
    });

    it('refuses a missing options object or provider, or a provider without signingKey, sign, getPublicJwk', () => {
      expect(() => new KmsJwtSigner(undefined as never)).to.throw(InvalidArgumentError, 'must be an object with provider, now');
      expect(() => new KmsJwtSigner({} as never)).to.throw(InvalidArgumentError, 'options.provider must be a key provider');
      expect(() => new KmsJwtSigner({ provider: 'kms' } as never)).to.throw(InvalidArgumentError, "got 'kms'");
      const { getPublicJwk: _omitted, ...partial } = provider;
      expect(() => new KmsJwtSigner({ provider: partial as unknown as KmsJwtSignerProvider })).to.throw(
        InvalidArgumentError,
        'with signingKey, sign, getPublicJwk; got an object without getPublicJwk',
      );
    });

    it('refuses a now that is not a function, and a clock that does not answer milliseconds', async () => {
      expect(() => new KmsJwtSigner({ provider, now: 5 as never })).to.throw(InvalidArgumentError, 'options.now must be a function');
      for (const bad of [Number.NaN, -1, '1700000000000']) {
        const signer = new KmsJwtSigner({ provider, now: () => bad as number });
        const error = await rejection(signer.signJwt(KID, {}, { expiresIn: 60 }));
        expect(error).to.be.instanceOf(InvalidArgumentError);
        expect(error.message).to.contain('options.now() must return milliseconds since the epoch');
      }
    });

    it('accepts an AwsKmsKeyProvider as it is', () => {
      expect(new KmsJwtSigner({ provider: new AwsKmsKeyProvider({ kms: new SimulatedKms() }) })).to.be.instanceOf(KmsJwtSigner);
    });
  });

  describe('arguments, all checked before any KMS call', () => {
    const cases: Array<[string, (s: KmsJwtSigner) => Promise<string>, string]> = [
      ['a kid that is not 16 hex', (s) => s.signJwt('nope', {}, { expiresIn: 60 }), 'kid must be 16 lowercase hex characters'],
      ['a JWK kid', (s) => s.signJwt(`${KID}.2`, {}, { expiresIn: 60 }), `pass '${KID}' and version 2`],
      ['a payload that is an array', (s) => s.signJwt(KID, [] as never, { expiresIn: 60 }), 'payload must be a plain JSON object; got an array'],
      ['a payload that is a class instance', (s) => s.signJwt(KID, new Date() as never, { expiresIn: 60 }), 'payload must be a plain JSON object'],
      ['an undefined claim', (s) => s.signJwt(KID, { a: undefined }, { expiresIn: 60 }), 'payload.a is undefined: only JSON values'],
      ['a bigint claim', (s) => s.signJwt(KID, { n: { m: [1n] } }, { expiresIn: 60 }), 'payload.n.m[0] is 1: only JSON values'],
      ['an exp claim', (s) => s.signJwt(KID, { exp: 1 }, { expiresIn: 60 }), 'payload.exp is set by the signer: use options.expiresIn'],
      ['an iat claim', (s) => s.signJwt(KID, { iat: 1 }, { expiresIn: 60 }), 'payload.iat is set by the signer: use options.issuedAt'],
      ['an nbf claim', (s) => s.signJwt(KID, { nbf: 1 }, { expiresIn: 60 }), 'payload.nbf is set by the signer: use options.notBefore'],
      ['an iss that is not a string', (s) => s.signJwt(KID, { iss: 1 }, { expiresIn: 60 }), 'payload.iss must be a string'],
      ['an aud of numbers', (s) => s.signJwt(KID, { aud: [1] }, { expiresIn: 60 }), 'payload.aud must be a string or a non-empty array of strings'],
      ['no options', (s) => s.signJwt(KID, {}, undefined as never), 'options must be an object with expiresIn, notBefore, issuedAt, headers'],
      ['an unknown option', (s) => s.signJwt(KID, {}, { expiresIn: 60, algorithm: 'ES256' } as never), 'Unknown options member(s): algorithm (allowed: expiresIn, notBefore, issuedAt, headers)'],
      ['no expiresIn', (s) => s.signJwt(KID, {}, {} as never), 'options.expiresIn is required'],
      ['expiresIn 0', (s) => s.signJwt(KID, {}, { expiresIn: 0 }), 'options.expiresIn must be more than 0 seconds'],
      ['a negative expiresIn', (s) => s.signJwt(KID, {}, { expiresIn: -5 }), 'options.expiresIn must be a whole number of seconds'],
      ["expiresIn '1h ago'", (s) => s.signJwt(KID, {}, { expiresIn: '1h ago' }), "got '1h ago'"],
      ['notBefore not before expiresIn', (s) => s.signJwt(KID, {}, { expiresIn: '1m', notBefore: 60 }), 'options.notBefore (60 s) must be less than options.expiresIn (60 s)'],
      ['a fractional issuedAt', (s) => s.signJwt(KID, {}, { expiresIn: 60, issuedAt: 1.5 }), 'options.issuedAt must be whole seconds since the epoch'],
      ['headers.alg', (s) => s.signJwt(KID, {}, { expiresIn: 60, headers: { alg: 'none' } }), 'headers.alg is set by the signer from the signing key and cannot be overridden'],
      ['headers.kid', (s) => s.signJwt(KID, {}, { expiresIn: 60, headers: { kid: 'other' } }), 'headers.kid is set by the signer'],
      ['headers.crit', (s) => s.signJws(KID, new Uint8Array(1), { headers: { crit: ['exp'] } }), 'headers.crit is not allowed: critical extensions'],
      ['headers.b64', (s) => s.signJws(KID, new Uint8Array(1), { headers: { b64: false } }), 'headers.b64 is not allowed'],
      ['headers.jwk', (s) => s.signJwt(KID, {}, { expiresIn: 60, headers: { jwk: {} } }), 'headers.jwk is not allowed: the signer names its key by kid'],
      ['a typ that is not a string', (s) => s.signJwt(KID, {}, { expiresIn: 60, headers: { typ: 1 } }), 'headers.typ must be a string'],
      ['headers that are not an object', (s) => s.signJwt(KID, {}, { expiresIn: 60, headers: 'x' as never }), 'headers must be a plain JSON object'],
      ['a JWS payload that is a string', (s) => s.signJws(KID, 'bytes' as never), 'payload must be a Uint8Array'],
      ['an unknown JWS option', (s) => s.signJws(KID, new Uint8Array(1), { typ: 'x' } as never), 'Unknown options member(s): typ (allowed: headers)'],
    ];
    for (const [what, call, message] of cases) {
      it(`refuses ${what}`, async () => {
        const provider = fakeProvider({ keys: [signingKeyOf('ECDSA_P256_SHA256')] });
        const error = await rejection(call(new KmsJwtSigner({ provider, now: () => NOW_MS })));
        expect(error).to.be.instanceOf(InvalidArgumentError);
        expect(error.message).to.contain(message);
        expect(provider.calls).to.deep.equal([]);
      });
    }
  });

  describe('what it writes', () => {
    it('header { alg, kid, typ: JWT, …headers } and claims { …payload, iat, nbf, exp } from the clock', async () => {
      const provider = fakeProvider({ keys: [signingKeyOf('RSA_PSS_SHA384', 3)] });
      const signer = new KmsJwtSigner({ provider, now: () => NOW_MS });
      const token = await signer.signJwt(KID, { sub: 'a', nested: { list: [1, 'two', null, true] } }, {
        expiresIn: '2h',
        notBefore: '30s',
        headers: { 'x-tenant': 'acme' },
      });
      const [header, payload, signature] = token.split('.') as [string, string, string];
      expect(Object.entries(decode(header))).to.deep.equal([['alg', 'PS384'], ['kid', `${KID}.3`], ['typ', 'JWT'], ['x-tenant', 'acme']]);
      expect(decode(payload)).to.deep.equal({ sub: 'a', nested: { list: [1, 'two', null, true] }, iat: IAT, nbf: IAT + 30, exp: IAT + 7200 });
      expect(Buffer.from(signature, 'base64url')).to.deep.equal(Buffer.alloc(256, 7));
      expect(provider.calls).to.deep.equal([`signingKey ${KID}`, 'sign key-3']);
    });

    it("a caller's typ (e.g. at+jwt) replaces JWT; issuedAt replaces the clock; signJws writes no typ", async () => {
      const provider = fakeProvider({ keys: [signingKeyOf('ECDSA_P256_SHA256')], signature: () => Buffer.from('3006020101020102', 'hex') });
      const signer = new KmsJwtSigner({ provider });
      const token = await signer.signJwt(KID, {}, { expiresIn: 60, issuedAt: 1000, headers: { typ: 'at+jwt' } });
      expect(decode(token.split('.')[0]!)).to.deep.equal({ alg: 'ES256', kid: `${KID}.1`, typ: 'at+jwt' });
      expect(decode(token.split('.')[1]!)).to.deep.equal({ iat: 1000, exp: 1060 });
      const jws = await signer.signJws(KID, new Uint8Array([1, 2]));
      expect(decode(jws.split('.')[0]!)).to.deep.equal({ alg: 'ES256', kid: `${KID}.1` });
      // the DER signature of KMS becomes r‖s of 32 bytes each
      expect(Buffer.from(jws.split('.')[2]!, 'base64url').toString('hex')).to.equal('00'.repeat(31) + '01' + '00'.repeat(31) + '02');
    });

    it('RAW exactly while the signing input is at most 4 096 bytes, else the digest under the alg hash', () => {
      const algs = ['RSA_PSS_SHA256', 'RSA_PKCS1_SHA384', 'ECDSA_P521_SHA512'] as const;
      const hashOf = { 'SHA-256': 'sha256', 'SHA-384': 'sha384', 'SHA-512': 'sha512' } as const;
      return fc.assert(
        fc.asyncProperty(fc.constantFrom(...algs), fc.integer({ min: 2980, max: 3060 }), async (alg, size) => {
          const key = signingKeyOf(alg);
          const der = Buffer.from('3006020101020101', 'hex');
          const provider = fakeProvider({ keys: [key], signature: () => (key.signing.ecdsaBytes ? der : new Uint8Array(256)) });
          const token = await new KmsJwtSigner({ provider }).signJws(KID, new Uint8Array(size).fill(0x61));
          const input = Buffer.from(token.slice(0, token.lastIndexOf('.')), 'ascii');
          const [{ message, messageType }] = provider.signed as [(typeof provider.signed)[0]];
          if (input.length <= 4096) {
            expect(messageType).to.equal('RAW');
            expect(Buffer.from(message)).to.deep.equal(input);
          } else {
            expect(messageType).to.equal('DIGEST');
            expect(Buffer.from(message)).to.deep.equal(createHash(hashOf[key.signing.digest!]).update(input).digest());
          }
        }),
        { numRuns: 60 },
      );
    });

    it('ML-DSA over the limit needs the public JWK of exactly that version; a JWK that does not fit is a KmsError', async () => {
      const key = signingKeyOf('ML_DSA_44', 2);
      const big = new Uint8Array(5000);
      const wrongAlg = { kty: 'AKP', alg: 'ML-DSA-65', pub: 'AAAA', kid: `${KID}.2`, use: 'sig' } as const;
      const provider = fakeProvider({ keys: [key], jwk: wrongAlg });
      const error = await rejection(new KmsJwtSigner({ provider }).signJws(KID, big));
      expect(error).to.be.instanceOf(KmsError);
      expect(error.message).to.contain(`The public JWK of ${KID}.2 is AKP ML-DSA-65`);
      expect(provider.calls).to.deep.equal([`signingKey ${KID}`, `getPublicJwk ${KID} 2`]);

      const badPub = fakeProvider({ keys: [key], jwk: { ...wrongAlg, alg: 'ML-DSA-44', pub: 'A' } });
      const bad = await rejection(new KmsJwtSigner({ provider: badPub }).signJws(KID, big));
      expect(bad).to.be.instanceOf(KmsError);
      expect(bad.message).to.contain('has a malformed pub');

      const shortPub = fakeProvider({ keys: [key], jwk: { ...wrongAlg, alg: 'ML-DSA-44' } });
      expect(await rejection(new KmsJwtSigner({ provider: shortPub }).signJws(KID, big))).to.have.property(
        'message',
        'ML-DSA public key must be 1312 (ML-DSA-44), 1952 (ML-DSA-65), 2592 (ML-DSA-87) bytes; got 3',
      );
    });

    it('a signature KMS answers malformed (DER for ECDSA, the wrong size for EdDSA) is a KmsError, never a token', async () => {
      const ec = fakeProvider({ keys: [signingKeyOf('ECDSA_P384_SHA384')], signature: () => new Uint8Array([0x30, 0x01]) });
      const ecError = await rejection(new KmsJwtSigner({ provider: ec }).signJws(KID, new Uint8Array(1)));
      expect(ecError).to.be.instanceOf(KmsError);
      expect(ecError.message).to.contain(`KMS returned a malformed ES384 signature for ${KID}.1: ECDSA DER signature`);
      const ed = fakeProvider({ keys: [signingKeyOf('ED25519')], signature: () => new Uint8Array(63) });
      const edError = await rejection(new KmsJwtSigner({ provider: ed }).signJws(KID, new Uint8Array(1)));
      expect(edError).to.be.instanceOf(KmsError);
      expect(edError.message).to.contain('KMS returned a 63-byte EdDSA signature');
    });
  });

  describe('against KMS (AwsKmsKeyProvider over SimulatedKms)', () => {
    it('a kid whose alg does not sign is an UnsupportedOperationError naming the signing algs', async () => {
      const provider = new AwsKmsKeyProvider({ kms: new SimulatedKms() });
      const aes = await provider.createKey({ klass: 'sym', alg: 'AES256_GCM' });
      const error = await rejection(new KmsJwtSigner({ provider }).signJwt(aes.kid, {}, { expiresIn: 60 }));
      expect(error).to.be.instanceOf(UnsupportedOperationError);
      expect(error.message).to.contain('it cannot sign (signing algs: RSA_PSS_SHA256');
    });

    it('KMS answering Sign with another KeyId is a KmsError, and no token is made', async () => {
      const simulator = new SimulatedKms();
      const kms = new Proxy(simulator, {
        get(target, property) {
          if (property === 'sign') {
            return async (input: SignRequest) => ({ ...(await target.sign(input)), KeyId: 'arn:aws:kms:us-east-1:111122223333:key/another' });
          }
          const value = Reflect.get(target, property) as unknown;
          return typeof value === 'function' ? (value as (...a: unknown[]) => unknown).bind(target) : value;
        },
      });
      const provider = new AwsKmsKeyProvider({ kms });
      const ref = await provider.createKey({ klass: 'asym', alg: 'ECDSA_P256_SHA256' });
      const error = await rejection(new KmsJwtSigner({ provider }).signJwt(ref.kid, { sub: 'a' }, { expiresIn: 60 }));
      expect(error).to.be.instanceOf(KmsError);
      expect(error.message).to.contain('KMS signed with arn:aws:kms:us-east-1:111122223333:key/another, not with');
    });

    /** Two providers over one KMS (two processes): `signing` resolves (and caches) the kid, `other` changes it. */
    async function twoProviders(): Promise<{ signing: AwsKmsKeyProvider; other: AwsKmsKeyProvider; signedKeyIds: string[]; signer: KmsJwtSigner }> {
      const simulator = new SimulatedKms();
      const signedKeyIds: string[] = [];
      const sign = simulator.sign.bind(simulator);
      simulator.sign = (input, options) => {
        signedKeyIds.push(input.KeyId);
        return sign(input, options);
      };
      const signing = new AwsKmsKeyProvider({ kms: simulator });
      return { signing, other: new AwsKmsKeyProvider({ kms: simulator }), signedKeyIds, signer: new KmsJwtSigner({ provider: signing }) };
    }

    it('a cached resolution gone stale (rotated and retired elsewhere) is resolved afresh once, and the new version signs', async () => {
      const { signing, other, signedKeyIds, signer } = await twoProviders();
      const v1 = await signing.createKey({ klass: 'asym', alg: 'ECDSA_P256_SHA256' });
      await signer.signJwt(v1.kid, {}, { expiresIn: 60 }); // resolves v1, cached for the TTL
      const v2 = await other.rotateKey(v1.kid);
      await other.destroyKey(v1.kid, 1, { pendingWindowInDays: 7 });

      const token = await signer.signJwt(v1.kid, { sub: 'after-rotation' }, { expiresIn: 60 });
      expect(signedKeyIds).to.deep.equal([v1.tags['kms:key_id'], v1.tags['kms:key_id'], v2.tags['kms:key_id']]);
      const { protectedHeader, payload } = await jwtVerify(token, createLocalJWKSet((await other.jwks()) as { keys: JWK[] }));
      expect(protectedHeader.kid).to.equal(`${v1.kid}.2`);
      expect(payload.sub).to.equal('after-rotation');
    });

    it('when the fresh resolution cannot sign either (every version retired), its InvalidKeyStateError is thrown', async () => {
      const { signing, other, signedKeyIds, signer } = await twoProviders();
      const ref = await signing.createKey({ klass: 'asym', alg: 'ED25519' });
      await signer.signJwt(ref.kid, {}, { expiresIn: 60 });
      await other.destroyKey(ref.kid, undefined, { pendingWindowInDays: 7 });
      const error = await rejection(signer.signJwt(ref.kid, {}, { expiresIn: 60 }));
      expect(error).to.be.instanceOf(InvalidKeyStateError);
      expect(signedKeyIds).to.have.length(2); // the stale key was tried once; the fresh resolution refused to sign
    });
  });

  describe('the re-resolution, exactly', () => {
    const stale = (): InvalidKeyStateError => new InvalidKeyStateError('Could not sign (KMSInvalidStateException: pending deletion)');

    it('the fresh resolution naming the same key: the original error, rethrown', async () => {
      const failure = stale();
      const provider = fakeProvider({ keys: [signingKeyOf('RSA_PSS_SHA256')], signature: () => Promise.reject(failure) });
      expect(await rejection(new KmsJwtSigner({ provider }).signJwt(KID, {}, { expiresIn: 60 }))).to.equal(failure);
      expect(provider.calls).to.deep.equal([`signingKey ${KID}`, 'sign key-1', `signingKey ${KID} fresh`]);
    });

    it('a different key: signed with it, its version in the header; tried once only', async () => {
      const provider = fakeProvider({
        keys: [signingKeyOf('RSA_PSS_SHA256', 1), signingKeyOf('RSA_PSS_SHA256', 2)],
        signature: (_key, call) => (call === 1 ? Promise.reject(stale()) : new Uint8Array(256)),
      });
      const token = await new KmsJwtSigner({ provider }).signJwt(KID, {}, { expiresIn: 60 });
      expect(decode(token.split('.')[0]!).kid).to.equal(`${KID}.2`);
      expect(provider.calls).to.deep.equal([`signingKey ${KID}`, 'sign key-1', `signingKey ${KID} fresh`, 'sign key-2']);

      const twice = fakeProvider({ keys: [signingKeyOf('RSA_PSS_SHA256', 1), signingKeyOf('RSA_PSS_SHA256', 2)], signature: () => Promise.reject(stale()) });
      expect(await rejection(new KmsJwtSigner({ provider: twice }).signJwt(KID, {}, { expiresIn: 60 }))).to.be.instanceOf(InvalidKeyStateError);
      expect(twice.calls).to.have.length(4);
    });

    it('any other failure is not retried', async () => {
      const failure = new KmsError('Could not sign (ThrottlingException)');
      const provider = fakeProvider({ keys: [signingKeyOf('RSA_PSS_SHA256')], signature: () => Promise.reject(failure) });
      expect(await rejection(new KmsJwtSigner({ provider }).signJwt(KID, {}, { expiresIn: 60 }))).to.equal(failure);
      expect(provider.calls).to.deep.equal([`signingKey ${KID}`, 'sign key-1']);
    });
  });
});
