/**
 * Model-based test of the provider over the simulator (fast-check commands). The model is a map
 * kid → { asymmetric, versions: version → live | pending until day D, latest, highest version ever }.
 * Replay a failure with FC_SEED=<seed> (and FC_PATH=<path>) from the report.
 */
import { expect } from 'chai';
import fc from 'fast-check';
import {
  AwsKmsKeyProvider,
  InvalidKeyStateError,
  KeyNotFoundError,
  SimulatedKms,
  UnsupportedOperationError,
  type KeySpec,
} from '../../src/index.js';
import { rejection } from '../support/rejection.js';

const DAY = 86_400_000;
/** The model clock's day 0. */
const START = Date.parse('2026-01-01T00:00:00Z');
const PREFIX = 'model';
const SPECS: readonly KeySpec[] = [
  { klass: 'asym', alg: 'ECDSA_P256_SHA256' },
  { klass: 'sym', alg: 'AES256_GCM' },
  { klass: 'asym', alg: 'RSA_PSS_SHA256', sizeBits: 2048 },
];

interface KidModel {
  asymmetric: boolean;
  /** version → undefined when live, else the day (model clock) KMS deletes it. */
  versions: Map<number, number | undefined>;
  /** The version the latest alias targets; undefined once KMS deleted that key (all versions were pending). */
  latest: number | undefined;
  highest: number;
}
interface Model {
  kids: Map<string, KidModel>;
  day: number;
}
interface Real {
  sim: SimulatedKms;
  provider: AwsKmsKeyProvider;
  clock: { now: number };
}

const PRIVATE_MEMBERS = /"(d|p|q|dp|dq|qi|k|material)":|PRIVATE KEY/;
function assertPublicOnly(output: unknown): void {
  expect(JSON.stringify(output) ?? '').not.to.match(PRIVATE_MEMBERS);
}

const live = (k: KidModel): number[] => [...k.versions].filter(([, d]) => d === undefined).map(([v]) => v);
const highestLive = (k: KidModel): number | undefined => {
  const versions = live(k);
  return versions.length > 0 ? Math.max(...versions) : undefined;
};
const pick = <T>(items: readonly T[], index: number): T => items[index % items.length]!;

/** Invariants over the real KMS state: latest → highest live version; every /vN → a key tagged saur:version=N. */
async function checkInvariants(m: Model, r: Real): Promise<void> {
  const aliases = new Map<string, string>();
  let marker: string | undefined;
  do {
    const page = await r.sim.listAliases({ Limit: 100, ...(marker ? { Marker: marker } : {}) });
    for (const a of page.Aliases) if (a.AliasName.startsWith(`alias/${PREFIX}/`)) aliases.set(a.AliasName, a.TargetKeyId!);
    marker = page.NextMarker;
  } while (marker);
  for (const [name, target] of aliases) {
    const version = /\/v(\d+)$/.exec(name)?.[1];
    if (!version) continue;
    const { Tags } = await r.sim.listResourceTags({ KeyId: target });
    expect(Tags.find((t) => t.TagKey === 'saur:version')?.TagValue, name).to.equal(version);
  }
  for (const [kid, k] of m.kids) {
    const target = aliases.get(`alias/${PREFIX}/${kid}`);
    if (k.latest === undefined) {
      expect(target, `latest alias of ${kid} should be gone with its key`).to.equal(undefined);
      continue;
    }
    expect(target, `latest alias of ${kid}`).to.be.a('string');
    expect(target).to.equal(aliases.get(`alias/${PREFIX}/${kid}/v${k.latest}`));
    const hl = highestLive(k);
    if (hl !== undefined) expect(k.latest).to.equal(hl);
  }
}

class CreateKey implements fc.AsyncCommand<Model, Real> {
  constructor(readonly spec: KeySpec) {}
  check = (): boolean => true;
  async run(m: Model, r: Real): Promise<void> {
    const ref = await r.provider.createKey(this.spec);
    assertPublicOnly(ref);
    expect(ref.version).to.equal(1);
    expect(m.kids.has(ref.kid)).to.equal(false);
    m.kids.set(ref.kid, { asymmetric: this.spec.klass === 'asym', versions: new Map([[1, undefined]]), latest: 1, highest: 1 });
    await checkInvariants(m, r);
  }
  toString = (): string => `createKey(${this.spec.alg})`;
}

class RotateKey implements fc.AsyncCommand<Model, Real> {
  constructor(readonly index: number) {}
  check = (m: Readonly<Model>): boolean => m.kids.size > 0;
  async run(m: Model, r: Real): Promise<void> {
    const kid = pick([...m.kids.keys()], this.index);
    const k = m.kids.get(kid)!;
    if (k.latest === undefined) {
      expect(await rejection<unknown>(r.provider.rotateKey(kid))).to.be.instanceOf(KeyNotFoundError);
      return;
    }
    if (highestLive(k) === undefined) {
      // every version pending deletion: a rotation would silently revive the kid
      expect(await rejection<unknown>(r.provider.rotateKey(kid))).to.be.instanceOf(InvalidKeyStateError);
      return;
    }
    const ref = await r.provider.rotateKey(kid);
    assertPublicOnly(ref);
    // a version number is never reused: the next is one past the highest ever
    expect(ref.version).to.equal(k.highest + 1);
    k.highest = k.latest = ref.version;
    k.versions.set(ref.version, undefined);
    await checkInvariants(m, r);
  }
  toString = (): string => `rotateKey(#${this.index})`;
}

class DestroyKey implements fc.AsyncCommand<Model, Real> {
  constructor(readonly index: number, readonly versionIndex: number | undefined, readonly window: number) {}
  check = (m: Readonly<Model>): boolean => m.kids.size > 0;
  async run(m: Model, r: Real): Promise<void> {
    const kid = pick([...m.kids.keys()], this.index);
    const k = m.kids.get(kid)!;
    const version = this.versionIndex === undefined ? undefined : pick([...k.versions.keys()], this.versionIndex);
    expect(await r.provider.destroyKey(kid, version, { pendingWindowInDays: this.window })).to.equal(true);
    for (const v of version === undefined ? [...k.versions.keys()] : [version]) {
      if (k.versions.get(v) === undefined) k.versions.set(v, m.day + this.window);
    }
    const hl = highestLive(k);
    if (hl !== undefined && k.latest !== undefined && k.versions.get(k.latest) !== undefined) k.latest = hl;
    await checkInvariants(m, r);
  }
  toString = (): string => `destroyKey(#${this.index}, ${this.versionIndex === undefined ? 'all' : `v#${this.versionIndex}`}, ${this.window}d)`;
}

class AdvanceDays implements fc.AsyncCommand<Model, Real> {
  constructor(readonly days: number) {}
  check = (): boolean => true;
  async run(m: Model, r: Real): Promise<void> {
    m.day += this.days;
    r.clock.now += this.days * DAY;
    for (const [kid, k] of m.kids) {
      for (const [v, day] of k.versions) if (day !== undefined && day <= m.day) k.versions.delete(v);
      if (k.latest !== undefined && !k.versions.has(k.latest)) k.latest = undefined;
      if (k.versions.size === 0) m.kids.delete(kid);
    }
    await checkInvariants(m, r);
  }
  toString = (): string => `advance(${this.days}d)`;
}

class GetKey implements fc.AsyncCommand<Model, Real> {
  constructor(readonly index: number, readonly versionIndex: number | undefined) {}
  check = (m: Readonly<Model>): boolean => m.kids.size > 0;
  async run(m: Model, r: Real): Promise<void> {
    const kid = pick([...m.kids.keys()], this.index);
    const k = m.kids.get(kid)!;
    const version = this.versionIndex === undefined ? k.latest : pick([...k.versions.keys()], this.versionIndex);
    const call = r.provider.getKey(kid, this.versionIndex === undefined ? undefined : version, { includeSecret: true });
    if (version === undefined) {
      expect(await rejection<unknown>(call)).to.be.instanceOf(KeyNotFoundError);
      return;
    }
    const deletionDay = k.versions.get(version);
    if (deletionDay !== undefined) {
      // Symmetric and asymmetric alike: the version and its deletion date are named.
      const error = await rejection<unknown>(call);
      expect(error).to.be.instanceOf(InvalidKeyStateError);
      const date = new Date(START + deletionDay * DAY).toISOString();
      expect((error as Error).message).to.equal(`Version ${version} of kid ${kid} is pending deletion (deletion date ${date})`);
      return;
    }
    const ref = await call;
    assertPublicOnly(ref);
    expect(ref).not.to.have.property('material');
    expect([ref.kid, ref.version]).to.deep.equal([kid, version]);
  }
  toString = (): string => `getKey(#${this.index}, ${this.versionIndex === undefined ? 'latest' : `v#${this.versionIndex}`})`;
}

class ListVersions implements fc.AsyncCommand<Model, Real> {
  constructor(readonly index: number, readonly unknown: boolean) {}
  check = (m: Readonly<Model>): boolean => this.unknown || m.kids.size > 0;
  async run(m: Model, r: Real): Promise<void> {
    if (this.unknown) {
      expect(await rejection<unknown>(r.provider.listVersions('ffffffffffffffff'))).to.be.instanceOf(KeyNotFoundError);
      return;
    }
    const kid = pick([...m.kids.keys()], this.index);
    const expected = [...m.kids.get(kid)!.versions.keys()].sort((a, b) => a - b);
    expect(await r.provider.listVersions(kid)).to.deep.equal(expected);
  }
  toString = (): string => (this.unknown ? 'listVersions(unknown)' : `listVersions(#${this.index})`);
}

class GetPublicJwk implements fc.AsyncCommand<Model, Real> {
  constructor(readonly index: number) {}
  check = (m: Readonly<Model>): boolean => m.kids.size > 0;
  async run(m: Model, r: Real): Promise<void> {
    const kid = pick([...m.kids.keys()], this.index);
    const k = m.kids.get(kid)!;
    const call = r.provider.getPublicJwk(kid);
    if (k.latest === undefined) {
      expect(await rejection<unknown>(call)).to.be.instanceOf(KeyNotFoundError);
    } else if (!k.asymmetric) {
      expect(await rejection<unknown>(call)).to.be.instanceOf(UnsupportedOperationError);
    } else if (k.versions.get(k.latest) !== undefined) {
      expect(await rejection<unknown>(call)).to.be.instanceOf(InvalidKeyStateError);
    } else {
      const jwk = await call;
      assertPublicOnly(jwk);
      expect(jwk.kid).to.equal(`${kid}.${k.latest}`);
    }
  }
  toString = (): string => `getPublicJwk(#${this.index})`;
}

class Jwks implements fc.AsyncCommand<Model, Real> {
  check = (): boolean => true;
  async run(m: Model, r: Real): Promise<void> {
    const jwks = await r.provider.jwks();
    assertPublicOnly(jwks);
    const expected = [...m.kids]
      .filter(([, k]) => k.asymmetric && highestLive(k) !== undefined)
      .map(([kid, k]) => `${kid}.${highestLive(k)}`)
      .sort();
    expect(jwks.keys.map((key) => key.kid)).to.deep.equal(expected);
  }
  toString = (): string => 'jwks()';
}

const commands = [
  fc.constantFrom(...SPECS.slice(0, 2)).map((spec) => new CreateKey(spec)),
  fc.constant(new CreateKey(SPECS[2]!)),
  fc.nat().map((i) => new RotateKey(i)),
  fc.tuple(fc.nat(), fc.option(fc.nat(), { nil: undefined }), fc.integer({ min: 7, max: 30 })).map(
    ([i, v, w]) => new DestroyKey(i, v, w),
  ),
  fc.integer({ min: 1, max: 40 }).map((d) => new AdvanceDays(d)),
  fc.tuple(fc.nat(), fc.option(fc.nat(), { nil: undefined })).map(([i, v]) => new GetKey(i, v)),
  fc.tuple(fc.nat(), fc.boolean()).map(([i, u]) => new ListVersions(i, u)),
  fc.nat().map((i) => new GetPublicJwk(i)),
  fc.constant(new Jwks()),
];

describe('model: AwsKmsKeyProvider over SimulatedKms (fast-check commands)', () => {
  it('create / rotate / destroy / advance time / getKey / listVersions / getPublicJwk / jwks agree with the model', async () => {
    await fc.assert(
      fc.asyncProperty(fc.commands(commands, { maxCommands: 25 }), async (cmds) => {
        const clock = { now: START };
        const sim = new SimulatedKms({ clock: () => new Date(clock.now) });
        const setup = () => ({
          model: { kids: new Map(), day: 0 } satisfies Model,
          real: { sim, provider: new AwsKmsKeyProvider({ kms: sim, aliasPrefix: PREFIX }), clock } satisfies Real,
        });
        await fc.asyncModelRun(setup, cmds);
      }),
      // Seed, path and FC_RUNS come from the suite's global configuration (test/support/fast-check-config.ts).
      { numRuns: fc.readConfigureGlobal().numRuns ?? 40 },
    );
  });
});
