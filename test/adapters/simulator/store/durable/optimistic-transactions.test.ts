/**
 * The optimistic transactions of the durable store, made deterministic: a worker thread (lmdb-js shares the
 * environment between threads, so it is another writer) commits while a transaction runs. The transaction then
 * writes nothing and runs again on a fresh snapshot; one that never gets a quiet moment gives up with
 * ERR_STATE_CONFLICT, having written nothing.
 */
import { Worker } from 'node:worker_threads';
import { expect } from 'chai';
import { openSimulatorState, type SimulatorState } from '../../../../../src/adapters/simulator/store/durable/simulator-state.js';
import { MAX_ATTEMPTS } from '../../../../../src/adapters/simulator/store/durable/state-environment.js';
import { SimulatorStateError } from '../../../../../src/adapters/simulator/store/durable/state-errors.js';
import type { SimulatorStore } from '../../../../../src/adapters/simulator/store/simulator-store.js';
import { keyRecord, material } from '../simulator-store.contract.js';
import { FIXTURES, TempRoot } from './durable-test-kit.js';

describe('adapters/simulator/store/durable (optimistic transactions)', function () {
  this.timeout(30_000);
  const root = new TempRoot();
  let state: SimulatorState;
  let store: SimulatorStore;
  let worker: Worker;
  /** Has the worker commit key `keyId`; resolves once it has. */
  const commitElsewhere = (keyId: string): Promise<void> =>
    new Promise((resolve) => {
      worker.once('message', () => resolve());
      worker.postMessage({ keyId });
    });

  before(async () => {
    const dir = root.dir();
    state = await openSimulatorState(dir);
    store = state.partition('555555555555', 'us-east-1');
    const file = new URL('commit-worker.ts', `file://${FIXTURES}`).href;
    worker = new Worker(`import('tsx/esm/api').then(({ register }) => { register(); return import(${JSON.stringify(file)}); })`, {
      eval: true,
      workerData: dir,
    });
    await new Promise((resolve) => worker.once('message', resolve));
  });
  after(async () => {
    worker.postMessage({ close: true });
    await new Promise((resolve) => worker.once('exit', resolve));
    await state.close();
    root.remove();
  });

  it('runs fn again on a fresh snapshot when another writer committed in between; only the last run writes', async () => {
    const generation = state.generation();
    let runs = 0;
    const sawOther = await store.transaction(async (tx) => {
      runs++;
      const other = await tx.getKey('other');
      if (runs === 1) await commitElsewhere('other');
      await tx.insertKey(keyRecord(`mine-${runs}`), material(runs));
      return other !== undefined;
    });
    expect(runs).to.equal(2);
    expect(sawOther).to.equal(true);
    expect((await store.listKeys({ limit: 10 })).map((k) => k.keyId)).to.deep.equal(['mine-2', 'other']);
    expect(state.generation()).to.equal(generation + 2);
  });

  it('reads of one run are one snapshot: a commit elsewhere during the run is not seen by it', async () => {
    let runs = 0;
    const seen: Array<[boolean, boolean]> = [];
    await store.transaction(async (tx) => {
      runs++;
      const before = (await tx.getKey(`late-${runs}`)) !== undefined;
      if (runs === 1) await commitElsewhere('late-1');
      seen.push([before, (await tx.getKey('late-1')) !== undefined]);
      await tx.putAlias({ aliasName: `alias/run-${runs}`, targetKeyId: 'other', creationDate: new Date(0), lastUpdatedDate: new Date(0) });
    });
    expect(seen).to.deep.equal([
      [false, false],
      [false, true],
    ]);
    expect((await store.listAliases({ limit: 10 })).map((a) => a.aliasName)).to.deep.equal(['alias/run-2']);
  });

  it(`gives up after ${MAX_ATTEMPTS} runs that all met another commit, with ERR_STATE_CONFLICT and nothing written`, async () => {
    let runs = 0;
    let thrown: unknown;
    try {
      await store.transaction(async (tx) => {
        runs++;
        await tx.insertKey(keyRecord('never'), material(9));
        await commitElsewhere(`noise-${runs}`);
      });
    } catch (e) {
      thrown = e;
    }
    expect(runs).to.equal(MAX_ATTEMPTS);
    expect(thrown).to.be.instanceOf(SimulatorStateError);
    expect((thrown as SimulatorStateError).code).to.equal('ERR_STATE_CONFLICT');
    expect((thrown as Error).message).to.match(/nothing of it was written/);
    expect(await store.getKey('never')).to.equal(undefined);
    expect(await store.getKey(`noise-${MAX_ATTEMPTS}`)).to.not.equal(undefined);
  });
});
