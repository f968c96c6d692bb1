/**
 * Model-based test of rotation that never breaks a token (fast-check commands): rotate (activating or
 * pre-publishing), activate an Enabled version (pre-published, or older: a rollback), retire a version (the latest
 * refused), destroy a retired or old version, sign a token with the current latest (KMS Sign, RAW, through
 * provider.signingKey/sign), and a plain re-check. After every command the JWKS — served by startSimulatorServer
 * with `jwksInclude: 'enabled'` over HTTP on 127.0.0.1 in some runs, provider.jwks({ include: 'enabled' }) in the
 * others — must hold exactly the Enabled versions, and every token signed so far must verify with jose against
 * it iff its version is neither retired nor destroyed. A version made the latest by activateVersion must already
 * be in the JWKS fetched just before, so the first token it signs is verifiable at once.
 * Replay a failure with FC_SEED=<seed> (and FC_PATH=<path>) from the report; FC_RUNS sets the number of runs.
 */
import { expect } from 'chai';
import fc from 'fast-check';
import {
  AwsKmsKeyProvider,
  InvalidKeyStateError,
  SimulatedKms,
  startSimulatorServer,
  type Jwks,
  type KeySpec,
  type SimulatorServer,
} from '../../src/index.js';
import { signToken, verifies, type SignedToken } from '../support/provider-tokens.js';

const PREFIX = 'grace-model';
const SPECS: readonly KeySpec[] = [
  { klass: 'asym', alg: 'ED25519' },
  { klass: 'asym', alg: 'ECDSA_P256_SHA256' },
];

type VersionState = 'enabled' | 'retired' | 'pending';
interface KidModel {
  kid: string;
  versions: Map<number, VersionState>;
  latest: number;
  highest: number;
  /** Versions made with activate: false (the latest alias left where it was). */
  prePublished: Set<number>;
  /** Versions that were in the JWKS fetched just before activateVersion made them the latest. */
  knownBeforeActivation: Set<number>;
}
interface Model {
  kids: KidModel[];
  tokens: SignedToken[];
}
interface Real {
  provider: AwsKmsKeyProvider;
  /** The JWKS verifiers get: over HTTP from the server, or from the provider. */
  fetchJwks: () => Promise<Jwks>;
}

const pick = <T>(items: readonly T[], index: number): T => items[index % items.length]!;
const versionsIn = (k: KidModel, ...states: VersionState[]): number[] =>
  [...k.versions].filter(([, s]) => states.includes(s)).map(([v]) => v).sort((a, b) => a - b);

/** What the JWKS must be, and which tokens must verify with it. */
async function check(m: Model, r: Real): Promise<void> {
  const jwks = await r.fetchJwks();
  const expected = [...m.kids]
    .sort((a, b) => (a.kid < b.kid ? -1 : 1))
    .flatMap((k) => versionsIn(k, 'enabled').map((v) => `${k.kid}.${v}`));
  expect(jwks.keys.map((key) => key.kid), 'the JWKS: every Enabled version, by kid then version').to.deep.equal(expected);
  for (const token of m.tokens) {
    const k = m.kids.find((kid) => kid.kid === token.kid)!;
    const valid = k.versions.get(token.version) === 'enabled';
    expect(await verifies(token.token, jwks), `token of ${token.jwkKid} (${k.versions.get(token.version)})`).to.equal(valid);
  }
}

class Rotate implements fc.AsyncCommand<Model, Real> {
  constructor(readonly index: number, readonly activate: boolean) {}
  check = (): boolean => true;
  async run(m: Model, r: Real): Promise<void> {
    const k = pick(m.kids, this.index);
    const ref = await r.provider.rotateKey(k.kid, { activate: this.activate });
    expect(ref.version, 'one past the highest ever: never reused').to.equal(k.highest + 1);
    k.highest = ref.version;
    k.versions.set(ref.version, 'enabled');
    if (this.activate) k.latest = ref.version;
    else k.prePublished.add(ref.version);
    expect((await r.provider.signingKey(k.kid)).version, 'the version that signs').to.equal(k.latest);
    await check(m, r);
  }
  toString = (): string => `rotate(#${this.index}, activate: ${this.activate})`;
}

class Activate implements fc.AsyncCommand<Model, Real> {
  constructor(readonly index: number, readonly versionIndex: number) {}
  check = (m: Readonly<Model>): boolean => m.kids.some((k) => versionsIn(k, 'enabled').length > 1);
  async run(m: Model, r: Real): Promise<void> {
    const k = pick(m.kids.filter((kid) => versionsIn(kid, 'enabled').length > 1), this.index);
    // Pre-published versions first, then older ones (a rollback).
    const candidates = [...versionsIn(k, 'enabled').filter((v) => k.prePublished.has(v)), ...versionsIn(k, 'enabled')].filter(
      (v) => v !== k.latest,
    );
    const version = pick(candidates, this.versionIndex);
    const before = await r.fetchJwks();
    expect(before.keys.map((key) => key.kid), 'verifiers know the version before it signs').to.include(`${k.kid}.${version}`);
    k.knownBeforeActivation.add(version);
    const ref = await r.provider.activateVersion(k.kid, version);
    expect(ref.version).to.equal(version);
    k.latest = version;
    await check(m, r);
  }
  toString = (): string => `activate(#${this.index}, v#${this.versionIndex})`;
}

class Retire implements fc.AsyncCommand<Model, Real> {
  constructor(readonly index: number, readonly versionIndex: number, readonly theLatest: boolean) {}
  check = (): boolean => true;
  async run(m: Model, r: Real): Promise<void> {
    const k = pick(m.kids, this.index);
    const candidates = versionsIn(k, 'enabled', 'retired').filter((v) => v !== k.latest);
    if (this.theLatest || candidates.length === 0) {
      const error = await r.provider.retireVersion(k.kid, k.latest).then(() => expect.fail('retiring the latest must fail'), (e: unknown) => e);
      expect(error).to.be.instanceOf(InvalidKeyStateError);
      expect((error as Error).message).to.include('is the latest (it signs): activateVersion');
    } else {
      const version = pick(candidates, this.versionIndex);
      await r.provider.retireVersion(k.kid, version); // a retired one again: nothing changes
      k.versions.set(version, 'retired');
    }
    await check(m, r);
  }
  toString = (): string => `retire(#${this.index}, ${this.theLatest ? 'the latest' : `v#${this.versionIndex}`})`;
}

class Destroy implements fc.AsyncCommand<Model, Real> {
  constructor(readonly index: number, readonly versionIndex: number) {}
  check = (m: Readonly<Model>): boolean => m.kids.some((k) => versionsIn(k, 'enabled', 'retired').length > 1);
  async run(m: Model, r: Real): Promise<void> {
    const k = pick(m.kids.filter((kid) => versionsIn(kid, 'enabled', 'retired').length > 1), this.index);
    // Retired versions first, then old Enabled ones; never the latest.
    const candidates = [...versionsIn(k, 'retired'), ...versionsIn(k, 'enabled')].filter((v) => v !== k.latest);
    const version = pick(candidates, this.versionIndex);
    expect(await r.provider.destroyKey(k.kid, version, { pendingWindowInDays: 7 })).to.equal(true);
    k.versions.set(version, 'pending');
    expect((await r.provider.signingKey(k.kid)).version, 'destroying another version leaves the latest').to.equal(k.latest);
    await check(m, r);
  }
  toString = (): string => `destroy(#${this.index}, v#${this.versionIndex})`;
}

class Sign implements fc.AsyncCommand<Model, Real> {
  constructor(readonly index: number) {}
  check = (): boolean => true;
  async run(m: Model, r: Real): Promise<void> {
    const k = pick(m.kids, this.index);
    const token = await signToken(r.provider, k.kid, { sub: 'model', n: m.tokens.length });
    expect(token.version, 'KMS signed with the latest').to.equal(k.latest);
    if (k.prePublished.has(token.version)) {
      expect(k.knownBeforeActivation.has(token.version), 'a pre-published version was in the JWKS before it signed').to.equal(true);
    }
    m.tokens.push(token);
    await check(m, r);
  }
  toString = (): string => `sign(#${this.index})`;
}

class Recheck implements fc.AsyncCommand<Model, Real> {
  check = (): boolean => true;
  async run(m: Model, r: Real): Promise<void> {
    await check(m, r);
  }
  toString = (): string => 'recheck()';
}

const commands = [
  fc.tuple(fc.nat(), fc.boolean()).map(([i, activate]) => new Rotate(i, activate)),
  fc.tuple(fc.nat(), fc.nat()).map(([i, v]) => new Activate(i, v)),
  // One retirement in seven tries the latest (refused).
  fc.tuple(fc.nat(), fc.nat(), fc.integer({ min: 0, max: 6 })).map(([i, v, n]) => new Retire(i, v, n === 0)),
  fc.tuple(fc.nat(), fc.nat()).map(([i, v]) => new Destroy(i, v)),
  fc.nat().map((i) => new Sign(i)),
  fc.constant(new Recheck()),
];

describe('model: rotation that never breaks a token (fast-check commands, jose against the served JWKS)', function () {
  this.timeout(120_000);

  it('rotate / pre-publish / activate / retire / destroy / sign: every token verifies iff its version is live; pre-published keys are known before they sign', async () => {
    await fc.assert(
      fc.asyncProperty(
        // One run in four against the served endpoint over HTTP, the others against provider.jwks().
        fc.oneof({ arbitrary: fc.constant(true), weight: 1 }, { arbitrary: fc.constant(false), weight: 3 }),
        fc.integer({ min: 1, max: 2 }),
        fc.commands(commands, { maxCommands: 25, size: 'max' }),
        async (served, kidCount, cmds) => {
          let server: SimulatorServer | undefined;
          try {
            let provider: AwsKmsKeyProvider;
            let fetchJwks: () => Promise<Jwks>;
            if (served) {
              server = await startSimulatorServer({ port: 0, aliasPrefix: PREFIX, jwksInclude: 'enabled', jwksMaxAgeSeconds: 0 });
              provider = new AwsKmsKeyProvider({ kms: await server.kms(), aliasPrefix: PREFIX });
              const url = server.jwksUrl;
              fetchJwks = async () => {
                const response = await fetch(url);
                expect(response.status).to.equal(200);
                return (await response.json()) as Jwks;
              };
            } else {
              provider = new AwsKmsKeyProvider({ kms: new SimulatedKms(), aliasPrefix: PREFIX });
              fetchJwks = () => provider.jwks({ include: 'enabled' });
            }
            const kids: KidModel[] = [];
            for (const spec of SPECS.slice(0, kidCount)) {
              const ref = await provider.createKey(spec);
              kids.push({
                kid: ref.kid,
                versions: new Map([[1, 'enabled']]),
                latest: 1,
                highest: 1,
                prePublished: new Set(),
                knownBeforeActivation: new Set(),
              });
            }
            const real: Real = { provider, fetchJwks };
            await fc.asyncModelRun(() => ({ model: { kids, tokens: [] } satisfies Model, real }), cmds);
          } finally {
            await server?.close();
          }
        },
      ),
      // Seed, path and FC_RUNS come from the suite's global configuration (test/support/fast-check-config.ts).
      { numRuns: fc.readConfigureGlobal().numRuns ?? 100 },
    );
  });
});
