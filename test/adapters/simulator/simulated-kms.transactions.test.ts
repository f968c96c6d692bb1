/**
 * SimulatedKms over its store: each KMS write operation runs as one store transaction, the lazy purge of due keys
 * included; a failing operation leaves nothing behind; the engine's own faults (missing material) are
 * KMSInternalException with `$fault` server.
 */
import { expect } from 'chai';
import { InvalidArgumentError } from '../../../src/domain/errors.js';
import { KeyCrypto } from '../../../src/adapters/simulator/crypto/signer.js';
import { SimulatedKms } from '../../../src/adapters/simulator/simulated-kms.js';
import { InMemorySimulatorStore } from '../../../src/adapters/simulator/store/in-memory-store.js';
import type {
  KeyMaterial,
  SimulatorStore,
  SimulatorStoreTransaction,
} from '../../../src/adapters/simulator/store/simulator-store.js';
import { DAY_MS, ManualClock, bytes, createKey, expectKmsError, keyArn, newKms } from './simulator-test-kit.js';

/** An in-memory store that counts its transactions and can make one write of a transaction fail. */
class RecordingStore extends InMemorySimulatorStore {
  transactions = 0;
  failUpdateKey = false;

  override transaction<T>(fn: (tx: SimulatorStoreTransaction) => Promise<T>): Promise<T> {
    this.transactions += 1;
    return super.transaction((tx) =>
      fn({
        getKey: (keyId) => tx.getKey(keyId),
        getKeyMaterial: (keyId, keyMaterialId) => tx.getKeyMaterial(keyId, keyMaterialId),
        listKeys: (page) => tx.listKeys(page),
        keysDueForDeletion: (now) => tx.keysDueForDeletion(now),
        keysDueForRotation: (now) => tx.keysDueForRotation(now),
        getAlias: (aliasName) => tx.getAlias(aliasName),
        listAliases: (page) => tx.listAliases(page),
        countAliases: (targetKeyId) => tx.countAliases(targetKeyId),
        insertKey: (record, material) => tx.insertKey(record, material),
        updateKey: async (record) => {
          if (this.failUpdateKey) throw new Error('disk full');
          return tx.updateKey(record);
        },
        rotateKeyMaterial: (record, material, previous) => tx.rotateKeyMaterial(record, material, previous),
        setKeyMaterial: (record, material) => tx.setKeyMaterial(record, material),
        deleteKey: (keyId) => tx.deleteKey(keyId),
        putAlias: (alias) => tx.putAlias(alias),
        deleteAlias: (aliasName) => tx.deleteAlias(aliasName),
        getGrant: (keyId, grantId) => tx.getGrant(keyId, grantId),
        listGrants: (page) => tx.listGrants(page),
        putGrant: (grant) => tx.putGrant(grant),
        deleteGrant: (keyId, grantId) => tx.deleteGrant(keyId, grantId),
        getCustomKeyStore: (id) => tx.getCustomKeyStore(id),
        listCustomKeyStores: (page) => tx.listCustomKeyStores(page),
        putCustomKeyStore: (record) => tx.putCustomKeyStore(record),
        deleteCustomKeyStore: (id) => tx.deleteCustomKeyStore(id),
      }),
    );
  }
}

describe('adapters/simulator/SimulatedKms — store transactions', () => {
  it('runs each write as one transaction; a read needs one only to purge a due key; GenerateRandom needs none', async () => {
    const clock = new ManualClock();
    const store = new RecordingStore();
    const kms = newKms({ store, clock: clock.now });
    const key = await createKey(kms);
    const doomed = await createKey(kms);
    expect(store.transactions).to.equal(2);
    await kms.tagResource({ KeyId: key.KeyId, Tags: [{ TagKey: 'a', TagValue: '1' }] });
    await kms.createAlias({ AliasName: 'alias/one', TargetKeyId: key.KeyId });
    expect(store.transactions).to.equal(4);
    // No write pending and nothing due for deletion: reads open no transaction.
    await kms.describeKey({ KeyId: key.KeyId });
    await kms.listAliases({});
    expect(store.transactions).to.equal(4);
    await kms.scheduleKeyDeletion({ KeyId: doomed.KeyId, PendingWindowInDays: 7 });
    expect(store.transactions).to.equal(5);
    clock.advance(7 * DAY_MS);
    // A key is due: the next read purges it first, in one transaction, and sees it gone.
    await expectKmsError(kms.describeKey({ KeyId: doomed.KeyId }), 'NotFoundException');
    expect(store.transactions).to.equal(6);
    await kms.describeKey({ KeyId: key.KeyId });
    expect(store.transactions).to.equal(6);
    await kms.generateRandom({ NumberOfBytes: 8 });
    // Refused while reading the request: no transaction.
    await expectKmsError(kms.describeKey({ KeyId: '' }), 'ValidationException');
    expect(store.transactions).to.equal(6);
  });

  it('makes a read called while writes are pending wait for them (it sees them)', async () => {
    const store = new RecordingStore();
    const kms = newKms({ store });
    const key = await createKey(kms);
    const writes = [
      kms.createAlias({ AliasName: 'alias/pending', TargetKeyId: key.KeyId }),
      kms.tagResource({ KeyId: key.KeyId, Tags: [{ TagKey: 't', TagValue: 'v' }] }),
    ];
    const [described, tags, aliases] = await Promise.all([
      kms.describeKey({ KeyId: 'alias/pending' }),
      kms.listResourceTags({ KeyId: key.KeyId }),
      kms.listAliases({ KeyId: key.KeyId }),
      ...writes,
    ]);
    expect(described.KeyMetadata.KeyId).to.equal(key.KeyId);
    expect(tags.Tags).to.deep.equal([{ TagKey: 't', TagValue: 'v' }]);
    expect(aliases.Aliases.map((a) => a.AliasName)).to.deep.equal(['alias/pending']);
  });

  it('leaves the store as it was when a write inside the operation fails', async () => {
    const store = new RecordingStore();
    const kms = newKms({ store });
    const key = await createKey(kms);
    await kms.tagResource({ KeyId: key.KeyId, Tags: [{ TagKey: 'a', TagValue: '1' }] });
    const before = await store.getKey(key.KeyId);
    store.failUpdateKey = true;
    let thrown: unknown;
    try {
      await kms.tagResource({ KeyId: key.KeyId, Tags: [{ TagKey: 'b', TagValue: '2' }] });
    } catch (e) {
      thrown = e;
    }
    expect(String(thrown)).to.equal('Error: disk full');
    store.failUpdateKey = false;
    expect(await store.getKey(key.KeyId)).to.deep.equal(before);
    expect((await kms.listResourceTags({ KeyId: key.KeyId })).Tags).to.deep.equal([{ TagKey: 'a', TagValue: '1' }]);
  });

  it('purges due keys in the transaction of the write: a failing write rolls the purge back, the next one redoes it', async () => {
    const clock = new ManualClock();
    const store = new InMemorySimulatorStore();
    const forgotten: string[] = [];
    const forget = KeyCrypto.prototype.forget;
    KeyCrypto.prototype.forget = function (this: KeyCrypto, keyId: string) {
      forgotten.push(keyId);
      forget.call(this, keyId);
    };
    try {
      const kms = newKms({ clock: clock.now, store });
      const key = await createKey(kms);
      await kms.createAlias({ AliasName: 'alias/doomed', TargetKeyId: key.KeyId });
      await kms.scheduleKeyDeletion({ KeyId: key.KeyId, PendingWindowInDays: 7 });
      clock.advance(7 * DAY_MS);

      await expectKmsError(kms.createAlias({ AliasName: 'alias/doomed', TargetKeyId: key.KeyId }), 'NotFoundException');
      // That write failed, so its purge did not commit either.
      expect((await store.getKey(key.KeyId))?.keyState).to.equal('PendingDeletion');
      expect(await store.getAlias('alias/doomed')).to.not.equal(undefined);
      expect(forgotten).to.deep.equal([]);

      await expectKmsError(kms.describeKey({ KeyId: key.KeyId }), 'NotFoundException', `Key '${keyArn(key.KeyId)}' does not exist`);
      expect(await store.getKey(key.KeyId)).to.equal(undefined);
      expect(await store.getAlias('alias/doomed')).to.equal(undefined);
      expect(forgotten).to.deep.equal([key.KeyId]);
    } finally {
      KeyCrypto.prototype.forget = forget;
    }
  });

  it('refuses a store without transaction()', () => {
    const store = new InMemorySimulatorStore();
    const withoutTransactions = { getKey: store.getKey.bind(store), listAliases: store.listAliases.bind(store) };
    expect(() => new SimulatedKms({ store: withoutTransactions as unknown as SimulatorStore })).to.throw(
      InvalidArgumentError,
      'SimulatedKms: store must implement SimulatorStore',
    );
  });

  it('answers KMSInternalException (server) when a key’s material or public key is missing from the store', async () => {
    class LosingStore extends InMemorySimulatorStore {
      lose: 'material' | 'public key' | undefined;

      override async getKeyMaterial(keyId: string): Promise<KeyMaterial | undefined> {
        const material = await super.getKeyMaterial(keyId);
        if (this.lose === 'material' || material === undefined) return undefined;
        return this.lose === 'public key' ? { spec: material.spec, secret: material.secret } : material;
      }
    }
    const store = new LosingStore();
    const kms = newKms({ store });
    const ec = await createKey(kms, 'ECC_NIST_P256');
    const rsa = await createKey(kms, 'RSA_2048', 'ENCRYPT_DECRYPT');
    store.lose = 'material';
    await expectKmsError(
      kms.sign({ KeyId: ec.KeyId, Message: bytes('m'), SigningAlgorithm: 'ECDSA_SHA_256' }),
      'KMSInternalException',
      `The key material of ${ec.Arn} is missing.`,
      'server',
    );
    store.lose = 'public key';
    await expectKmsError(kms.getPublicKey({ KeyId: ec.KeyId }), 'KMSInternalException', `The public key of ${ec.Arn} is missing.`, 'server');
    await expectKmsError(
      kms.encrypt({ KeyId: rsa.KeyId, Plaintext: bytes('p'), EncryptionAlgorithm: 'RSAES_OAEP_SHA_256' }),
      'KMSInternalException',
      `The public key of ${rsa.Arn} is missing.`,
      'server',
    );
  });
});
