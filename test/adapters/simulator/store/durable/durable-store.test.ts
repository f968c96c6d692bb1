/**
 * The durable SimulatorStore: the shared store behaviour (simulator-store.contract.ts) over partitions of one
 * state directory, then what is its own: partitions isolated, restart, the staged view of a transaction,
 * optimistic re-runs, the shared environment and its generation. Replay a property failure with FC_SEED=<seed>.
 */
import { inspect } from 'node:util';
import { expect } from 'chai';
import fc from 'fast-check';
import { openSimulatorState, type SimulatorState } from '../../../../../src/adapters/simulator/store/durable/simulator-state.js';
import { SimulatorStateError } from '../../../../../src/adapters/simulator/store/durable/state-errors.js';
import { StagedView, type KvReader } from '../../../../../src/adapters/simulator/store/durable/kv-view.js';
import { PartitionSpace, toSpace, type SpaceRange } from '../../../../../src/adapters/simulator/store/durable/key-space.js';
import { alias, keyRecord, material, simulatorStoreContract } from '../simulator-store.contract.js';
import { customKeyStoreTableContract } from '../custom-key-store-table.contract.js';
import { TempRoot } from './durable-test-kit.js';
import { grantStoreContract } from '../grant-store.contract.js';

describe('adapters/simulator/store/durable/durable-store', function () {
  this.timeout(20_000);
  const root = new TempRoot();
  let state: SimulatorState;
  let partitions = 0;
  before(async () => {
    state = await openSimulatorState(root.dir('contract'));
  });
  after(async () => {
    await state.close();
    root.remove();
  });

  describe('the store contract (each store a fresh account of one directory)', () => {
    simulatorStoreContract({
      create: async () => state.partition(String(100_000_000_000 + ++partitions), 'eu-west-1'),
      inspectTransaction: (open) => `DurableSimulatorStore transaction { ${open ? 'open' : 'ended'} }`,
    });
    grantStoreContract(async () => state.partition(String(100_000_000_000 + ++partitions), 'eu-west-1'));
    customKeyStoreTableContract({
      create: async () => state.partition(String(100_000_000_000 + ++partitions), 'eu-west-1'),
      inspectTransaction: (open) => `DurableSimulatorStore transaction { ${open ? 'open' : 'ended'} }`,
    });
  });

  it('isolates account × Region partitions of one directory: reads, listings, counts, deletions', async () => {
    const stores = ['111111111111/us-east-1', '111111111111/eu-west-1', '222222222222/us-east-1'].map((p) => {
      const [account = '', region = ''] = p.split('/');
      return state.partition(account, region);
    });
    for (const [i, store] of stores.entries()) {
      await store.transaction(async (tx) => {
        await tx.insertKey(keyRecord(`k${i}`, { deletionDate: new Date(0), keyState: 'PendingDeletion' }), material(i));
        await tx.insertKey(keyRecord('shared'), material(10 + i));
        await tx.putAlias(alias('alias/same-name', 'shared'));
        await tx.putAlias(alias(`alias/only-${i}`, `k${i}`));
      });
    }
    for (const [i, store] of stores.entries()) {
      expect((await store.listKeys({ limit: 10 })).map((k) => k.keyId)).to.deep.equal([`k${i}`, 'shared']);
      expect((await store.listAliases({ limit: 10 })).map((a) => a.aliasName)).to.deep.equal([`alias/only-${i}`, 'alias/same-name']);
      expect(await store.getKeyMaterial('shared')).to.deep.equal(material(10 + i));
      expect(await store.countAliases('shared')).to.equal(1);
      expect(await store.keysDueForDeletion(new Date(1))).to.deep.equal([`k${i}`]);
      for (const j of [0, 1, 2].filter((j) => j !== i)) expect(await store.getKey(`k${j}`)).to.equal(undefined);
    }
    await stores[0]?.transaction((tx) => tx.deleteKey('shared'));
    expect(await stores[0]?.getAlias('alias/same-name')).to.equal(undefined);
    expect((await stores[1]?.getAlias('alias/same-name'))?.targetKeyId).to.equal('shared');
  });

  it('keeps what was committed across a close and a reopen; the generation counts commits', async () => {
    const dir = root.dir();
    const first = await openSimulatorState(dir);
    const g0 = first.generation();
    const store = first.partition('333333333333', 'ap-south-1');
    await store.transaction(async (tx) => {
      await tx.insertKey(keyRecord('k1', { tags: [{ key: 't', value: 'v', seq: 1 }], nextTagSeq: 2 }), material(7));
      await tx.putAlias(alias('alias/a', 'k1'));
    });
    await store.transaction(async () => 'reads only'); // commits nothing
    await store.transaction((tx) => tx.getKey('k1')).catch(() => undefined);
    expect(first.generation()).to.equal(g0 + 1);
    await first.close();
    let thrown: unknown;
    try {
      await store.getKey('k1');
    } catch (e) {
      thrown = e;
    }
    expect(thrown).to.be.instanceOf(SimulatorStateError);
    expect((thrown as SimulatorStateError).code).to.equal('ERR_STATE_CLOSED');

    const again = await openSimulatorState(dir);
    try {
      const reopened = again.partition('333333333333', 'ap-south-1');
      expect(await reopened.getKey('k1')).to.deep.equal(keyRecord('k1', { tags: [{ key: 't', value: 'v', seq: 1 }], nextTagSeq: 2 }));
      expect(await reopened.getKeyMaterial('k1')).to.deep.equal(material(7));
      expect(await reopened.getAlias('alias/a')).to.deep.equal(alias('alias/a', 'k1'));
      expect(again.generation()).to.equal(g0 + 1);
      expect(inspect(reopened)).to.equal("DurableSimulatorStore { partition: '333333333333/ap-south-1' }");
    } finally {
      await again.close();
    }
  });

  it('shares one environment between the states of one directory (by real path) and closes it with the last', async () => {
    const dir = root.dir();
    const a = await openSimulatorState(dir);
    const b = await openSimulatorState(`${dir}/../${dir.split('/').pop() ?? ''}`);
    await a.partition('444444444444', 'us-east-1').transaction((tx) => tx.insertKey(keyRecord('k'), material(1)));
    expect(await b.partition('444444444444', 'us-east-1').getKey('k')).to.deep.equal(keyRecord('k'));
    expect(b.generation()).to.equal(a.generation());
    await a.close();
    await a.close(); // idempotent
    expect(await b.partition('444444444444', 'us-east-1').getKeyMaterial('k')).to.deep.equal(material(1));
    expect(() => a.partition('444444444444', 'us-east-1')).to.throw(SimulatorStateError, /was closed/);
    await b.close();
    const c = await openSimulatorState(dir);
    expect(await c.partition('444444444444', 'us-east-1').getKey('k')).to.deep.equal(keyRecord('k'));
    await c.close();
  });

  it('derives one marker secret per partition, the same after a reopen', async () => {
    const dir = root.dir();
    const a = await openSimulatorState(dir);
    const s1 = a.markerSecret('111122223333', 'us-east-1');
    const s2 = a.markerSecret('111122223333', 'us-west-2');
    await a.close();
    const b = await openSimulatorState(dir);
    expect(b.markerSecret('111122223333', 'us-east-1')).to.deep.equal(s1);
    expect(Buffer.from(s1).equals(Buffer.from(s2))).to.equal(false);
    expect(s1).to.have.length(32);
    await b.close();
  });

  it('refuses a partition that is not an account × Region', () => {
    expect(() => state.partition('12', 'us-east-1')).to.throw(/accountId must be 12 digits/);
    expect(() => state.partition('111122223333', 'us/east')).to.throw(/region must look like/);
  });

  describe('staged view (a transaction: the snapshot overlaid with its buffered writes)', () => {
    /** A committed view over a sorted Map. */
    const mapView = (entries: Map<string, Uint8Array>): KvReader => ({
      get: (key) => entries.get(key),
      range: (range, limit) =>
        [...entries.entries()]
          .filter(([k]) => inRange(k, range))
          .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
          .slice(0, limit ?? Number.POSITIVE_INFINITY),
    });
    const inRange = (k: string, r: SpaceRange) => (r.exclusiveStart ? k > r.start : k >= r.start) && k < r.end;

    it('lists the merge of committed and staged entries, shadowed and removed ones right (property)', () => {
      const keyArb = fc.stringMatching(/^[a-e]{1,3}$/);
      const op = fc.oneof(
        fc.record({ kind: fc.constant('put' as const), key: keyArb, value: fc.integer({ min: 0, max: 255 }) }),
        fc.record({ kind: fc.constant('remove' as const), key: keyArb }),
      );
      fc.assert(
        fc.property(
          fc.dictionary(keyArb, fc.integer({ min: 0, max: 255 })),
          fc.array(op, { maxLength: 12 }),
          fc.option(keyArb, { nil: undefined }),
          fc.boolean(),
          fc.option(fc.integer({ min: 0, max: 8 }), { nil: undefined }),
          (committed, ops, start, exclusiveStart, limit) => {
            const base = new Map(Object.entries(committed).map(([k, v]) => [k, Uint8Array.of(v)]));
            const staged = new StagedView(mapView(base));
            const model = new Map(base);
            for (const o of ops) {
              if (o.kind === 'put') {
                staged.put(o.key, Uint8Array.of(o.value));
                model.set(o.key, Uint8Array.of(o.value));
              } else {
                staged.remove(o.key);
                model.delete(o.key);
              }
            }
            const range: SpaceRange = { start: start ?? '', exclusiveStart: start !== undefined && exclusiveStart, end: 'd' };
            expect(staged.range(range, limit)).to.deep.equal(mapView(model).range(range, limit));
            for (const k of ['a', 'b', 'cc', 'e']) expect(staged.get(k)).to.deep.equal(model.get(k));
          },
        ),
        { numRuns: 300 },
      );
    });
  });

  it('key space: tables of a partition are ranges below the 0xff byte, deletion dates sort as numbers', () => {
    const space = new PartitionSpace('111122223333', 'us-east-1');
    const keys = space.keysAfter(undefined);
    expect(space.key('k') > keys.start && space.key('k') < keys.end).to.equal(true);
    expect(space.material('k') < keys.start || space.material('k') >= keys.end).to.equal(true);
    const due = space.deletionsDueBy(1000);
    expect(space.deletion('k', new Date(1000)) < due.end).to.equal(true);
    expect(space.deletion('k', new Date(1001)) < due.end).to.equal(false);
    expect(space.deletion('k', new Date(-5)) < due.end).to.equal(true);
    expect(space.keyIdOfDeletion(space.deletion('abc', new Date(7)))).to.equal('abc');
    expect(space.aliasNameOf(space.aliasOfKey('k1', 'alias/x/y'), 'k1')).to.equal('alias/x/y');
    expect(toSpace('é')).to.equal('\u00c3\u00a9');
  });
});
