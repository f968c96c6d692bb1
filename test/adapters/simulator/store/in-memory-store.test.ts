/**
 * The in-memory SimulatorStore: the shared store behaviour (simulator-store.contract.ts — transactions, copies,
 * the sorted indexes against a plain model), plus what only it does: counts in its inspection. Replay a property
 * failure with FC_SEED=<seed>.
 */
import { inspect } from 'node:util';
import { expect } from 'chai';
import { InMemorySimulatorStore } from '../../../../src/adapters/simulator/store/in-memory-store.js';
import * as storeInterface from '../../../../src/adapters/simulator/store/simulator-store.js';
import { alias, keyRecord, material, simulatorStoreContract } from './simulator-store.contract.js';
import { grantStoreContract } from './grant-store.contract.js';
import { customKeyStoreTableContract } from './custom-key-store-table.contract.js';

describe('adapters/simulator/store/in-memory-store', () => {
  it('implements an interface module that is type-only (a durable store depends on nothing else)', () => {
    expect(Object.keys(storeInterface)).to.deep.equal([]);
  });

  simulatorStoreContract({
    create: async () => new InMemorySimulatorStore(),
    inspectTransaction: (open) => `InMemorySimulatorStore transaction { ${open ? 'open' : 'ended'} }`,
  });
  grantStoreContract(async () => new InMemorySimulatorStore());
  customKeyStoreTableContract({
    create: async () => new InMemorySimulatorStore(),
    inspectTransaction: (open) => `InMemorySimulatorStore transaction { ${open ? 'open' : 'ended'} }`,
  });

  it('shows counts only, never material', async () => {
    const store = new InMemorySimulatorStore();
    await store.transaction(async (tx) => {
      await tx.insertKey(keyRecord('k1'), material(0xab));
      await tx.putAlias(alias('alias/a', 'k1'));
    });
    expect(inspect(store)).to.equal('InMemorySimulatorStore { keys: 1, aliases: 1 }');
    expect(JSON.stringify(store)).to.equal('{"keys":1,"aliases":1}');
    await store.transaction(async (tx) => {
      expect(inspect(tx, { showHidden: true, depth: Infinity })).to.equal('InMemorySimulatorStore transaction { open }');
    });
  });
});
