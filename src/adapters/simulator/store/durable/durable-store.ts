import type {
  AliasRecord,
  CustomKeyStoreRecord,
  GrantRecord,
  KeyMaterial,
  KeyRecord,
  SimulatorStore,
  SimulatorStoreTransaction,
} from '../simulator-store.js';
import type { PartitionSpace } from './key-space.js';
import { PartitionReads, PartitionWrites, type PartitionParts } from './partition-tables.js';
import type { StateEnvironment } from './state-environment.js';
import { SimulatorStateError } from './state-errors.js';

/**
 * The SimulatorStore of one account × Region of a state directory. Reads see the latest commit of any process;
 * `transaction` is optimistic (state-environment.ts): `fn` may run more than once, on a fresh snapshot each time,
 * and its writes reach the database together, in one lmdb write transaction, or not at all.
 */
export class DurableSimulatorStore implements SimulatorStore {
  readonly #environment: StateEnvironment;
  readonly #parts: PartitionParts;
  readonly #isOpen: () => boolean;

  /** `isOpen`: false once the SimulatorState this store came from is closed. */
  constructor(environment: StateEnvironment, space: PartitionSpace, isOpen: () => boolean) {
    this.#environment = environment;
    this.#parts = { space, cipher: environment.cipher, directory: environment.directory };
    this.#isOpen = isOpen;
  }

  get partition(): string {
    return this.#parts.space.name;
  }

  transaction<T>(fn: (tx: SimulatorStoreTransaction) => Promise<T>): Promise<T> {
    if (!this.#isOpen()) return Promise.reject(this.#closed());
    return this.#environment.transaction(async (staged) => {
      const state = { open: true };
      try {
        return await fn(new DurableTransaction(new PartitionWrites(this.#parts, staged), state));
      } finally {
        state.open = false;
      }
    });
  }

  async getKey(keyId: string): Promise<KeyRecord | undefined> {
    return this.#read((r) => r.getKey(keyId));
  }

  async getKeyMaterial(keyId: string, keyMaterialId?: string): Promise<KeyMaterial | undefined> {
    return this.#read((r) => r.getKeyMaterial(keyId, keyMaterialId));
  }

  async listKeys(page: { after?: string; limit: number }): Promise<KeyRecord[]> {
    return this.#read((r) => r.listKeys(page));
  }

  async keysDueForDeletion(now: Date): Promise<string[]> {
    return this.#read((r) => r.keysDueForDeletion(now));
  }

  async keysDueForRotation(now: Date): Promise<string[]> {
    return this.#read((r) => r.keysDueForRotation(now));
  }

  async getAlias(aliasName: string): Promise<AliasRecord | undefined> {
    return this.#read((r) => r.getAlias(aliasName));
  }

  async listAliases(page: { after?: string; limit: number; targetKeyId?: string }): Promise<AliasRecord[]> {
    return this.#read((r) => r.listAliases(page));
  }

  async countAliases(targetKeyId: string): Promise<number> {
    return this.#read((r) => r.countAliases(targetKeyId));
  }

  async getGrant(keyId: string, grantId: string): Promise<GrantRecord | undefined> {
    return this.#read((r) => r.getGrant(keyId, grantId));
  }

  async listGrants(page: { keyId?: string; after?: string; limit: number }): Promise<GrantRecord[]> {
    return this.#read((r) => r.listGrants(page));
  }

  async getCustomKeyStore(customKeyStoreId: string): Promise<CustomKeyStoreRecord | undefined> {
    return this.#read((r) => r.getCustomKeyStore(customKeyStoreId));
  }

  async listCustomKeyStores(page: { after?: string; limit: number }): Promise<CustomKeyStoreRecord[]> {
    return this.#read((r) => r.listCustomKeyStores(page));
  }

  /** Never shows key material: the partition only. */
  [Symbol.for('nodejs.util.inspect.custom')](): string {
    return `DurableSimulatorStore { partition: '${this.partition}' }`;
  }

  toJSON(): { partition: string } {
    return { partition: this.partition };
  }

  #read<T>(fn: (reads: PartitionReads) => T): T {
    if (!this.#isOpen()) throw this.#closed();
    return this.#environment.read((view) => fn(new PartitionReads(this.#parts, view)));
  }

  #closed(): SimulatorStateError {
    const { directory } = this.#parts;
    return new SimulatorStateError('ERR_STATE_CLOSED', directory, `SimulatedKms: the state directory ${directory} was closed`);
  }
}

/** One attempt of a transaction over the staged view; unusable once the attempt has ended. */
class DurableTransaction implements SimulatorStoreTransaction {
  readonly #tables: PartitionWrites;
  readonly #state: { open: boolean };

  constructor(tables: PartitionWrites, state: { open: boolean }) {
    this.#tables = tables;
    this.#state = state;
  }

  async getKey(keyId: string): Promise<KeyRecord | undefined> {
    return this.#open().getKey(keyId);
  }

  async getKeyMaterial(keyId: string, keyMaterialId?: string): Promise<KeyMaterial | undefined> {
    return this.#open().getKeyMaterial(keyId, keyMaterialId);
  }

  async listKeys(page: { after?: string; limit: number }): Promise<KeyRecord[]> {
    return this.#open().listKeys(page);
  }

  async keysDueForDeletion(now: Date): Promise<string[]> {
    return this.#open().keysDueForDeletion(now);
  }

  async keysDueForRotation(now: Date): Promise<string[]> {
    return this.#open().keysDueForRotation(now);
  }

  async getAlias(aliasName: string): Promise<AliasRecord | undefined> {
    return this.#open().getAlias(aliasName);
  }

  async listAliases(page: { after?: string; limit: number; targetKeyId?: string }): Promise<AliasRecord[]> {
    return this.#open().listAliases(page);
  }

  async countAliases(targetKeyId: string): Promise<number> {
    return this.#open().countAliases(targetKeyId);
  }

  async getGrant(keyId: string, grantId: string): Promise<GrantRecord | undefined> {
    return this.#open().getGrant(keyId, grantId);
  }

  async listGrants(page: { keyId?: string; after?: string; limit: number }): Promise<GrantRecord[]> {
    return this.#open().listGrants(page);
  }

  async putGrant(grant: GrantRecord): Promise<void> {
    this.#open().putGrant(grant);
  }

  async deleteGrant(keyId: string, grantId: string): Promise<boolean> {
    return this.#open().deleteGrant(keyId, grantId);
  }

  async getCustomKeyStore(customKeyStoreId: string): Promise<CustomKeyStoreRecord | undefined> {
    return this.#open().getCustomKeyStore(customKeyStoreId);
  }

  async listCustomKeyStores(page: { after?: string; limit: number }): Promise<CustomKeyStoreRecord[]> {
    return this.#open().listCustomKeyStores(page);
  }

  async putCustomKeyStore(record: CustomKeyStoreRecord): Promise<void> {
    this.#open().putCustomKeyStore(record);
  }

  async deleteCustomKeyStore(customKeyStoreId: string): Promise<boolean> {
    return this.#open().deleteCustomKeyStore(customKeyStoreId);
  }

  async insertKey(record: KeyRecord, material: KeyMaterial | undefined): Promise<void> {
    this.#open().insertKey(record, material);
  }

  async updateKey(record: KeyRecord): Promise<void> {
    this.#open().updateKey(record);
  }

  async setKeyMaterial(record: KeyRecord, material: KeyMaterial | undefined): Promise<void> {
    this.#open().setKeyMaterial(record, material);
  }

  async rotateKeyMaterial(record: KeyRecord, material: KeyMaterial, previousKeyMaterialId: string): Promise<void> {
    this.#open().rotateKeyMaterial(record, material, previousKeyMaterialId);
  }

  async deleteKey(keyId: string): Promise<void> {
    this.#open().deleteKey(keyId);
  }

  async putAlias(alias: AliasRecord): Promise<void> {
    this.#open().putAlias(alias);
  }

  async deleteAlias(aliasName: string): Promise<boolean> {
    return this.#open().deleteAlias(aliasName);
  }

  /** Never shows key material. */
  [Symbol.for('nodejs.util.inspect.custom')](): string {
    return `DurableSimulatorStore transaction { ${this.#state.open ? 'open' : 'ended'} }`;
  }

  #open(): PartitionWrites {
    if (!this.#state.open) throw new Error('DurableSimulatorStore: the transaction has ended');
    return this.#tables;
  }
}
