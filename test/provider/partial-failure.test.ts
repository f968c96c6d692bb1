/**
 * Partial failure at every call: each KMS call of createKey, rotateKey and destroyKey is made to fail in turn —
 * transiently (retried: the operation succeeds) and fatally (not retried: it fails) — and afterwards the kid is
 * consistent: every kid's latest alias is on its highest live version (with none live it may stay on a pending
 * one), no Enabled key tagged `saur:kid` lacks its `/vN` alias, and repeating the operation succeeds.
 */
import { expect } from 'chai';
import { AwsKmsKeyProvider, SimulatedKms, type KeySpec, type KmsPort } from '../../src/index.js';
import { KmsFault } from '../support/instrumented-kms.js';

const EC: KeySpec = { klass: 'asym', alg: 'ECDSA_P256_SHA256' };
const PREFIX = 'pf';

/** A port whose call number `failAt` (0-based, counted from `arm()`) throws `fault`; counts calls. */
function failing(sim: SimulatedKms) {
  const state = { calls: 0, failAt: -1, fault: undefined as KmsFault | undefined, armed: false };
  const kms = new Proxy(sim, {
    get(target, property, receiver) {
      const value = Reflect.get(target, property, receiver) as unknown;
      if (typeof value !== 'function') return value;
      return async (...args: unknown[]) => {
        if (state.armed && state.calls++ === state.failAt) throw state.fault;
        return (value as (...a: unknown[]) => unknown).apply(target, args);
      };
    },
  }) as KmsPort;
  return {
    kms,
    arm(failAt: number, fault: KmsFault | undefined) {
      Object.assign(state, { calls: 0, failAt, fault, armed: true });
    },
    disarm: () => ((state.armed = false), state.calls),
  };
}

async function allAliases(sim: SimulatedKms): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  let marker: string | undefined;
  do {
    const page = await sim.listAliases({ Limit: 100, ...(marker ? { Marker: marker } : {}) });
    for (const a of page.Aliases) if (a.TargetKeyId) out.set(a.AliasName, a.TargetKeyId);
    marker = page.Truncated ? page.NextMarker : undefined;
  } while (marker);
  return out;
}

/** The invariants of the issue, over every kid KMS holds under the prefix (so also a kid whose createKey failed). */
async function expectConsistent(sim: SimulatedKms, where: string): Promise<void> {
  const aliases = await allAliases(sim);
  const state = async (keyId: string): Promise<string> => (await sim.describeKey({ KeyId: keyId })).KeyMetadata.KeyState;
  const kids = new Map<string, Map<number, { keyId: string; state: string }>>();
  for (const [name, keyId] of aliases) {
    const match = new RegExp(`^alias/${PREFIX}/([0-9a-f]{16})/v(\\d+)$`).exec(name);
    if (!match) continue;
    if (!kids.has(match[1]!)) kids.set(match[1]!, new Map());
    kids.get(match[1]!)!.set(Number(match[2]), { keyId, state: await state(keyId) });
  }
  for (const [kid, versions] of kids) {
    const live = [...versions].filter(([, v]) => v.state === 'Enabled').map(([n]) => n);
    if (live.length === 0) continue;
    expect(aliases.get(`alias/${PREFIX}/${kid}`), `${where}: latest of ${kid} on its highest live version`).to.equal(
      versions.get(Math.max(...live))!.keyId,
    );
  }
  const { Keys } = await sim.listKeys({ Limit: 1000 });
  for (const { KeyId } of Keys) {
    if ((await state(KeyId)) !== 'Enabled') continue;
    const tags = Object.fromEntries((await sim.listResourceTags({ KeyId })).Tags.map((t) => [t.TagKey, t.TagValue]));
    if (tags['saur:kid'] === undefined) continue;
    expect(aliases.get(`alias/${PREFIX}/${tags['saur:kid']}/v${tags['saur:version']}`), `${where}: Enabled key ${KeyId} has its /vN alias`).to.equal(KeyId);
  }
}

type Scenario = { name: string; prepare: (p: AwsKmsKeyProvider) => Promise<string>; run: (p: AwsKmsKeyProvider, kid: string) => Promise<unknown> };

const SCENARIOS: Scenario[] = [
  { name: 'createKey', prepare: async () => '', run: (p) => p.createKey(EC) },
  {
    name: 'rotateKey',
    prepare: async (p) => (await p.createKey(EC)).kid,
    run: (p, kid) => p.rotateKey(kid),
  },
  {
    name: 'destroyKey of the latest version',
    prepare: async (p) => {
      const { kid } = await p.createKey(EC);
      await p.rotateKey(kid);
      return kid;
    },
    run: (p, kid) => p.destroyKey(kid, 2),
  },
  {
    name: 'destroyKey of every version',
    prepare: async (p) => {
      const { kid } = await p.createKey(EC);
      await p.rotateKey(kid);
      return kid;
    },
    run: (p, kid) => p.destroyKey(kid),
  },
];

describe('partial failure at every KMS call', function () {
  this.timeout(120_000);
  for (const scenario of SCENARIOS) {
    for (const kind of ['transient', 'fatal'] as const) {
      it(`${scenario.name}: a ${kind} failure at each call leaves the kid consistent, and repeating succeeds`, async () => {
        // How many calls the operation makes when nothing fails.
        const countSim = new SimulatedKms();
        const counter = failing(countSim);
        const countProvider = new AwsKmsKeyProvider({ kms: counter.kms, aliasPrefix: PREFIX, cache: false });
        const countKid = await scenario.prepare(countProvider);
        counter.arm(-1, undefined);
        await scenario.run(countProvider, countKid);
        const calls = counter.disarm();
        expect(calls).to.be.greaterThan(2);

        for (let at = 0; at < calls; at++) {
          const sim = new SimulatedKms();
          const port = failing(sim);
          const provider = new AwsKmsKeyProvider({
            kms: port.kms,
            aliasPrefix: PREFIX,
            cache: false,
            retry: { sleep: async () => undefined },
          });
          const kid = await scenario.prepare(provider);
          const fault =
            kind === 'transient'
              ? new KmsFault('ThrottlingException', `injected at call ${at}`, 'client')
              : new KmsFault('AccessDeniedException', `injected at call ${at}`, 'client');
          port.arm(at, fault);
          const outcome = await scenario.run(provider, kid).then(
            (value) => ({ value }),
            (error: unknown) => ({ error }),
          );
          port.disarm();
          const where = `${scenario.name}, ${kind} failure at call ${at}`;
          if (kind === 'transient') expect(outcome, `${where}: retried to success`).to.have.property('value');
          else expect(outcome, `${where}: fails`).to.have.property('error');
          await expectConsistent(sim, where);
          // Repeating the operation succeeds, and leaves the kid consistent.
          await scenario.run(provider, kid);
          await expectConsistent(sim, `${where}, repeated`);
        }
      });
    }
  }
});
