/**
 * Hostile input: every public provider method and the constructor, fed arbitrary values (wrong types, huge and
 * unicode strings with lone surrogates, NaN/±Infinity/negative/huge numbers, `__proto__` keys): only typed
 * KeyProviderErrors, no KMS call for an invalid argument, no crash, no prototype pollution. Replay a failure with
 * the printed seed (FC_SEED / FC_PATH).
 */
import { expect } from 'chai';
import fc from 'fast-check';
import { AwsKmsKeyProvider, InvalidArgumentError, KeyProviderError, SimulatedKms, UnsupportedAlgorithmError } from '../../src/index.js';
import { instrument } from '../support/instrumented-kms.js';
import { SUPPORTED_ALGS } from '../../src/domain/spec-mapping.js';

const hostile = fc.oneof(
  fc.anything({ withBigInt: true, withNullPrototype: true, withObjectString: true, withSparseArray: true, withUnicodeString: true }),
  fc.string({ unit: 'binary', maxLength: 300 }),
  fc.constantFrom(NaN, Infinity, -Infinity, -1, 0, 1.5, 2 ** 53, Number.MAX_VALUE, '', '__proto__', '0123456789abcdef.1', 'alias/x'),
  fc.constantFrom('\ud800', 'a'.repeat(100_000), { __proto__: { polluted: true } }, JSON.parse('{"__proto__":{"polluted":true}}')),
);

/** The provider calls with one argument slot taken by a hostile value; every other argument valid. */
const CALLS: Array<[string, (p: AwsKmsKeyProvider, v: unknown) => Promise<unknown>]> = [
  ['createKey(spec)', (p, v) => p.createKey(v as never)],
  ['createKey({ klass, alg: v })', (p, v) => p.createKey({ klass: 'asym', alg: v } as never)],
  ['createKey({ …, sizeBits: v })', (p, v) => p.createKey({ klass: 'asym', alg: 'RSA_PSS_SHA256', sizeBits: v } as never)],
  ['createKey({ …, tags: v })', (p, v) => p.createKey({ klass: 'asym', alg: 'ECDSA_P256_SHA256', tags: v } as never)],
  ['createKey({ …, label: v })', (p, v) => p.createKey({ klass: 'asym', alg: 'ECDSA_P256_SHA256', label: v } as never)],
  ['rotateKey(v)', (p, v) => p.rotateKey(v as never)],
  ['rotateKey(kid, v)', (p, v) => p.rotateKey('0123456789abcdef', v as never)],
  ['getKey(v)', (p, v) => p.getKey(v as never)],
  ['getKey(kid, v)', (p, v) => p.getKey('0123456789abcdef', v as never)],
  ['getKey(kid, 1, v)', (p, v) => p.getKey('0123456789abcdef', 1, v as never)],
  ['listVersions(v)', (p, v) => p.listVersions(v as never)],
  ['destroyKey(v)', (p, v) => p.destroyKey(v as never)],
  ['destroyKey(kid, v)', (p, v) => p.destroyKey('0123456789abcdef', v as never)],
  ['destroyKey(kid, 1, v)', (p, v) => p.destroyKey('0123456789abcdef', 1, v as never)],
  ['cancelKeyDeletion(v)', (p, v) => p.cancelKeyDeletion(v as never)],
  ['getPublicJwk(v)', (p, v) => p.getPublicJwk(v as never)],
  ['getPublicJwk(kid, v)', (p, v) => p.getPublicJwk('0123456789abcdef', v as never)],
  ['jwks(v)', (p, v) => p.jwks(v as never)],
  ['jwks({ include: v })', (p, v) => p.jwks({ include: v } as never)],
  ['rotateKey(kid, { activate: v })', (p, v) => p.rotateKey('0123456789abcdef', { activate: v } as never)],
  ['activateVersion(v, 1)', (p, v) => p.activateVersion(v as never, 1)],
  ['activateVersion(kid, v)', (p, v) => p.activateVersion('0123456789abcdef', v as never)],
  ['retireVersion(v, 1)', (p, v) => p.retireVersion(v as never, 1)],
  ['retireVersion(kid, v)', (p, v) => p.retireVersion('0123456789abcdef', v as never)],
  ['reinstateVersion(v, 1)', (p, v) => p.reinstateVersion(v as never, 1)],
  ['reinstateVersion(kid, v)', (p, v) => p.reinstateVersion('0123456789abcdef', v as never)],
  ['randomBytes(v)', (p, v) => p.randomBytes(v as never)],
  ['hkdf(v, …)', (p, v) => p.hkdf(v as never, { salt: new Uint8Array(0), info: new Uint8Array(0), length: 8 })],
  ['hkdf(ikm, v)', (p, v) => p.hkdf(new Uint8Array(1), v as never)],
];

describe('hostile input: only typed errors, no KMS call, no pollution', function () {
  this.timeout(120_000);
  const kms = instrument(new SimulatedKms());
  const provider = new AwsKmsKeyProvider({ kms: kms.kms, cache: false, retry: false });

  for (const [name, call] of CALLS) {
    it(name, async () => {
      await fc.assert(
        fc.asyncProperty(hostile, async (value) => {
          kms.reset();
          let outcome: unknown;
          try {
            outcome = await call(provider, value);
          } catch (error) {
            outcome = error;
          }
          expect(({} as Record<string, unknown>).polluted, 'Object.prototype untouched').to.equal(undefined);
          if (outcome instanceof Error) {
            expect(outcome, `${String(outcome)}`).to.be.instanceOf(KeyProviderError);
            if (outcome instanceof InvalidArgumentError || outcome instanceof UnsupportedAlgorithmError) {
              expect(kms.operations(), 'no KMS call for an invalid argument').to.deep.equal([]);
            }
          }
        }),
        { numRuns: fc.readConfigureGlobal().numRuns ?? 60 },
      );
    });
  }

  it('the constructor: any options object is accepted or refused with InvalidArgumentError', () => {
    fc.assert(
      fc.property(fc.dictionary(fc.constantFrom('kms', 'aliasPrefix', 'alias_prefix', 'cache', 'retry', 'concurrency', '__proto__', 'x'), hostile), (options) => {
        try {
          new AwsKmsKeyProvider({ kms: new SimulatedKms(), ...(options as object) } as never);
        } catch (error) {
          expect(error).to.be.instanceOf(InvalidArgumentError);
        }
        expect(({} as Record<string, unknown>).polluted).to.equal(undefined);
      }),
      { numRuns: fc.readConfigureGlobal().numRuns ?? 200 },
    );
  });

  it('messages name the fix: unknown option, alias/ prefix, a JWK kid, an unknown alg', async () => {
    const sim = new SimulatedKms();
    expect(() => new AwsKmsKeyProvider({ kms: sim, alias_prefix: 'x' } as never)).to.throw(
      InvalidArgumentError,
      /^Unknown option\(s\): alias_prefix \(allowed: kms, aliasPrefix, .*\); did you mean alias_prefix → aliasPrefix\?$/,
    );
    expect(() => new AwsKmsKeyProvider({ kms: sim, aliasPrefix: 'alias/team' })).to.throw(
      InvalidArgumentError,
      "aliasPrefix 'alias/team' must not start with 'alias/': the provider adds it (use 'team')",
    );
    const p = new AwsKmsKeyProvider({ kms: sim });
    const jwkKid = (await p.getKey('0123456789abcdef.2').catch((e: unknown) => e)) as Error;
    expect(jwkKid.message).to.equal(
      "kid must be 16 lowercase hex characters; got the JWK kid '0123456789abcdef.2' (<kid>.<version>): pass '0123456789abcdef' and version 2",
    );
    const alg = (await p.createKey({ klass: 'asym', alg: 'RS256' } as never).catch((e: unknown) => e)) as Error;
    expect(alg.message).to.equal(
      `Unknown key algorithm: 'RS256' (supported: ${SUPPORTED_ALGS.join(', ')}); RS256 is the JOSE name of RSA_PKCS1_SHA256`,
    );
  });
});
