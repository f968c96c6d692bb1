/**
 * The custom key store table every SimulatorStore has (docs/kms-behaviour.md §23), run against each implementation:
 * put/replace/delete in transactions, ordered pages by ID, rollback, copies out, and the key members of a key in a
 * custom key store (customKeyStoreId, cloudHsmClusterId, xksKeyId) kept with the key record.
 */
import { expect } from 'chai';
import type { CustomKeyStoreRecord } from '../../../../src/adapters/simulator/store/simulator-store.js';
import { T0, keyRecord, material, type StoreUnderTest } from './simulator-store.contract.js';

export function customKeyStoreRecord(id: string, extra: Partial<CustomKeyStoreRecord> = {}): CustomKeyStoreRecord {
  return {
    customKeyStoreId: id,
    customKeyStoreName: `name-${id}`,
    customKeyStoreType: 'EXTERNAL_KEY_STORE',
    connectionState: 'DISCONNECTED',
    creationDate: T0,
    xksProxy: { connectivity: 'PUBLIC_ENDPOINT', accessKeyId: 'ABCDEFGHIJKLMNOPQRST', uriEndpoint: 'https://xks.example.com', uriPath: '/a/kms/xks/v1' },
    ...extra,
  };
}

export function customKeyStoreTableContract(subject: StoreUnderTest): void {
  describe('custom key store table', () => {
    it('puts, replaces, reads and deletes stores; a missing store reads as undefined', async () => {
      const store = await subject.create();
      expect(await store.getCustomKeyStore('cks-1')).to.equal(undefined);
      await store.transaction(async (tx) => {
        await tx.putCustomKeyStore(customKeyStoreRecord('cks-1'));
        const { xksProxy: _proxy, ...base } = customKeyStoreRecord('cks-2');
        await tx.putCustomKeyStore({ ...base, customKeyStoreType: 'AWS_CLOUDHSM', cloudHsmClusterId: 'cluster-1234567890abc', trustAnchorCertificate: 'PEM' });
        expect((await tx.getCustomKeyStore('cks-1'))?.customKeyStoreName).to.equal('name-cks-1');
      });
      await store.transaction((tx) => tx.putCustomKeyStore(customKeyStoreRecord('cks-1', { connectionState: 'CONNECTED' })));
      expect(await store.getCustomKeyStore('cks-1')).to.deep.equal(customKeyStoreRecord('cks-1', { connectionState: 'CONNECTED' }));
      const hsm = await store.getCustomKeyStore('cks-2');
      expect(hsm).to.include({ customKeyStoreType: 'AWS_CLOUDHSM', cloudHsmClusterId: 'cluster-1234567890abc', trustAnchorCertificate: 'PEM' });
      expect(hsm).not.to.have.property('xksProxy');
      expect(await store.transaction((tx) => tx.deleteCustomKeyStore('cks-2'))).to.equal(true);
      expect(await store.transaction((tx) => tx.deleteCustomKeyStore('cks-2'))).to.equal(false);
      expect(await store.getCustomKeyStore('cks-2')).to.equal(undefined);
    });

    it('lists stores in ascending ID order, a page after a given ID', async () => {
      const store = await subject.create();
      await store.transaction(async (tx) => {
        for (const id of ['cks-c', 'cks-a', 'cks-b', 'cks-d']) await tx.putCustomKeyStore(customKeyStoreRecord(id));
      });
      const ids = (page: CustomKeyStoreRecord[]) => page.map((s) => s.customKeyStoreId);
      expect(ids(await store.listCustomKeyStores({ limit: 10 }))).to.deep.equal(['cks-a', 'cks-b', 'cks-c', 'cks-d']);
      expect(ids(await store.listCustomKeyStores({ limit: 2 }))).to.deep.equal(['cks-a', 'cks-b']);
      expect(ids(await store.listCustomKeyStores({ after: 'cks-b', limit: 10 }))).to.deep.equal(['cks-c', 'cks-d']);
    });

    it('rolls back store writes with the transaction', async () => {
      const store = await subject.create();
      await store.transaction((tx) => tx.putCustomKeyStore(customKeyStoreRecord('cks-1')));
      const failed = store.transaction(async (tx) => {
        await tx.putCustomKeyStore(customKeyStoreRecord('cks-1', { customKeyStoreName: 'renamed' }));
        await tx.putCustomKeyStore(customKeyStoreRecord('cks-2'));
        await tx.deleteCustomKeyStore('cks-1');
        throw new Error('boom');
      });
      await failed.then(() => expect.fail('committed'), (e: Error) => expect(e.message).to.equal('boom'));
      expect((await store.getCustomKeyStore('cks-1'))?.customKeyStoreName).to.equal('name-cks-1');
      expect(await store.getCustomKeyStore('cks-2')).to.equal(undefined);
    });

    it('returns copies: changing what it returned changes nothing stored', async () => {
      const store = await subject.create();
      await store.transaction((tx) => tx.putCustomKeyStore(customKeyStoreRecord('cks-1')));
      const first = (await store.getCustomKeyStore('cks-1')) as CustomKeyStoreRecord;
      first.creationDate.setTime(0);
      (first.xksProxy as { uriPath: string }).uriPath = '/changed';
      expect(await store.getCustomKeyStore('cks-1')).to.deep.equal(customKeyStoreRecord('cks-1'));
    });

    it('keeps the custom key store members of a key record', async () => {
      const store = await subject.create();
      const key = keyRecord('k1', { origin: 'EXTERNAL_KEY_STORE', customKeyStoreId: 'cks-1', xksKeyId: 'xks-key-1' });
      const hsmKey = keyRecord('k2', { origin: 'AWS_CLOUDHSM', customKeyStoreId: 'cks-2', cloudHsmClusterId: 'cluster-1234567890abc' });
      await store.transaction(async (tx) => {
        await tx.insertKey(key, material(1));
        await tx.insertKey(hsmKey, material(2));
      });
      expect(await store.getKey('k1')).to.deep.equal(key);
      expect(await store.getKey('k2')).to.deep.equal(hsmKey);
    });
  });
}
