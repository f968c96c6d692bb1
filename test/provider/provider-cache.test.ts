/**
 * The provider's cache as users see it: warm lookups cost no request; another provider's rotation or deletion
 * is seen once the TTL has passed (this provider's own at once); identical concurrent lookups share requests;
 * memory is bounded; `cache: false` and `ttlMs: 0` turn it off; `concurrency` bounds the requests in flight.
 */
import { expect } from 'chai';
import { AwsKmsKeyProvider, InvalidArgumentError, InvalidKeyStateError, SimulatedKms, type KeySpec, type KmsPort } from '../../src/index.js';
import { DEFAULT_CACHE_TTL_MS } from '../../src/provider/provider-cache.js';
import { instrument } from '../support/instrumented-kms.js';

const EC: KeySpec = { klass: 'asym', alg: 'ECDSA_P256_SHA256' };

function setup() {
  const sim = new SimulatedKms();
  const kms = instrument(sim);
  const clock = { now: 1_000_000 };
  const make = (cache?: Record<string, unknown> | false, extra: Record<string, unknown> = {}) =>
    new AwsKmsKeyProvider({
      kms: kms.kms,
      cache: cache === false ? false : { now: () => clock.now, ...cache },
      ...extra,
    });
  return { sim, kms, clock, make };
}

describe('provider cache', () => {
  it('another provider rotating: this one answers the old version until the TTL passes; its own rotation at once', async () => {
    const { kms, clock, make } = setup();
    const a = make();
    const b = make();
    const v1 = await a.createKey(EC);
    expect((await b.getKey(v1.kid)).version).to.equal(1);
    expect((await b.getPublicJwk(v1.kid)).kid).to.equal(`${v1.kid}.1`);

    const v2 = await a.rotateKey(v1.kid);
    kms.reset();
    expect((await a.getKey(v1.kid)).version, "the rotating provider's own cache").to.equal(2);
    expect(kms.operations(), 'known without asking').to.deep.equal([]);
    expect((await b.getKey(v1.kid)).version, 'within the TTL: the old latest').to.equal(1);
    expect((await b.getPublicJwk(v1.kid)).kid).to.equal(`${v1.kid}.1`);
    // The JWKS lists the aliases afresh on every call: it shows the new version at once.
    expect((await b.jwks()).keys.map((k) => k.kid)).to.deep.equal([`${v1.kid}.2`]);

    clock.now += DEFAULT_CACHE_TTL_MS - 1;
    expect((await b.getKey(v1.kid)).version, '1 ms before the TTL').to.equal(1);
    clock.now += 1;
    expect(await b.getKey(v1.kid), 'at the TTL: asked again').to.deep.equal(v2);
    expect((await b.getPublicJwk(v1.kid)).kid).to.equal(`${v1.kid}.2`);
  });

  it('another provider destroying the latest: seen after the TTL; a configurable TTL', async () => {
    const { clock, make } = setup();
    const a = make();
    const b = make({ ttlMs: 5_000 });
    const v1 = await a.createKey(EC);
    await a.rotateKey(v1.kid);
    expect((await b.getKey(v1.kid)).version).to.equal(2);
    expect((await b.getKey(v1.kid, 2)).version).to.equal(2);
    await a.destroyKey(v1.kid, 2);
    expect((await a.getKey(v1.kid)).version, 'the destroying provider re-reads the kid').to.equal(1);
    expect((await b.getKey(v1.kid)).version, 'within 5 s').to.equal(2);
    expect(await b.getKey(v1.kid, 2)).to.have.property('version', 2);
    clock.now += 5_000;
    expect((await b.getKey(v1.kid)).version).to.equal(1);
    const error = await b.getKey(v1.kid, 2).catch((e: unknown) => e);
    expect(error).to.be.instanceOf(InvalidKeyStateError);
    expect((error as Error).message).to.match(/^Version 2 of kid [0-9a-f]{16} is pending deletion/);
  });

  it('its own destroyKey and cancelKeyDeletion take effect at once for getKey, getPublicJwk and jwks', async () => {
    const { make } = setup();
    const a = make();
    const v1 = await a.createKey(EC);
    await a.rotateKey(v1.kid);
    expect((await a.jwks()).keys.map((k) => k.kid)).to.deep.equal([`${v1.kid}.2`]);
    await a.destroyKey(v1.kid, 2);
    expect((await a.getPublicJwk(v1.kid)).kid).to.equal(`${v1.kid}.1`);
    expect((await a.jwks()).keys.map((k) => k.kid)).to.deep.equal([`${v1.kid}.1`]);
    expect(await a.getPublicJwk(v1.kid, 2).catch((e: unknown) => e)).to.be.instanceOf(InvalidKeyStateError);
    expect(await a.cancelKeyDeletion(v1.kid, 2)).to.deep.equal([2]);
    expect((await a.getKey(v1.kid)).version).to.equal(2);
    expect((await a.getPublicJwk(v1.kid, 2)).kid).to.equal(`${v1.kid}.2`);
    expect((await a.jwks()).keys.map((k) => k.kid)).to.deep.equal([`${v1.kid}.2`]);
  });

  it('concurrent identical lookups share their requests (single flight)', async () => {
    const { kms, make } = setup();
    const ref = await make().createKey(EC);
    const cold = make();
    kms.reset();
    const refs = await Promise.all(Array.from({ length: 10 }, () => cold.getKey(ref.kid)));
    expect(new Set(refs.map((r) => JSON.stringify(r))).size).to.equal(1);
    expect(kms.operations().sort()).to.deep.equal(['describeKey', 'getPublicKey', 'listResourceTags']);
    kms.reset();
    await Promise.all([make().jwks(), cold.jwks(), cold.jwks()]);
    expect(kms.operations().filter((op) => op === 'listAliases'), 'two providers, one listing each').to.have.length(2);
  });

  it('memory is bounded: maxEntries per cache, least recently used evicted first', async () => {
    const { kms, make } = setup();
    const maker = make();
    const kids = [];
    for (let i = 0; i < 3; i++) kids.push((await maker.createKey(EC)).kid);
    const small = make({ maxEntries: 2 });
    for (const kid of kids) await small.getKey(kid);
    kms.reset();
    await small.getKey(kids[2]!);
    await small.getKey(kids[1]!);
    expect(kms.calls, 'the two most recent are held').to.have.length(0);
    await small.getKey(kids[0]!);
    expect(kms.operations().sort(), 'the first was evicted').to.deep.equal(['describeKey', 'getPublicKey', 'listResourceTags']);
  });

  it('cache: false asks KMS every time; ttlMs: 0 asks for the alias every time and keeps public keys and tags', async () => {
    const { kms, make } = setup();
    const ref = await make().createKey(EC);
    const off = make(false);
    await off.getKey(ref.kid);
    kms.reset();
    await off.getKey(ref.kid);
    expect(kms.calls).to.have.length(3);
    kms.reset();
    await Promise.all([off.getKey(ref.kid), off.getKey(ref.kid)]);
    expect(kms.calls, 'no sharing either').to.have.length(6);

    const untrusting = make({ ttlMs: 0 });
    await untrusting.getKey(ref.kid);
    kms.reset();
    await untrusting.getKey(ref.kid);
    expect(kms.operations()).to.deep.equal(['describeKey']);
  });

  it('bad cache and concurrency options are refused with the valid choices named', () => {
    const { make } = setup();
    const cases: Array<[Record<string, unknown>, RegExp]> = [
      [{ cache: 'yes' }, /options\.cache must be false or an object \{ ttlMs\?, maxEntries\?, now\? \}; got 'yes'/],
      [{ cache: { ttl: 5 } }, /Unknown options\.cache member\(s\): ttl \(allowed: ttlMs, maxEntries, now\)/],
      [{ cache: { ttlMs: -1 } }, /options\.cache\.ttlMs must be an integer from 0 to 86400000/],
      [{ cache: { maxEntries: 0 } }, /options\.cache\.maxEntries must be an integer from 1 to 10000000/],
      [{ cache: { now: 5 } }, /options\.cache\.now must be a function/],
      [{ concurrency: 0 }, /options\.concurrency must be an integer from 1 to 64/],
      [{ concurrency: 2.5 }, /options\.concurrency must be an integer from 1 to 64/],
    ];
    for (const [options, message] of cases) {
      expect(() => new AwsKmsKeyProvider({ kms: new SimulatedKms(), ...options } as never)).to.throw(InvalidArgumentError, message);
    }
    expect(make({}, { concurrency: 64 })).to.be.instanceOf(AwsKmsKeyProvider);
  });

  it('concurrency bounds the requests in flight (default 8), never unbounded', async () => {
    const sim = new SimulatedKms();
    const maker = new AwsKmsKeyProvider({ kms: sim });
    for (let i = 0; i < 20; i++) await maker.createKey(EC);
    let inFlight = 0;
    let most = 0;
    const slow = new Proxy(sim, {
      get(target, property, receiver) {
        const value = Reflect.get(target, property, receiver) as unknown;
        if (typeof value !== 'function') return value;
        return async (...args: unknown[]) => {
          inFlight++;
          most = Math.max(most, inFlight);
          try {
            await new Promise((resolve) => setTimeout(resolve, 2));
            return await (value as (...a: unknown[]) => Promise<unknown>).apply(target, args);
          } finally {
            inFlight--;
          }
        };
      },
    }) as KmsPort;
    for (const [concurrency, expected] of [[undefined, 8], [3, 3], [1, 1]] as const) {
      most = 0;
      const provider = new AwsKmsKeyProvider({ kms: slow, ...(concurrency ? { concurrency } : {}) });
      expect((await provider.jwks()).keys).to.have.length(20);
      expect(most, `concurrency ${concurrency ?? 'default'}`).to.equal(expected);
    }
  });
});
