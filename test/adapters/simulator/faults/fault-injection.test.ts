import { inspect } from 'node:util';
import { expect } from 'chai';
import { KmsException } from '../../../../src/adapters/kms-exception.js';
import { FaultPlan, type FaultOptions } from '../../../../src/adapters/simulator/faults/fault-plan.js';
import type { SimulatedKms } from '../../../../src/adapters/simulator/simulated-kms.js';
import { bytes, createKey, expectKmsError, newKms } from '../simulator-test-kit.js';

/** The 1-based numbers of the calls among `n` GenerateRandom calls that failed. */
async function failingCalls(kms: SimulatedKms, n: number): Promise<number[]> {
  const failed: number[] = [];
  for (let i = 1; i <= n; i++) {
    try {
      await kms.generateRandom({ NumberOfBytes: 8 });
    } catch (e) {
      expect(e).to.be.instanceOf(KmsException);
      failed.push(i);
    }
  }
  return failed;
}

const RANDOM_30: FaultOptions['rules'] = [{ operation: 'GenerateRandom', rate: 0.3, error: 'ThrottlingException' }];

describe('adapters/simulator/faults — fault injection in SimulatedKms', () => {
  it('injects nothing without the faults option (no seed, no wrappers)', async () => {
    const kms = newKms();
    expect(kms.faultSeed).to.equal(undefined);
    expect(Object.getOwnPropertyNames(kms)).not.to.include('sign');
    expect(await failingCalls(kms, 50)).to.deep.equal([]);
  });

  it('replays: the same seed fails the same calls; another seed fails others', async () => {
    const first = await failingCalls(newKms({ faults: { seed: 42, rules: RANDOM_30 } }), 200);
    const again = await failingCalls(newKms({ faults: { seed: 42, rules: RANDOM_30 } }), 200);
    const other = await failingCalls(newKms({ faults: { seed: 43, rules: RANDOM_30 } }), 200);
    expect(first.length).to.be.within(30, 90); // about 60 of 200
    expect(again).to.deep.equal(first);
    expect(other).not.to.deep.equal(first);
  });

  it('reports the random seed it picked when none is given, and that seed replays the run', async () => {
    const kms = newKms({ faults: { rules: RANDOM_30 } });
    expect(Number.isInteger(kms.faultSeed)).to.equal(true);
    const first = await failingCalls(kms, 100);
    expect(await failingCalls(newKms({ faults: { seed: kms.faultSeed!, rules: RANDOM_30 } }), 100)).to.deep.equal(first);
  });

  it("a rate rule's draws depend only on the calls it matches, not on other operations' calls", async () => {
    const rules: FaultOptions['rules'] = [...RANDOM_30, { operation: 'ListKeys', rate: 0.5, error: 'ThrottlingException' }];
    const alone = await failingCalls(newKms({ faults: { seed: 7, rules } }), 60);
    const kms = newKms({ faults: { seed: 7, rules } });
    const failed: number[] = [];
    let listFailures = 0;
    for (let i = 1; i <= 60; i++) {
      await kms.listKeys({}).catch(() => (listFailures += 1));
      await kms.generateRandom({ NumberOfBytes: 8 }).catch(() => failed.push(i));
    }
    expect(listFailures).to.be.within(10, 50);
    expect(alone.length).to.be.greaterThan(0);
    expect(failed).to.deep.equal(alone);
  });

  it('nth fails exactly the Nth call of that operation; times extends it; other operations are not counted', async () => {
    const kms = newKms({
      faults: {
        seed: 1,
        rules: [
          { operation: 'DescribeKey', nth: 3, error: 'KMSInternalException' },
          { operation: 'GenerateRandom', nth: 2, times: 2, error: 'DependencyTimeoutException' },
        ],
      },
    });
    const key = await createKey(kms);
    const outcomes: string[] = [];
    for (let i = 1; i <= 5; i++) {
      await kms.listKeys({});
      outcomes.push(await kms.describeKey({ KeyId: key.KeyId }).then(() => 'ok', (e: Error) => e.name));
    }
    expect(outcomes).to.deep.equal(['ok', 'ok', 'KMSInternalException', 'ok', 'ok']);
    expect(await failingCalls(kms, 5)).to.deep.equal([2, 3]);
  });

  it('an injected failure changes nothing, and the retry succeeds', async () => {
    const kms = newKms({
      faults: {
        seed: 1,
        rules: [
          { operation: 'CreateKey', nth: 1, error: 'KMSInternalException' },
          { operation: 'CreateAlias', nth: 1, error: 'ThrottlingException' },
          { operation: 'ScheduleKeyDeletion', nth: 1, error: 'ThrottlingException' },
        ],
      },
    });
    await expectKmsError(kms.createKey({}), 'KMSInternalException', /^Injected fault/, 'server');
    expect((await kms.listKeys({})).Keys).to.deep.equal([]);
    const key = await createKey(kms);
    await expectKmsError(kms.createAlias({ AliasName: 'alias/app', TargetKeyId: key.KeyId }), 'ThrottlingException');
    const ours = async (): Promise<string[]> =>
      (await kms.listAliases({})).Aliases!.map((a) => a.AliasName!).filter((n) => !n.startsWith('alias/aws/'));
    expect(await ours()).to.deep.equal([]);
    await kms.createAlias({ AliasName: 'alias/app', TargetKeyId: key.KeyId });
    expect(await ours()).to.deep.equal(['alias/app']);
    await expectKmsError(kms.scheduleKeyDeletion({ KeyId: key.KeyId, PendingWindowInDays: 7 }), 'ThrottlingException');
    expect((await kms.describeKey({ KeyId: key.KeyId })).KeyMetadata!.KeyState).to.equal('Enabled');
  });

  it('throws KmsExceptions like its own: name, $fault (server or client), a message saying it was injected', async () => {
    const kms = newKms({
      faults: {
        seed: 42,
        rules: [
          { operation: 'Sign', rate: 1, error: 'ThrottlingException' },
          { operation: 'Encrypt', nth: 1, error: 'DependencyTimeoutException' },
          { operation: 'Decrypt', nth: 1, error: 'KeyUnavailableException' },
          { operation: 'Verify', nth: 1, error: 'AccessDeniedException' },
        ],
      },
    });
    const key = await createKey(kms, 'ECC_NIST_P256', 'SIGN_VERIFY');
    const sign = { KeyId: key.KeyId, Message: bytes('m'), SigningAlgorithm: 'ECDSA_SHA_256' } as const;
    const e = await expectKmsError(kms.sign(sign), 'ThrottlingException', undefined, 'client');
    expect(e.message).to.equal('Injected fault: ThrottlingException on Sign call 1 (faults rule 1, Sign:rate=1:ThrottlingException; seed 42)');
    await expectKmsError(kms.encrypt({ KeyId: key.KeyId, Plaintext: bytes('p') }), 'DependencyTimeoutException', /^Injected fault/, 'server');
    await expectKmsError(kms.decrypt({ CiphertextBlob: bytes('c') }), 'KeyUnavailableException', /^Injected fault/, 'server');
    const verify = { ...sign, Signature: bytes('s') };
    await expectKmsError(kms.verify(verify), 'AccessDeniedException', /^Injected fault/, 'client');
  });

  it("'*' matches every operation; the first rule that fires gives the error", async () => {
    const kms = newKms({
      faults: {
        seed: 3,
        rules: [
          { operation: '*', nth: 2, error: 'ThrottlingException' },
          { operation: 'ListKeys', nth: 2, error: 'KMSInternalException' },
        ],
      },
    });
    await kms.generateRandom({ NumberOfBytes: 1 }); // call 1 of '*'
    await expectKmsError(kms.listKeys({}), 'ThrottlingException'); // call 2 of '*', call 1 of ListKeys
    await expectKmsError(kms.listKeys({}), 'KMSInternalException', undefined, 'server'); // call 2 of ListKeys
    await kms.listKeys({});
  });

  it('adds latencyMs before the call, failing or not: the call settles only when that timer fires', async () => {
    const kms = newKms({
      faults: {
        seed: 5,
        rules: [
          { operation: 'ListKeys', latencyMs: 30 },
          { operation: 'GenerateRandom', latencyMs: 30, nth: 1, error: 'ThrottlingException' },
        ],
      },
    });
    // The 30 ms timers are held here and fired by the test (deterministic under any load); others run as usual.
    const held: Array<() => void> = [];
    const realSetTimeout = globalThis.setTimeout;
    const holding = ((fn: () => void, ms?: number, ...rest: unknown[]) =>
      ms === 30 ? (held.push(fn), realSetTimeout(() => undefined, 0)) : realSetTimeout(fn, ms, ...rest)) as typeof setTimeout;
    const turn = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));
    globalThis.setTimeout = holding;
    try {
      const calls = [
        { call: () => kms.listKeys({}), outcome: 'resolved' },
        { call: () => kms.generateRandom({ NumberOfBytes: 1 }), outcome: 'rejected' }, // the rule's ThrottlingException
      ] as const;
      for (const { call, outcome } of calls) {
        let settled: 'no' | 'resolved' | 'rejected' = 'no';
        const done = call().then(
          () => void (settled = 'resolved'),
          () => void (settled = 'rejected'),
        );
        for (let i = 0; i < 5 && held.length === 0; i++) await turn();
        expect(held, 'one timer of latencyMs').to.have.length(1);
        await turn();
        expect(settled, 'nothing settles before the latency').to.equal('no');
        held.shift()?.();
        await done;
        expect(settled).to.equal(outcome);
      }
    } finally {
      globalThis.setTimeout = realSetTimeout;
    }
    // without a matching rule no latency is added: no timer is asked for, and the call settles
    const { KeyId } = await createKey(kms);
    globalThis.setTimeout = holding;
    try {
      await kms.describeKey({ KeyId });
    } finally {
      globalThis.setTimeout = realSetTimeout;
    }
    expect(held).to.deep.equal([]);
  });

  it('an abortSignal ends the added latency', async () => {
    const kms = newKms({ faults: { seed: 5, rules: [{ operation: 'ListKeys', latencyMs: 60_000 }] } });
    const controller = new AbortController();
    const call = kms.listKeys({}, { abortSignal: controller.signal });
    const reason = new Error('stop');
    controller.abort(reason);
    let thrown: unknown;
    await call.catch((e: unknown) => (thrown = e));
    expect(thrown).to.equal(reason);
  });

  it('a FaultPlan given to several simulators counts their calls together', async () => {
    const plan = new FaultPlan({ seed: 9, rules: [{ operation: 'GenerateRandom', nth: 2, error: 'ThrottlingException' }] });
    const a = newKms({ faults: plan });
    const b = newKms({ faults: plan });
    expect(a.faultSeed).to.equal(9);
    await a.generateRandom({ NumberOfBytes: 1 });
    await expectKmsError(b.generateRandom({ NumberOfBytes: 1 }), 'ThrottlingException');
    await a.generateRandom({ NumberOfBytes: 1 });
  });

  it('leaves the hygiene of the facade as it was (JSON, inspection)', () => {
    const kms = newKms({ faults: { seed: 1, rules: RANDOM_30 } });
    expect(JSON.stringify(kms)).to.equal('{"region":"us-east-1","accountId":"111122223333"}');
    expect(inspect(kms)).to.equal("SimulatedKms { region: 'us-east-1', accountId: '111122223333' }");
    expect(Object.keys(kms)).not.to.include('generateRandom');
  });
});
