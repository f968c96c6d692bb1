/** Opening a state directory: one fixed map size, and a bounded retry when lmdb fails to open (a racing process). */
import { expect } from 'chai';
import { loadLmdb, type LmdbModule, type LmdbOpenOptions } from '../../../../../src/adapters/simulator/store/durable/lmdb-loader.js';
import { prepareDirectory } from '../../../../../src/adapters/simulator/store/durable/state-directory.js';
import { StateEnvironment } from '../../../../../src/adapters/simulator/store/durable/state-environment.js';
import { SimulatorStateError } from '../../../../../src/adapters/simulator/store/durable/state-errors.js';
import { TempRoot } from './durable-test-kit.js';

/** The real lmdb, whose `open` fails the first `failures` times as lmdb-js does when another process races it. */
function flakyLmdb(real: LmdbModule, failures: number): { lmdb: LmdbModule; calls: LmdbOpenOptions[] } {
  const calls: LmdbOpenOptions[] = [];
  const lmdb: LmdbModule = {
    ...real,
    open(options) {
      calls.push(options);
      if (calls.length <= failures) throw new Error('Invalid argument: No transaction to renew');
      return real.open(options);
    },
  };
  return { lmdb, calls };
}

describe('adapters/simulator/store/durable (opening)', () => {
  const root = new TempRoot();
  after(() => root.remove());

  it('opens every environment with the same fixed 8 GiB map, and tries again when lmdb fails to open', async () => {
    const dir = root.dir();
    const { lmdb, calls } = flakyLmdb(await loadLmdb(dir), 2);
    const environment = await StateEnvironment.open(prepareDirectory(dir), lmdb);
    try {
      expect(calls).to.have.length(3);
      expect(calls.map((c) => c.mapSize)).to.deep.equal([2 ** 33, 2 ** 33, 2 ** 33]);
      expect(environment.generation()).to.equal(0);
    } finally {
      await environment.close();
    }
  });

  it('gives up after five failed opens with ERR_STATE_OPEN naming the directory and lmdb’s error', async () => {
    const dir = root.dir();
    const { lmdb, calls } = flakyLmdb(await loadLmdb(dir), 5);
    const error = await StateEnvironment.open(prepareDirectory(dir), lmdb).then(
      () => expect.fail('expected the open to fail'),
      (e: unknown) => e as SimulatorStateError,
    );
    expect(calls).to.have.length(5);
    expect(error).to.be.instanceOf(SimulatorStateError);
    expect(error.code).to.equal('ERR_STATE_OPEN');
    expect(error.message).to.equal(
      `SimulatedKms: the state directory ${dir} could not be opened: Error: Invalid argument: No transaction to renew`,
    );
  });
});
