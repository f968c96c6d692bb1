/**
 * Race-safe rotation: concurrent rotateKey calls from several provider instances over one KMS, every KMS request
 * interleaved by fast-check's scheduler. Once they have all returned: every rotation returned a distinct version,
 * no number was handed out twice, and the latest alias targets the highest version. A failure prints the seed and
 * the scheduling to replay.
 */
import { expect } from 'chai';
import fc from 'fast-check';
import { AwsKmsKeyProvider, SimulatedKms, type KeySpec, type KmsPort } from '../../src/index.js';

const EC: KeySpec = { klass: 'asym', alg: 'ECDSA_P256_SHA256' };

/** The simulator with every request of the port released by the scheduler, in the order it picks. */
function scheduled(sim: SimulatedKms, s: fc.Scheduler): KmsPort {
  return new Proxy(sim, {
    get(target, property, receiver) {
      const value = Reflect.get(target, property, receiver) as unknown;
      if (typeof value !== 'function') return value;
      return (...args: unknown[]) =>
        s.schedule(Promise.resolve(), String(property)).then(() => (value as (...a: unknown[]) => unknown).apply(target, args));
    },
  }) as KmsPort;
}

describe('concurrent rotations (fast-check scheduler)', function () {
  this.timeout(120_000);

  it('distinct versions, none reused, and the latest alias ends on the highest version', async () => {
    await fc.assert(
      fc.asyncProperty(fc.scheduler(), fc.integer({ min: 2, max: 5 }), fc.integer({ min: 1, max: 3 }), async (s, rotations, instances) => {
        const sim = new SimulatedKms();
        const maker = new AwsKmsKeyProvider({ kms: sim, aliasPrefix: 'race' });
        const ref = await maker.createKey(EC);
        const kms = scheduled(sim, s);
        const providers = Array.from({ length: instances }, () => new AwsKmsKeyProvider({ kms, aliasPrefix: 'race', cache: false }));
        const results = await s.waitFor(
          Promise.all(Array.from({ length: rotations }, (_, i) => providers[i % instances]!.rotateKey(ref.kid))),
        );
        const versions = results.map((r) => r.version).sort((a, b) => a - b);
        expect(new Set(versions).size, 'distinct versions').to.equal(rotations);
        expect(versions.every((v) => v >= 2)).to.equal(true);
        const fresh = await new AwsKmsKeyProvider({ kms: sim, aliasPrefix: 'race', cache: false }).getKey(ref.kid);
        expect(fresh.version, `latest of ${versions.join(',')}`).to.equal(Math.max(...versions));
        expect(fresh.tags['kms:key_id']).to.equal(results.find((r) => r.version === fresh.version)!.tags['kms:key_id']);
        const listed = await new AwsKmsKeyProvider({ kms: sim, aliasPrefix: 'race', cache: false }).listVersions(ref.kid);
        expect(listed).to.deep.equal([1, ...versions]);
      }),
      { numRuns: fc.readConfigureGlobal().numRuns ?? 60 },
    );
  });

  it('the interleaving that needs the repair: a lower version moves the alias after a higher one did', async () => {
    const sim = new SimulatedKms();
    const maker = new AwsKmsKeyProvider({ kms: sim, aliasPrefix: 'race' });
    const ref = await maker.createKey(EC);
    const latestAlias = `alias/race/${ref.kid}`;
    let release!: () => void;
    let reached!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    const holding = new Promise<void>((resolve) => (reached = resolve));
    let holdNext = true;
    // The first rotation's move of the latest alias waits until the second rotation has returned.
    const gated = new Proxy(sim, {
      get(target, property, receiver) {
        const value = Reflect.get(target, property, receiver) as unknown;
        if (typeof value !== 'function') return value;
        return async (...args: unknown[]) => {
          const input = args[0] as { AliasName?: string };
          if (property === 'updateAlias' && input.AliasName === latestAlias && holdNext) {
            holdNext = false;
            reached();
            await held;
          }
          return (value as (...a: unknown[]) => unknown).apply(target, args);
        };
      },
    }) as KmsPort;
    const first = new AwsKmsKeyProvider({ kms: gated, aliasPrefix: 'race', cache: false });
    const second = new AwsKmsKeyProvider({ kms: gated, aliasPrefix: 'race', cache: false });
    const slow = first.rotateKey(ref.kid);
    await holding; // the first has made /v2 and waits to move the alias
    const fast = await second.rotateKey(ref.kid); // bumps to v3 and moves the alias to it
    release();
    const late = await slow; // moves the alias back to v2, then sees v3 and moves it on
    expect([late.version, fast.version]).to.deep.equal([2, 3]);
    const now = await new AwsKmsKeyProvider({ kms: sim, aliasPrefix: 'race', cache: false }).getKey(ref.kid);
    expect(now.version).to.equal(3);
    expect(now.tags['kms:key_id']).to.equal(fast.tags['kms:key_id']);
  });

  it("the issue's race: 16 concurrent rotations from 4 providers, 0-40 ms of random latency per KMS call", async () => {
    await fc.assert(
      fc.asyncProperty(fc.infiniteStream(fc.integer({ min: 0, max: 40 })), async (delays) => {
        const sim = new SimulatedKms();
        const ref = await new AwsKmsKeyProvider({ kms: sim, aliasPrefix: 'race' }).createKey(EC);
        const delay = delays[Symbol.iterator]();
        const slow = new Proxy(sim, {
          get(target, property, receiver) {
            const value = Reflect.get(target, property, receiver) as unknown;
            if (typeof value !== 'function') return value;
            return async (...args: unknown[]) => {
              await new Promise((resolve) => setTimeout(resolve, delay.next().value as number));
              return (value as (...a: unknown[]) => unknown).apply(target, args);
            };
          },
        }) as KmsPort;
        const providers = Array.from({ length: 4 }, () => new AwsKmsKeyProvider({ kms: slow, aliasPrefix: 'race' }));
        const results = await Promise.all(Array.from({ length: 16 }, (_, i) => providers[i % 4]!.rotateKey(ref.kid)));
        const versions = results.map((r) => r.version).sort((a, b) => a - b);
        expect(versions).to.deep.equal(Array.from({ length: 16 }, (_, i) => i + 2));
        const latest = await new AwsKmsKeyProvider({ kms: sim, aliasPrefix: 'race', cache: false }).getKey(ref.kid);
        expect(latest.version).to.equal(17);
      }),
      { numRuns: process.env.KMS_STRESS === '1' ? 30 : 3 },
    );
  });
});
