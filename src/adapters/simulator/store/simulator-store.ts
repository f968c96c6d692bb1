import { codeUnitOrder } from '../model/code-unit-order.js';
import type { KmsKeySpec, KmsKeyState, KmsKeyUsage, KmsOrigin } from '../../../ports/kms.port.js';

/**
 * Storage of the simulated KMS: key records, their key material and tags, and aliases.
 *
 * The interface is small and asynchronous so that a persistent implementation (an embedded database, key
 * material encrypted at rest) can satisfy it: key material is stored apart from the metadata and is only
 * returned by `getKeyMaterial`, listings are ordered by a unique column and start after a given value
 * (key-based pagination, an index range scan in SQL), and `deleteKey` removes a key with everything that hangs
 * off it in one step (one transaction). Implementations return fresh objects: nothing they return may share
 * mutable state with what they keep.
 *
 * The engine (SimulatedKms) serialises its own writes; an implementation shared between processes must make
 * each method atomic.
 */

/**
 * The key material of one KMS key: its **private key bytes** (or secret key bytes) and, for asymmetric keys, the
 * public key. It must never be logged, printed, serialised into an error or returned through the KmsPort: only the
 * simulator's cryptography reads it, and a durable store keeps it encrypted at rest, apart from the metadata.
 */
export interface KeyMaterial {
  readonly spec: KmsKeySpec;
  /**
   * Private key as PKCS#8 DER (asymmetric specs) or raw secret bytes (SYMMETRIC_DEFAULT 32 bytes, HMAC_224 28,
   * HMAC_256 32, HMAC_384 48, HMAC_512 64). Secret: never leaves the simulator.
   */
  readonly secret: Uint8Array;
  /** DER SubjectPublicKeyInfo, asymmetric specs only. */
  readonly publicKey?: Uint8Array;
}

/** A tag as stored: `seq` is the order in which the tag key was first set on the key. */
export interface StoredTag {
  readonly key: string;
  readonly value: string;
  readonly seq: number;
}

export interface KeyRecord {
  /** The bare key ID (UUID). */
  readonly keyId: string;
  readonly creationDate: Date;
  readonly description: string;
  readonly policy: string;
  readonly keySpec: KmsKeySpec;
  readonly keyUsage: KmsKeyUsage;
  readonly origin: KmsOrigin;
  readonly keyState: KmsKeyState;
  /** Present only while the key is PendingDeletion. */
  readonly deletionDate?: Date;
  /** 64 hex characters; symmetric encryption keys only. */
  readonly currentKeyMaterialId?: string;
  /** Ordered by `seq`. */
  readonly tags: readonly StoredTag[];
  /** The `seq` the next new tag key gets. */
  readonly nextTagSeq: number;
}

export interface AliasRecord {
  /** `alias/…` */
  readonly aliasName: string;
  /** The bare key ID of the target key. */
  readonly targetKeyId: string;
  readonly creationDate: Date;
  readonly lastUpdatedDate: Date;
}

export interface SimulatorStore {
  /** Adds a new key with its material. Rejects if the key ID exists. */
  insertKey(record: KeyRecord, material: KeyMaterial): Promise<void>;
  getKey(keyId: string): Promise<KeyRecord | undefined>;
  /** Replaces the record of an existing key (metadata and tags; the material never changes). */
  updateKey(record: KeyRecord): Promise<void>;
  getKeyMaterial(keyId: string): Promise<KeyMaterial | undefined>;
  /** Removes a key, its material, its tags and every alias that targets it. Absent keys are ignored. */
  deleteKey(keyId: string): Promise<void>;
  /** Up to `limit` keys with key ID greater than `after`, in ascending key ID order. */
  listKeys(page: { after?: string; limit: number }): Promise<KeyRecord[]>;
  /** Key IDs of keys pending deletion whose DeletionDate is at or before `now`. */
  keysDueForDeletion(now: Date): Promise<string[]>;

  getAlias(aliasName: string): Promise<AliasRecord | undefined>;
  /** Inserts or replaces the alias of that name. */
  putAlias(alias: AliasRecord): Promise<void>;
  /** Removes an alias; false if there was none. */
  deleteAlias(aliasName: string): Promise<boolean>;
  /**
   * Up to `limit` aliases with name greater than `after` (code-unit order, i.e. SQLite's BINARY collation for
   * these ASCII names), optionally only those targeting `targetKeyId`.
   */
  listAliases(page: { after?: string; limit: number; targetKeyId?: string }): Promise<AliasRecord[]>;
  countAliases(targetKeyId: string): Promise<number>;
}

/** The in-memory store: everything lives in this process, copies in and copies out. */
export class InMemorySimulatorStore implements SimulatorStore {
  readonly #keys = new Map<string, KeyRecord>();
  readonly #materials = new Map<string, KeyMaterial>();
  readonly #aliases = new Map<string, AliasRecord>();

  async insertKey(record: KeyRecord, material: KeyMaterial): Promise<void> {
    if (this.#keys.has(record.keyId)) throw new Error(`InMemorySimulatorStore: key ${record.keyId} exists`);
    this.#keys.set(record.keyId, structuredClone(record));
    this.#materials.set(record.keyId, structuredClone(material));
  }

  async getKey(keyId: string): Promise<KeyRecord | undefined> {
    const record = this.#keys.get(keyId);
    return record === undefined ? undefined : structuredClone(record);
  }

  async updateKey(record: KeyRecord): Promise<void> {
    if (!this.#keys.has(record.keyId)) throw new Error(`InMemorySimulatorStore: key ${record.keyId} is absent`);
    this.#keys.set(record.keyId, structuredClone(record));
  }

  async getKeyMaterial(keyId: string): Promise<KeyMaterial | undefined> {
    const material = this.#materials.get(keyId);
    return material === undefined ? undefined : structuredClone(material);
  }

  async deleteKey(keyId: string): Promise<void> {
    this.#keys.delete(keyId);
    this.#materials.delete(keyId);
    for (const [name, alias] of this.#aliases) if (alias.targetKeyId === keyId) this.#aliases.delete(name);
  }

  async listKeys(page: { after?: string; limit: number }): Promise<KeyRecord[]> {
    return [...this.#keys.keys()]
      .filter((id) => page.after === undefined || id > page.after)
      .sort(codeUnitOrder)
      .slice(0, page.limit)
      .map((id) => structuredClone(this.#keys.get(id) as KeyRecord));
  }

  async keysDueForDeletion(now: Date): Promise<string[]> {
    const due: string[] = [];
    for (const record of this.#keys.values()) {
      if (record.deletionDate !== undefined && record.deletionDate.getTime() <= now.getTime()) due.push(record.keyId);
    }
    return due;
  }

  async getAlias(aliasName: string): Promise<AliasRecord | undefined> {
    const alias = this.#aliases.get(aliasName);
    return alias === undefined ? undefined : structuredClone(alias);
  }

  async putAlias(alias: AliasRecord): Promise<void> {
    this.#aliases.set(alias.aliasName, structuredClone(alias));
  }

  async deleteAlias(aliasName: string): Promise<boolean> {
    return this.#aliases.delete(aliasName);
  }

  async listAliases(page: { after?: string; limit: number; targetKeyId?: string }): Promise<AliasRecord[]> {
    return [...this.#aliases.values()]
      .filter((a) => page.after === undefined || a.aliasName > page.after)
      .filter((a) => page.targetKeyId === undefined || a.targetKeyId === page.targetKeyId)
      .sort((a, b) => codeUnitOrder(a.aliasName, b.aliasName))
      .slice(0, page.limit)
      .map((a) => structuredClone(a));
  }

  async countAliases(targetKeyId: string): Promise<number> {
    let n = 0;
    for (const alias of this.#aliases.values()) if (alias.targetKeyId === targetKeyId) n += 1;
    return n;
  }

  /** Never shows key material. */
  [Symbol.for('nodejs.util.inspect.custom')](): string {
    return `InMemorySimulatorStore { keys: ${this.#keys.size}, aliases: ${this.#aliases.size} }`;
  }

  toJSON(): { keys: number; aliases: number } {
    return { keys: this.#keys.size, aliases: this.#aliases.size };
  }
}
