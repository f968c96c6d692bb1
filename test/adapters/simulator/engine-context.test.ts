/** The EngineContext on its own: one view of the store per context, no nested writes, nothing secret shown. */
import { inspect } from 'node:util';
import { expect } from 'chai';
import { Crypto } from '@peculiar/webcrypto';
import { KmsException } from '../../../src/adapters/kms-exception.js';
import { InvalidArgumentError } from '../../../src/domain/errors.js';
import { KeyCrypto } from '../../../src/adapters/simulator/crypto/signer.js';
import { WebCryptoBackend } from '../../../src/adapters/simulator/crypto/webcrypto-backend.js';
import { EngineContext, type WriteRunner } from '../../../src/adapters/simulator/engine-context.js';
import { ArnScope } from '../../../src/adapters/simulator/model/identifiers.js';
import { MarkerCodec } from '../../../src/adapters/simulator/model/pagination.js';
import { InMemorySimulatorStore } from '../../../src/adapters/simulator/store/in-memory-store.js';
import { ACCOUNT, REGION } from './simulator-test-kit.js';

function context(clock = () => new Date('2026-01-01T00:00:00.000Z')) {
  const store = new InMemorySimulatorStore();
  const crypto = new WebCryptoBackend(new Crypto() as unknown as globalThis.Crypto);
  const runWrite: WriteRunner = (_options, fn) => store.transaction((tx) => fn(ctx.within(tx)));
  const ctx: EngineContext = new EngineContext(
    {
      arns: new ArnScope(REGION, ACCOUNT),
      crypto,
      clock,
      keyCrypto: new KeyCrypto(crypto),
      markers: new MarkerCodec(new Uint8Array(32)),
      runWrite,
    },
    store,
  );
  return { ctx, store };
}

describe('adapters/simulator/engine-context', () => {
  it('gives a write a context over its transaction, and refuses a write started inside one', async () => {
    const { ctx, store } = context();
    let thrown: unknown;
    await ctx.write(undefined, async (tx) => {
      expect(tx.store).to.not.equal(store);
      expect(tx.accountId).to.equal(ACCOUNT);
      try {
        await tx.write(undefined, async () => undefined);
      } catch (e) {
        thrown = e;
      }
    });
    expect(thrown).to.be.instanceOf(KmsException);
    expect(thrown).to.include({ name: 'KMSInternalException', message: 'A write was started inside a write.', $fault: 'server' });
  });

  it('copies the clock’s Date and refuses one that is not a valid Date', () => {
    const fixed = new Date('2026-01-01T00:00:00.000Z');
    const { ctx } = context(() => fixed);
    const now = ctx.now();
    expect(now).to.deep.equal(fixed);
    expect(now).to.not.equal(fixed);
    for (const bad of [new Date(Number.NaN), '2026-01-01', undefined]) {
      expect(() => context(() => bad as Date).ctx.now()).to.throw(InvalidArgumentError, 'SimulatedKms: clock() must return a valid Date');
    }
  });

  it('shows its Region and account only', () => {
    const { ctx } = context();
    expect(inspect(ctx, { depth: Infinity, showHidden: true })).to.equal(
      `EngineContext { region: '${REGION}', accountId: '${ACCOUNT}' }`,
    );
    expect(JSON.parse(JSON.stringify(ctx))).to.deep.equal({ region: REGION, accountId: ACCOUNT });
  });
});
