/**
 * The behaviour every SimulatorStore shares, run against each implementation (the in-memory store, the durable
 * store): transactions (queued, all-or-nothing, own writes visible, unusable once ended), copies in and out, and
 * the indexes behind ListKeys/ListAliases pages and alias counts, checked against a plain model (a Map, sorted on
 * every read). Replay a property failure with FC_SEED=<seed>.
 */
import { inspect } from 'node:util';
import { expect } from 'chai';
import fc from 'fast-check';
import type {
  AliasRecord,
  KeyMaterial,
  KeyRecord,
  SimulatorStore,
  SimulatorStoreTransaction,
} from '../../../../src/adapters/simulator/store/simulator-store.js';

/** A store implementation under test. */
export interface StoreUnderTest {
  /** A fresh, empty store. */
  create(): Promise<SimulatorStore>;
  /** How a transaction of the store inspects, open or ended. */
  inspectTransaction(open: boolean): string;
  /** Runs of the model property (default 150). */
  propertyRuns?: number;
}

export const T0 = new Date('2026-01-01T00:00:00.000Z');

export function keyRecord(keyId: string, extra: Partial<KeyRecord> = {}): KeyRecord {
  return {
    keyId,
    creationDate: T0,
    description: '',
    policy: '{}',
    keySpec: 'SYMMETRIC_DEFAULT',
    keyUsage: 'ENCRYPT_DECRYPT',
    origin: 'AWS_KMS',
    keyState: 'Enabled',
    tags: [],
    nextTagSeq: 1,
    ...extra,
  };
}

export const material = (byte: number): KeyMaterial => ({ spec: 'SYMMETRIC_DEFAULT', secret: new Uint8Array(32).fill(byte) });
export const alias = (aliasName: string, targetKeyId: string): AliasRecord => ({
  aliasName,
  targetKeyId,
  creationDate: T0,
  lastUpdatedDate: T0,
});

/** Everything a store holds, as reads see it. */
async function snapshot(store: SimulatorStore, keyIds: readonly string[]) {
  const keys = await store.listKeys({ limit: 1000 });
  const aliases = await store.listAliases({ limit: 1000 });
  const materials = await Promise.all(keyIds.map((id) => store.getKeyMaterial(id)));
  const counts = await Promise.all(keyIds.map((id) => store.countAliases(id)));
  const due = await store.keysDueForDeletion(new Date(8.64e15));
  return { keys, aliases, materials, counts, due: [...due].sort() };
}

class Boom extends Error {}

/** The shared cases, inside the caller's describe. */
export function simulatorStoreContract(subject: StoreUnderTest): void {
  describe('transactions', () => {
    it('commits what fn wrote and resolves with its result; reads inside see the own writes', async () => {
      const store = await subject.create();
      const result = await store.transaction(async (tx) => {
        await tx.insertKey(keyRecord('k1'), material(1));
        expect(await tx.getKey('k1')).to.deep.equal(keyRecord('k1'));
        await tx.putAlias(alias('alias/a', 'k1'));
        expect(await tx.countAliases('k1')).to.equal(1);
        expect((await tx.listAliases({ limit: 10 })).map((a) => a.aliasName)).to.deep.equal(['alias/a']);
        return 'done';
      });
      expect(result).to.equal('done');
      expect(await store.getKey('k1')).to.deep.equal(keyRecord('k1'));
      expect(await store.getAlias('alias/a')).to.deep.equal(alias('alias/a', 'k1'));
    });

    it('rolls back every write of a transaction that throws, indexes included, and passes the error on', async () => {
      const store = await subject.create();
      const ids = ['k1', 'k2', 'k3'];
      await store.transaction(async (tx) => {
        await tx.insertKey(keyRecord('k1'), material(1));
        await tx.insertKey(keyRecord('k2', { keyState: 'PendingDeletion', deletionDate: T0 }), material(2));
        await tx.putAlias(alias('alias/one', 'k1'));
        await tx.putAlias(alias('alias/two', 'k2'));
        await tx.putAlias(alias('alias/three', 'k2'));
      });
      const before = await snapshot(store, ids);

      const boom = new Boom('after writing');
      let thrown: unknown;
      try {
        await store.transaction(async (tx) => {
          await tx.insertKey(keyRecord('k3'), material(3));
          await tx.updateKey(keyRecord('k1', { keyState: 'PendingDeletion', deletionDate: T0, description: 'x' }));
          await tx.deleteKey('k2');
          await tx.putAlias(alias('alias/one', 'k3'));
          await tx.putAlias(alias('alias/new', 'k3'));
          expect(await tx.deleteAlias('alias/new')).to.equal(true);
          await tx.putAlias(alias('alias/newer', 'k1'));
          expect(await tx.countAliases('k2')).to.equal(0);
          throw boom;
        });
      } catch (e) {
        thrown = e;
      }
      expect(thrown).to.equal(boom);
      expect(await snapshot(store, ids)).to.deep.equal(before);
      expect((await store.listAliases({ limit: 10, targetKeyId: 'k2' })).map((a) => a.aliasName)).to.deep.equal([
        'alias/three',
        'alias/two',
      ]);
    });

    it('rolls back a transaction whose store write is refused (an existing or an absent key)', async () => {
      const store = await subject.create();
      await store.transaction((tx) => tx.insertKey(keyRecord('k1'), material(1)));
      const refused = async (fn: (tx: SimulatorStoreTransaction) => Promise<void>, pattern: RegExp) => {
        let thrown: unknown;
        try {
          await store.transaction(fn);
        } catch (e) {
          thrown = e;
        }
        expect(String(thrown)).to.match(pattern);
      };
      await refused(async (tx) => {
        await tx.putAlias(alias('alias/a', 'k1'));
        await tx.insertKey(keyRecord('k1'), material(9));
      }, /key k1 exists/);
      await refused(async (tx) => {
        await tx.putAlias(alias('alias/b', 'k1'));
        await tx.updateKey(keyRecord('nope'));
      }, /key nope is absent/);
      expect(await store.listAliases({ limit: 10 })).to.deep.equal([]);
      expect(await store.getKeyMaterial('k1')).to.deep.equal(material(1));
    });

    it('runs transactions one after another in call order, never interleaved', async () => {
      const store = await subject.create();
      const events: string[] = [];
      const tick = () => new Promise((resolve) => setImmediate(resolve));
      const work = (name: string) =>
        store.transaction(async () => {
          events.push(`${name}:start`);
          await tick();
          await tick();
          events.push(`${name}:end`);
          return name;
        });
      const failing = store.transaction(async () => {
        events.push('f:start');
        await tick();
        throw new Boom('f');
      });
      const results = await Promise.allSettled([work('a'), failing, work('b')]);
      expect(results.map((r) => r.status)).to.deep.equal(['fulfilled', 'rejected', 'fulfilled']);
      // Queued first, the failing transaction runs first; its failure does not stop the queue.
      expect(events).to.deep.equal(['f:start', 'a:start', 'a:end', 'b:start', 'b:end']);
    });

    it('refuses every read and write through a transaction once it has ended', async () => {
      const store = await subject.create();
      let kept: SimulatorStoreTransaction | undefined;
      await store.transaction(async (tx) => {
        kept = tx;
      });
      let failed: SimulatorStoreTransaction | undefined;
      await store
        .transaction(async (tx) => {
          failed = tx;
          throw new Boom('x');
        })
        .catch(() => undefined);
      for (const tx of [kept, failed] as SimulatorStoreTransaction[]) {
        const calls: Array<() => Promise<unknown>> = [
          () => tx.getKey('k'),
          () => tx.getKeyMaterial('k'),
          () => tx.listKeys({ limit: 1 }),
          () => tx.keysDueForDeletion(T0),
          () => tx.getAlias('alias/a'),
          () => tx.listAliases({ limit: 1 }),
          () => tx.countAliases('k'),
          () => tx.insertKey(keyRecord('k'), material(1)),
          () => tx.updateKey(keyRecord('k')),
          () => tx.deleteKey('k'),
          () => tx.putAlias(alias('alias/a', 'k')),
          () => tx.deleteAlias('alias/a'),
        ];
        for (const call of calls) {
          let thrown: unknown;
          try {
            await call();
          } catch (e) {
            thrown = e;
          }
          expect(String(thrown)).to.match(/the transaction has ended/);
        }
        expect(inspect(tx)).to.equal(subject.inspectTransaction(false));
      }
      expect(await store.listKeys({ limit: 10 })).to.deep.equal([]);
    });
  });

  describe('copies and hygiene', () => {
    it('copies what it is given and what it returns', async () => {
      const store = await subject.create();
      const record = keyRecord('k1', { tags: [{ key: 't', value: 'v', seq: 1 }] });
      const secret = material(7);
      const name = alias('alias/a', 'k1');
      await store.transaction(async (tx) => {
        await tx.insertKey(record, secret);
        await tx.putAlias(name);
      });
      (record.tags as unknown as { value: string }[])[0]!.value = 'changed';
      secret.secret.fill(0);
      (name as { targetKeyId: string }).targetKeyId = 'other';
      const read = (await store.getKey('k1')) as KeyRecord;
      expect(read.tags[0]?.value).to.equal('v');
      expect((await store.getKeyMaterial('k1'))?.secret).to.deep.equal(new Uint8Array(32).fill(7));
      expect((await store.getAlias('alias/a'))?.targetKeyId).to.equal('k1');
      read.creationDate.setTime(0);
      ((await store.getKeyMaterial('k1')) as KeyMaterial).secret.fill(1);
      ((await store.listAliases({ limit: 1 }))[0] as { targetKeyId: string }).targetKeyId = 'x';
      expect((await store.getKey('k1'))?.creationDate).to.deep.equal(T0);
      expect((await store.listKeys({ limit: 1 }))[0]?.creationDate).to.deep.equal(T0);
      expect((await store.getKeyMaterial('k1'))?.secret).to.deep.equal(new Uint8Array(32).fill(7));
      expect((await store.getAlias('alias/a'))?.targetKeyId).to.equal('k1');
    });

    it('returns objects that share no object with one another (so none with what it keeps)', async () => {
      const store = await subject.create();
      const pending = keyRecord('k1', {
        keyState: 'PendingDeletion',
        deletionDate: new Date(T0.getTime() + 86_400_000),
        tags: [{ key: 't', value: 'v', seq: 1 }, { key: 'u', value: 'w', seq: 2 }],
        multiRegion: { primaryRegion: 'us-east-1', replicaRegions: ['eu-west-1'], readyAt: new Date(T0.getTime() + 1000) },
      });
      await store.transaction(async (tx) => {
        await tx.insertKey(pending, { spec: 'RSA_2048', secret: new Uint8Array(8).fill(3), publicKey: new Uint8Array(4).fill(4) });
        await tx.putAlias(alias('alias/a', 'k1'));
      });
      const reads = async () => [
        await store.getKey('k1'),
        await store.getKeyMaterial('k1'),
        await store.getAlias('alias/a'),
        await store.listKeys({ limit: 10 }),
        await store.listAliases({ limit: 10 }),
        await store.listAliases({ limit: 10, targetKeyId: 'k1' }),
      ];
      const [first, second] = [await reads(), await reads()];
      expect(first).to.deep.equal(second);
      const objects = (value: unknown, into = new Set<object>()): Set<object> => {
        if (typeof value !== 'object' || value === null || into.has(value)) return into;
        into.add(value);
        if (value instanceof Date || ArrayBuffer.isView(value)) return into;
        for (const member of Object.values(value)) objects(member, into);
        return into;
      };
      const seen = objects(first);
      const shared = [...objects(second)].filter((o) => seen.has(o));
      expect(shared).to.deep.equal([]);
      expect(seen.size).to.be.greaterThan(20);
      // Typed arrays: no shared buffer either.
      const buffers = (set: Set<object>) => [...set].filter(ArrayBuffer.isView).map((v) => v.buffer);
      const firstBuffers = new Set(buffers(seen));
      expect(buffers(objects(second)).filter((b) => firstBuffers.has(b))).to.deep.equal([]);
    });

    it('shows no material in any inspection or JSON', async () => {
      const store = await subject.create();
      await store.transaction(async (tx) => {
        await tx.insertKey(keyRecord('k1'), material(0xab));
        await tx.putAlias(alias('alias/a', 'k1'));
      });
      const secretHex = 'ab'.repeat(32);
      for (const text of [inspect(store, { showHidden: true, depth: Infinity }), JSON.stringify(store)]) {
        expect(text).not.to.include(secretHex);
        expect(text).not.to.include('171,171');
      }
      await store.transaction(async (tx) => {
        expect(inspect(tx, { showHidden: true, depth: Infinity })).to.equal(subject.inspectTransaction(true));
      });
    });
  });

  describe('key materials and rotation (schema 2)', () => {
    const id = (c: string): string => c.repeat(64);
    const rotated = (keyId: string, current: string, extra: Partial<KeyRecord> = {}): KeyRecord =>
      keyRecord(keyId, { currentKeyMaterialId: current, keyMaterials: [{ keyMaterialId: id('a') }], ...extra });

    it('keeps a symmetric key\'s material with its key material ID; a rotation keeps the earlier one by ID', async () => {
      const store = await subject.create();
      await store.transaction((tx) => tx.insertKey(keyRecord('k1', { currentKeyMaterialId: id('a') }), material(1)));
      expect(await store.getKeyMaterial('k1')).to.deep.equal({ ...material(1), keyMaterialId: id('a') });
      expect(await store.getKeyMaterial('k1', id('a'))).to.equal(undefined); // the current one is not read by ID
      const next = rotated('k1', id('b'), {
        keyMaterials: [{ keyMaterialId: id('a') }, { keyMaterialId: id('b'), rotationDate: T0, rotationType: 'ON_DEMAND' }],
      });
      await store.transaction(async (tx) => {
        await tx.rotateKeyMaterial(next, material(2), id('a'));
        expect(await tx.getKeyMaterial('k1')).to.deep.equal({ ...material(2), keyMaterialId: id('b') });
        expect(await tx.getKeyMaterial('k1', id('a'))).to.deep.equal({ ...material(1), keyMaterialId: id('a') });
      });
      expect(await store.getKey('k1')).to.deep.equal(next);
      expect(await store.getKeyMaterial('k1')).to.deep.equal({ ...material(2), keyMaterialId: id('b') });
      expect(await store.getKeyMaterial('k1', id('a'))).to.deep.equal({ ...material(1), keyMaterialId: id('a') });
      expect(await store.getKeyMaterial('k1', id('c'))).to.equal(undefined);
      await store.transaction((tx) => tx.rotateKeyMaterial(rotated('k1', id('c')), material(3), id('b')));
      expect(await store.getKeyMaterial('k1', id('b'))).to.deep.equal({ ...material(2), keyMaterialId: id('b') });
      expect(await store.getKeyMaterial('k1', id('a'))).to.deep.equal({ ...material(1), keyMaterialId: id('a') });
      await store.transaction((tx) => tx.deleteKey('k1'));
      for (const m of [undefined, id('a'), id('b'), id('c')]) expect(await store.getKeyMaterial('k1', m)).to.equal(undefined);
    });

    it('rolls a rotation back with the transaction, and refuses to rotate an absent key', async () => {
      const store = await subject.create();
      await store.transaction((tx) => tx.insertKey(keyRecord('k1', { currentKeyMaterialId: id('a') }), material(1)));
      const failed = store.transaction(async (tx) => {
        await tx.rotateKeyMaterial(rotated('k1', id('b')), material(2), id('a'));
        throw new Boom();
      });
      await failed.then(() => expect.fail('expected a rollback'), (e: unknown) => expect(e).to.be.instanceOf(Boom));
      expect(await store.getKey('k1')).to.deep.equal(keyRecord('k1', { currentKeyMaterialId: id('a') }));
      expect(await store.getKeyMaterial('k1')).to.deep.equal({ ...material(1), keyMaterialId: id('a') });
      expect(await store.getKeyMaterial('k1', id('a'))).to.equal(undefined);
      let refused = false;
      await store.transaction((tx) => tx.rotateKeyMaterial(rotated('k9', id('b')), material(2), id('a'))).catch(() => (refused = true));
      expect(refused).to.equal(true);
      expect(await store.getKey('k9')).to.equal(undefined);
    });

    it('finds the Enabled keys due for rotation by NextRotationDate, and follows every change of the record', async () => {
      const store = await subject.create();
      const at = (days: number): Date => new Date(T0.getTime() + days * 86_400_000);
      const rotation = (days: number) => ({ periodInDays: 90, nextRotationDate: at(days) });
      await store.transaction(async (tx) => {
        await tx.insertKey(keyRecord('k1', { rotation: rotation(10) }), material(1));
        await tx.insertKey(keyRecord('k2', { rotation: rotation(20) }), material(2));
        await tx.insertKey(keyRecord('k3'), material(3));
      });
      expect(await store.keysDueForRotation(at(9))).to.deep.equal([]);
      expect(await store.keysDueForRotation(at(10))).to.deep.equal(['k1']);
      expect((await store.keysDueForRotation(at(20))).sort()).to.deep.equal(['k1', 'k2']);
      await store.transaction((tx) => tx.updateKey(keyRecord('k1', { rotation: rotation(30) })));
      await store.transaction((tx) => tx.updateKey(keyRecord('k2', { rotation: rotation(20), keyState: 'Disabled' })));
      expect(await store.keysDueForRotation(at(20))).to.deep.equal([]);
      expect(await store.keysDueForRotation(at(30))).to.deep.equal(['k1']);
      await store.transaction((tx) => tx.updateKey(keyRecord('k2', { rotation: rotation(20) })));
      expect((await store.keysDueForRotation(at(30))).sort()).to.deep.equal(['k1', 'k2']);
      await store.transaction(async (tx) => {
        await tx.updateKey(keyRecord('k1'));
        await tx.deleteKey('k2');
      });
      expect(await store.keysDueForRotation(at(1000))).to.deep.equal([]);
      expect(await store.getKey('k1')).to.deep.equal(keyRecord('k1'));
    });

    it('copies the rotation members in and out', async () => {
      const store = await subject.create();
      const record = rotated('k1', id('b'), {
        rotation: { periodInDays: 365, nextRotationDate: new Date(T0.getTime() + 1) },
        keyMaterials: [{ keyMaterialId: id('a') }, { keyMaterialId: id('b'), rotationDate: T0, rotationType: 'AUTOMATIC' }],
      });
      await store.transaction((tx) => tx.insertKey(record, material(1)));
      const first = (await store.getKey('k1')) as KeyRecord;
      const second = (await store.getKey('k1')) as KeyRecord;
      expect(first).to.deep.equal(record);
      expect(first.rotation).to.not.equal(second.rotation);
      expect(first.rotation?.nextRotationDate).to.not.equal(second.rotation?.nextRotationDate);
      expect(first.keyMaterials?.[1]).to.not.equal(second.keyMaterials?.[1]);
      expect(first.keyMaterials?.[1]?.rotationDate).to.not.equal(second.keyMaterials?.[1]?.rotationDate);
    });
  });

  describe('listings and indexes', () => {
    it('lists keys by ID and aliases by name after a position, filtered by target, and counts per target', async () => {
      const store = await subject.create();
      await store.transaction(async (tx) => {
        for (const id of ['k3', 'k1', 'k2']) await tx.insertKey(keyRecord(id), material(1));
        for (const [name, target] of [['alias/c', 'k1'], ['alias/a', 'k2'], ['alias/b', 'k1'], ['alias/B', 'k2']]) {
          await tx.putAlias(alias(name as string, target as string));
        }
        await tx.putAlias(alias('alias/a', 'k1')); // moves alias/a from k2 to k1
      });
      expect((await store.listKeys({ limit: 10 })).map((k) => k.keyId)).to.deep.equal(['k1', 'k2', 'k3']);
      expect((await store.listKeys({ after: 'k1', limit: 1 })).map((k) => k.keyId)).to.deep.equal(['k2']);
      expect((await store.listKeys({ after: 'k3', limit: 5 })).map((k) => k.keyId)).to.deep.equal([]);
      const names = async (page: { after?: string; limit: number; targetKeyId?: string }) =>
        (await store.listAliases(page)).map((a) => a.aliasName);
      expect(await names({ limit: 10 })).to.deep.equal(['alias/B', 'alias/a', 'alias/b', 'alias/c']);
      expect(await names({ after: 'alias/a', limit: 2 })).to.deep.equal(['alias/b', 'alias/c']);
      expect(await names({ limit: 10, targetKeyId: 'k1' })).to.deep.equal(['alias/a', 'alias/b', 'alias/c']);
      expect(await names({ after: 'alias/a', limit: 1, targetKeyId: 'k1' })).to.deep.equal(['alias/b']);
      expect(await names({ limit: 10, targetKeyId: 'k2' })).to.deep.equal(['alias/B']);
      expect(await names({ limit: 10, targetKeyId: 'nobody' })).to.deep.equal([]);
      expect([await store.countAliases('k1'), await store.countAliases('k2'), await store.countAliases('k3')]).to.deep.equal([3, 1, 0]);

      await store.transaction((tx) => tx.deleteKey('k1'));
      expect(await names({ limit: 10 })).to.deep.equal(['alias/B']);
      expect(await store.countAliases('k1')).to.equal(0);
      expect(await store.getKeyMaterial('k1')).to.equal(undefined);
      await store.transaction((tx) => tx.deleteKey('k1')); // absent: ignored
      expect(await store.transaction((tx) => tx.deleteAlias('alias/zzz'))).to.equal(false);
    });

    it('finds the keys due for deletion, and forgets a DeletionDate that is removed', async () => {
      const store = await subject.create();
      const at = (ms: number) => new Date(T0.getTime() + ms);
      await store.transaction(async (tx) => {
        await tx.insertKey(keyRecord('k1', { keyState: 'PendingDeletion', deletionDate: at(10) }), material(1));
        await tx.insertKey(keyRecord('k2', { keyState: 'PendingDeletion', deletionDate: at(20) }), material(1));
        await tx.insertKey(keyRecord('k3'), material(1));
      });
      expect(await store.keysDueForDeletion(at(9))).to.deep.equal([]);
      expect(await store.keysDueForDeletion(at(10))).to.deep.equal(['k1']);
      expect((await store.keysDueForDeletion(at(20))).sort()).to.deep.equal(['k1', 'k2']);
      await store.transaction((tx) => tx.updateKey(keyRecord('k1', { keyState: 'Disabled' })));
      expect(await store.keysDueForDeletion(at(20))).to.deep.equal(['k2']);
    });

    it('agrees with a plain model under random writes, commits and rollbacks (property)', async () => {
      const keyIds = ['k0', 'k1', 'k2', 'k3'];
      const names = fc.constantFrom('alias/a', 'alias/b', 'alias/B', 'alias/c-d', 'alias/x/y', 'alias/_', 'alias/0');
      const op = fc.oneof(
        fc.record({ kind: fc.constant('put' as const), name: names, target: fc.constantFrom(...keyIds) }),
        fc.record({ kind: fc.constant('delete-alias' as const), name: names }),
        fc.record({ kind: fc.constant('delete-key' as const), keyId: fc.constantFrom(...keyIds) }),
      );
      const transaction = fc.record({ ops: fc.array(op, { maxLength: 6 }), fails: fc.boolean() });
      await fc.assert(
        fc.asyncProperty(fc.array(transaction, { maxLength: 8 }), fc.integer({ min: 1, max: 4 }), async (txs, limit) => {
          const store = await subject.create();
          await store.transaction(async (tx) => {
            for (const id of keyIds) await tx.insertKey(keyRecord(id), material(1));
          });
          let model = new Map<string, string>();
          let liveKeys = new Set(keyIds);
          for (const { ops, fails } of txs) {
            const next = new Map(model);
            const nextKeys = new Set(liveKeys);
            await store
              .transaction(async (tx) => {
                for (const o of ops) {
                  if (o.kind === 'put') {
                    await tx.putAlias(alias(o.name, o.target));
                    next.set(o.name, o.target);
                  } else if (o.kind === 'delete-alias') {
                    expect(await tx.deleteAlias(o.name)).to.equal(next.delete(o.name));
                  } else {
                    await tx.deleteKey(o.keyId);
                    nextKeys.delete(o.keyId);
                    for (const [n, t] of next) if (t === o.keyId) next.delete(n);
                  }
                }
                if (fails) throw new Boom('rollback');
              })
              .catch((e: unknown) => {
                if (!(e instanceof Boom)) throw e;
              });
            if (!fails) {
              model = next;
              liveKeys = nextKeys;
            }
            const sorted = [...model.keys()].sort();
            // Walk every listing page by page, as ListAliases does.
            for (const target of [undefined, ...keyIds]) {
              const expected = sorted.filter((n) => target === undefined || model.get(n) === target);
              const seen: string[] = [];
              let after: string | undefined;
              for (;;) {
                const page = await store.listAliases({ ...(after === undefined ? {} : { after }), limit, ...(target === undefined ? {} : { targetKeyId: target }) });
                seen.push(...page.map((a) => a.aliasName));
                if (page.length < limit) break;
                after = page[page.length - 1]?.aliasName;
              }
              expect(seen).to.deep.equal(expected);
              if (target !== undefined) expect(await store.countAliases(target)).to.equal(expected.length);
            }
            expect((await store.listKeys({ limit: 10 })).map((k) => k.keyId)).to.deep.equal([...liveKeys].sort());
          }
        }),
        { numRuns: subject.propertyRuns ?? 150 },
      );
    });
  });
}
