/**
 * The grant table every SimulatorStore shares (docs/kms-behaviour.md §22), run against each implementation:
 * put/get/delete, listings in (key ID, grant ID) order after a position, per key or all, copies in and out,
 * rollback, and deleteKey taking the key's grants with it.
 */
import { expect } from 'chai';
import type { GrantRecord, SimulatorStore } from '../../../../src/adapters/simulator/store/simulator-store.js';
import { T0, keyRecord, material } from './simulator-store.contract.js';

const hex = (c: string): string => c.repeat(64);

export const grant = (keyId: string, grantId: string, extra: Partial<GrantRecord> = {}): GrantRecord => ({
  keyId,
  grantId,
  grantToken: `token-${keyId}-${grantId}`,
  creationDate: T0,
  granteePrincipal: 'arn:aws:iam::111122223333:role/app',
  issuingAccount: 'arn:aws:iam::111122223333:root',
  operations: ['Encrypt', 'Decrypt'],
  ...extra,
});

export function grantStoreContract(create: () => Promise<SimulatorStore>): void {
  describe('grants', () => {
    it('puts, gets, replaces and deletes a grant; lists per key and in all, after a position', async () => {
      const store = await create();
      await store.transaction(async (tx) => {
        await tx.insertKey(keyRecord('k1'), material(1));
        await tx.insertKey(keyRecord('k2'), material(2));
        for (const id of ['b', 'a', 'c']) await tx.putGrant(grant('k1', hex(id)));
        await tx.putGrant(grant('k2', hex('a'), { name: 'n', retiringPrincipal: 'arn:aws:iam::111122223333:root' }));
        expect((await tx.listGrants({ keyId: 'k1', limit: 10 })).map((g) => g.grantId)).to.deep.equal([hex('a'), hex('b'), hex('c')]);
      });
      expect(await store.getGrant('k1', hex('z'))).to.equal(undefined);
      expect(await store.getGrant('k2', hex('a'))).to.deep.equal(
        grant('k2', hex('a'), { name: 'n', retiringPrincipal: 'arn:aws:iam::111122223333:root' }),
      );
      const ids = (gs: GrantRecord[]): string[] => gs.map((g) => `${g.keyId}/${g.grantId[0]}`);
      expect(ids(await store.listGrants({ keyId: 'k1', limit: 2 }))).to.deep.equal(['k1/a', 'k1/b']);
      expect(ids(await store.listGrants({ keyId: 'k1', after: `k1/${hex('b')}`, limit: 10 }))).to.deep.equal(['k1/c']);
      expect(ids(await store.listGrants({ keyId: 'k2', after: `k1/${hex('b')}`, limit: 10 }))).to.deep.equal(['k2/a']);
      expect(ids(await store.listGrants({ keyId: 'k1', after: `k2/${hex('a')}`, limit: 10 }))).to.deep.equal([]);
      expect(ids(await store.listGrants({ limit: 10 }))).to.deep.equal(['k1/a', 'k1/b', 'k1/c', 'k2/a']);
      expect(ids(await store.listGrants({ after: `k1/${hex('c')}`, limit: 10 }))).to.deep.equal(['k2/a']);
      expect(ids(await store.listGrants({ keyId: 'k', limit: 10 }))).to.deep.equal([]);
      await store.transaction(async (tx) => {
        await tx.putGrant(grant('k1', hex('a'), { operations: ['Sign'] }));
        expect(await tx.deleteGrant('k1', hex('b'))).to.equal(true);
        expect(await tx.deleteGrant('k1', hex('b'))).to.equal(false);
      });
      expect((await store.getGrant('k1', hex('a')))?.operations).to.deep.equal(['Sign']);
      expect(ids(await store.listGrants({ keyId: 'k1', limit: 10 }))).to.deep.equal(['k1/a', 'k1/c']);
    });

    it('rolls grant writes back with the transaction, and deleteKey removes the key\'s grants only', async () => {
      const store = await create();
      await store.transaction(async (tx) => {
        await tx.insertKey(keyRecord('k1'), material(1));
        await tx.insertKey(keyRecord('k2'), material(2));
        await tx.putGrant(grant('k1', hex('a')));
        await tx.putGrant(grant('k2', hex('a')));
      });
      const failed = store.transaction(async (tx) => {
        await tx.putGrant(grant('k1', hex('b')));
        await tx.deleteGrant('k2', hex('a'));
        throw new Error('boom');
      });
      expect(await failed.then(() => 'resolved', (e: Error) => e.message)).to.equal('boom');
      expect((await store.listGrants({ limit: 10 })).map((g) => `${g.keyId}/${g.grantId[0]}`)).to.deep.equal(['k1/a', 'k2/a']);
      await store.transaction(async (tx) => tx.deleteKey('k1'));
      expect(await store.getGrant('k1', hex('a'))).to.equal(undefined);
      expect((await store.listGrants({ limit: 10 })).map((g) => g.keyId)).to.deep.equal(['k2']);
    });

    it('copies grants in and out (constraints, operations, dates)', async () => {
      const store = await create();
      const given = {
        ...grant('k1', hex('a')),
        operations: ['Encrypt'],
        creationDate: new Date(T0.getTime()),
        constraints: { encryptionContextSubset: { team: 'a' } },
      };
      await store.transaction(async (tx) => {
        await tx.insertKey(keyRecord('k1'), material(1));
        await tx.putGrant(given);
      });
      given.operations.push('Decrypt');
      given.creationDate.setTime(0);
      given.constraints.encryptionContextSubset.team = 'b';
      const out = await store.getGrant('k1', hex('a'));
      expect(out).to.deep.equal({ ...grant('k1', hex('a')), operations: ['Encrypt'], constraints: { encryptionContextSubset: { team: 'a' } } });
      (out?.operations as string[]).push('x');
      (out?.constraints?.encryptionContextSubset as Record<string, string>).team = 'c';
      const again = await store.listGrants({ keyId: 'k1', limit: 1 });
      expect(again[0]?.operations).to.deep.equal(['Encrypt']);
      expect(again[0]?.constraints).to.deep.equal({ encryptionContextSubset: { team: 'a' } });
    });
  });
}
