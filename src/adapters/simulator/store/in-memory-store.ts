import { InMemoryTables, type Undo } from './in-memory-tables.js';
import { withMaterialId } from './material-id.js';
import type {
  AliasRecord,
  CustomKeyStoreRecord,
  GrantRecord,
  KeyMaterial,
  KeyMaterialEntry,
  KeyRecord,
  MultiRegionRecord,
  SimulatorStore,
  SimulatorStoreTransaction,
} from './simulator-store.js';

/**
 * The in-memory store: everything lives in this process, copies in (structuredClone) and copies out (field by
 * field, see `copyKey`: a read is on the path of every Sign, and structuredClone costs microseconds).
 *
 * Transactions run one after another in call order (a promise chain). A transaction writes in place and keeps an
 * undo log; a commit drops the log, a rollback runs it backwards. Listing a page of keys or aliases costs
 * O(log n + page) through the sorted indexes; counting a key's aliases is O(1) and deleting a key O(its aliases).
 */
export class InMemorySimulatorStore implements SimulatorStore {
  readonly #tables = new InMemoryTables();
  #queue: Promise<unknown> = Promise.resolve();

  transaction<T>(fn: (tx: SimulatorStoreTransaction) => Promise<T>): Promise<T> {
    const run = this.#queue.then(() => this.#run(fn));
    this.#queue = run.then(
      () => undefined,
      () => undefined,
    );
    return run;
  }

  async getKey(keyId: string): Promise<KeyRecord | undefined> {
    const record = this.#tables.key(keyId);
    return record === undefined ? undefined : copyKey(record);
  }

  async getKeyMaterial(keyId: string, keyMaterialId?: string): Promise<KeyMaterial | undefined> {
    const material =
      keyMaterialId === undefined ? this.#tables.material(keyId) : this.#tables.earlierMaterial(keyId, keyMaterialId);
    return material === undefined ? undefined : copyMaterial(material);
  }

  async listKeys(page: { after?: string; limit: number }): Promise<KeyRecord[]> {
    return this.#tables.keysAfter(page.after, page.limit).map(copyKey);
  }

  async keysDueForDeletion(now: Date): Promise<string[]> {
    return this.#tables.keysDueBy(now.getTime());
  }

  async keysDueForRotation(now: Date): Promise<string[]> {
    return this.#tables.keysRotationDueBy(now.getTime());
  }

  async getAlias(aliasName: string): Promise<AliasRecord | undefined> {
    const alias = this.#tables.alias(aliasName);
    return alias === undefined ? undefined : copyAlias(alias);
  }

  async listAliases(page: { after?: string; limit: number; targetKeyId?: string }): Promise<AliasRecord[]> {
    return this.#tables.aliasesAfter(page.after, page.limit, page.targetKeyId).map(copyAlias);
  }

  async countAliases(targetKeyId: string): Promise<number> {
    return this.#tables.aliasCountOf(targetKeyId);
  }

  async getGrant(keyId: string, grantId: string): Promise<GrantRecord | undefined> {
    const grant = this.#tables.grant(keyId, grantId);
    return grant === undefined ? undefined : copyGrant(grant);
  }

  async listGrants(page: { keyId?: string; after?: string; limit: number }): Promise<GrantRecord[]> {
    return this.#tables.grantsAfter(page.keyId, page.after, page.limit).map(copyGrant);
  }

  async getCustomKeyStore(customKeyStoreId: string): Promise<CustomKeyStoreRecord | undefined> {
    const record = this.#tables.customKeyStore(customKeyStoreId);
    return record === undefined ? undefined : copyCustomKeyStore(record);
  }

  async listCustomKeyStores(page: { after?: string; limit: number }): Promise<CustomKeyStoreRecord[]> {
    return this.#tables.customKeyStoresAfter(page.after, page.limit).map(copyCustomKeyStore);
  }

  /** Never shows key material. */
  [Symbol.for('nodejs.util.inspect.custom')](): string {
    return `InMemorySimulatorStore { keys: ${this.#tables.keyCount}, aliases: ${this.#tables.aliasCount} }`;
  }

  toJSON(): { keys: number; aliases: number } {
    return { keys: this.#tables.keyCount, aliases: this.#tables.aliasCount };
  }

  async #run<T>(fn: (tx: SimulatorStoreTransaction) => Promise<T>): Promise<T> {
    const state: TransactionState = { open: true, undo: [] };
    try {
      const result = await fn(new InMemoryTransaction(this, this.#tables, state));
      state.open = false;
      return result;
    } catch (error) {
      state.open = false;
      for (let i = state.undo.length - 1; i >= 0; i--) (state.undo[i] as Undo)();
      throw error;
    }
  }
}

/** What the store knows of a transaction it runs: whether it is still open, and how to undo its writes. */
interface TransactionState {
  open: boolean;
  readonly undo: Undo[];
}

/**
 * One transaction of an InMemorySimulatorStore: its reads are the store's (which show its own writes, made in
 * place), its writes record their undo in the state the store keeps. No read or write once it has ended.
 */
class InMemoryTransaction implements SimulatorStoreTransaction {
  readonly #store: InMemorySimulatorStore;
  readonly #tables: InMemoryTables;
  readonly #state: TransactionState;

  constructor(store: InMemorySimulatorStore, tables: InMemoryTables, state: TransactionState) {
    this.#store = store;
    this.#tables = tables;
    this.#state = state;
  }

  async getKey(keyId: string): Promise<KeyRecord | undefined> {
    this.#check();
    return this.#store.getKey(keyId);
  }

  async getKeyMaterial(keyId: string, keyMaterialId?: string): Promise<KeyMaterial | undefined> {
    this.#check();
    return this.#store.getKeyMaterial(keyId, keyMaterialId);
  }

  async listKeys(page: { after?: string; limit: number }): Promise<KeyRecord[]> {
    this.#check();
    return this.#store.listKeys(page);
  }

  async keysDueForDeletion(now: Date): Promise<string[]> {
    this.#check();
    return this.#store.keysDueForDeletion(now);
  }

  async keysDueForRotation(now: Date): Promise<string[]> {
    this.#check();
    return this.#store.keysDueForRotation(now);
  }

  async getAlias(aliasName: string): Promise<AliasRecord | undefined> {
    this.#check();
    return this.#store.getAlias(aliasName);
  }

  async listAliases(page: { after?: string; limit: number; targetKeyId?: string }): Promise<AliasRecord[]> {
    this.#check();
    return this.#store.listAliases(page);
  }

  async countAliases(targetKeyId: string): Promise<number> {
    this.#check();
    return this.#store.countAliases(targetKeyId);
  }

  async getGrant(keyId: string, grantId: string): Promise<GrantRecord | undefined> {
    this.#check();
    return this.#store.getGrant(keyId, grantId);
  }

  async listGrants(page: { keyId?: string; after?: string; limit: number }): Promise<GrantRecord[]> {
    this.#check();
    return this.#store.listGrants(page);
  }

  async putGrant(grant: GrantRecord): Promise<void> {
    this.#check();
    this.#tables.setGrant(grant.keyId, grant.grantId, structuredClone(grant), this.#state.undo);
  }

  async deleteGrant(keyId: string, grantId: string): Promise<boolean> {
    this.#check();
    if (this.#tables.grant(keyId, grantId) === undefined) return false;
    this.#tables.setGrant(keyId, grantId, undefined, this.#state.undo);
    return true;
  }

  async getCustomKeyStore(customKeyStoreId: string): Promise<CustomKeyStoreRecord | undefined> {
    this.#check();
    return this.#store.getCustomKeyStore(customKeyStoreId);
  }

  async listCustomKeyStores(page: { after?: string; limit: number }): Promise<CustomKeyStoreRecord[]> {
    this.#check();
    return this.#store.listCustomKeyStores(page);
  }

  async putCustomKeyStore(record: CustomKeyStoreRecord): Promise<void> {
    this.#check();
    this.#tables.setCustomKeyStore(record.customKeyStoreId, structuredClone(record), this.#state.undo);
  }

  async deleteCustomKeyStore(customKeyStoreId: string): Promise<boolean> {
    this.#check();
    if (this.#tables.customKeyStore(customKeyStoreId) === undefined) return false;
    this.#tables.setCustomKeyStore(customKeyStoreId, undefined, this.#state.undo);
    return true;
  }

  async insertKey(record: KeyRecord, material: KeyMaterial | undefined): Promise<void> {
    this.#check();
    if (this.#tables.key(record.keyId) !== undefined) {
      throw new Error(`InMemorySimulatorStore: key ${record.keyId} exists`);
    }
    this.#tables.setKey(record.keyId, structuredClone(record), this.#state.undo);
    if (material !== undefined) this.#tables.setMaterial(record.keyId, structuredClone(withMaterialId(material, record)), this.#state.undo);
  }

  async setKeyMaterial(record: KeyRecord, material: KeyMaterial | undefined): Promise<void> {
    await this.updateKey(record);
    const stored = material === undefined ? undefined : structuredClone(withMaterialId(material, record));
    this.#tables.setMaterial(record.keyId, stored, this.#state.undo);
  }

  async updateKey(record: KeyRecord): Promise<void> {
    this.#check();
    if (this.#tables.key(record.keyId) === undefined) {
      throw new Error(`InMemorySimulatorStore: key ${record.keyId} is absent`);
    }
    this.#tables.setKey(record.keyId, structuredClone(record), this.#state.undo);
  }

  async rotateKeyMaterial(record: KeyRecord, material: KeyMaterial, previousKeyMaterialId: string): Promise<void> {
    this.#check();
    const current = this.#tables.material(record.keyId);
    if (this.#tables.key(record.keyId) === undefined || current === undefined) {
      throw new Error(`InMemorySimulatorStore: key ${record.keyId} is absent`);
    }
    const retired = { ...current, keyMaterialId: previousKeyMaterialId };
    this.#tables.setEarlierMaterial(record.keyId, [previousKeyMaterialId, retired], this.#state.undo);
    this.#tables.setMaterial(record.keyId, structuredClone(withMaterialId(material, record)), this.#state.undo);
    this.#tables.setKey(record.keyId, structuredClone(record), this.#state.undo);
  }

  async deleteKey(keyId: string): Promise<void> {
    this.#check();
    for (const aliasName of this.#tables.aliasNamesOf(keyId)) this.#tables.setAlias(aliasName, undefined, this.#state.undo);
    for (const grantId of this.#tables.grantIdsOf(keyId)) this.#tables.setGrant(keyId, grantId, undefined, this.#state.undo);
    this.#tables.setMaterial(keyId, undefined, this.#state.undo);
    this.#tables.setEarlierMaterial(keyId, undefined, this.#state.undo);
    this.#tables.setKey(keyId, undefined, this.#state.undo);
  }

  async putAlias(alias: AliasRecord): Promise<void> {
    this.#check();
    this.#tables.setAlias(alias.aliasName, structuredClone(alias), this.#state.undo);
  }

  async deleteAlias(aliasName: string): Promise<boolean> {
    this.#check();
    if (this.#tables.alias(aliasName) === undefined) return false;
    this.#tables.setAlias(aliasName, undefined, this.#state.undo);
    return true;
  }

  /** Never shows key material. */
  [Symbol.for('nodejs.util.inspect.custom')](): string {
    return `InMemorySimulatorStore transaction { ${this.#state.open ? 'open' : 'ended'} }`;
  }

  #check(): void {
    if (!this.#state.open) throw new Error('InMemorySimulatorStore: the transaction has ended');
  }
}

/*
 * Copies out. The records are flat (simulator-store.ts): strings and numbers, plus the Dates and the tag list
 * copied here; a new object-valued member of KeyRecord, AliasRecord or KeyMaterial must be copied here too
 * (the store tests check that nothing returned shares an object with what the store keeps).
 */

const copyDate = (date: Date): Date => new Date(date.getTime());

export function copyKey(record: KeyRecord): KeyRecord {
  const { creationDate, deletionDate, tags, lastUsage, rotation, keyMaterials, imported, multiRegion } = record;
  return {
    ...record,
    creationDate: copyDate(creationDate),
    ...(deletionDate === undefined ? {} : { deletionDate: copyDate(deletionDate) }),
    ...(lastUsage === undefined ? {} : { lastUsage: { ...lastUsage, timestamp: copyDate(lastUsage.timestamp) } }),
    ...(rotation === undefined ? {} : { rotation: { ...rotation, nextRotationDate: copyDate(rotation.nextRotationDate) } }),
    ...(keyMaterials === undefined ? {} : { keyMaterials: keyMaterials.map(copyMaterialEntry) }),
    ...(imported === undefined ? {} : { imported: { ...imported, ...(imported.validTo === undefined ? {} : { validTo: copyDate(imported.validTo) }) } }),
    ...(multiRegion === undefined ? {} : { multiRegion: copyMultiRegion(multiRegion) }),
    tags: tags.map((tag) => ({ ...tag })),
  };
}

function copyMultiRegion({ replicaRegions, readyAt, ...rest }: MultiRegionRecord): MultiRegionRecord {
  return {
    ...rest,
    ...(replicaRegions === undefined ? {} : { replicaRegions: [...replicaRegions] }),
    ...(readyAt === undefined ? {} : { readyAt: copyDate(readyAt) }),
  };
}

function copyMaterialEntry(entry: KeyMaterialEntry): KeyMaterialEntry {
  return entry.rotationDate === undefined ? { ...entry } : { ...entry, rotationDate: copyDate(entry.rotationDate) };
}

export function copyCustomKeyStore(record: CustomKeyStoreRecord): CustomKeyStoreRecord {
  const { xksProxy } = record;
  return { ...record, creationDate: copyDate(record.creationDate), ...(xksProxy === undefined ? {} : { xksProxy: { ...xksProxy } }) };
}

export function copyAlias(alias: AliasRecord): AliasRecord {
  return { ...alias, creationDate: copyDate(alias.creationDate), lastUpdatedDate: copyDate(alias.lastUpdatedDate) };
}

export function copyGrant(grant: GrantRecord): GrantRecord {
  const { constraints } = grant;
  return {
    ...grant,
    creationDate: copyDate(grant.creationDate),
    operations: [...grant.operations],
    ...(constraints === undefined ? {} : { constraints: copyConstraints(constraints) }),
  };
}

function copyConstraints(constraints: NonNullable<GrantRecord['constraints']>): NonNullable<GrantRecord['constraints']> {
  const { encryptionContextSubset: subset, encryptionContextEquals: equals } = constraints;
  return {
    ...(subset === undefined ? {} : { encryptionContextSubset: { ...subset } }),
    ...(equals === undefined ? {} : { encryptionContextEquals: { ...equals } }),
  };
}

export function copyMaterial(material: KeyMaterial): KeyMaterial {
  const { publicKey } = material;
  return {
    ...material,
    secret: new Uint8Array(material.secret),
    ...(publicKey === undefined ? {} : { publicKey: new Uint8Array(publicKey) }),
  };
}
