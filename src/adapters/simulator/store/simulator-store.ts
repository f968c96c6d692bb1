import type { KmsKeyLastUsageOperation, KmsKeySpec, KmsKeyState, KmsKeyUsage, KmsOrigin } from '../../../ports/kms.port.js';

/**
 * Storage of the simulated KMS: key records, their key material and tags, and aliases.
 *
 * The interface is small and asynchronous so that a persistent implementation (an embedded database, key
 * material encrypted at rest) can satisfy it: key material is stored apart from the metadata and is only
 * returned by `getKeyMaterial`, listings are ordered by a unique column and start after a given value
 * (key-based pagination, an index range scan in SQL: a page costs O(page + log n), never a scan of everything),
 * and `deleteKey` removes a key with everything that hangs off it. Implementations return fresh objects and copy
 * what they are given: nothing they return may share mutable state with what they keep.
 *
 * Reads go to the store; every write goes through `transaction` (see there), one transaction per KMS write
 * operation.
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
  /**
   * Symmetric encryption keys: the key material ID of this material, kept with it so that one read gives the
   * bytes and the ID that a ciphertext names together. The store sets it (from the record's
   * `currentKeyMaterialId` on `insertKey`, from `previousKeyMaterialId` for the material a rotation retires);
   * absent on material stored before key rotation existed, which is then the key's original material.
   */
  readonly keyMaterialId?: string;
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
  /** 64 hex characters; symmetric encryption keys only. Rotation replaces it (and the current material). */
  readonly currentKeyMaterialId?: string;
  /** Automatic rotation (docs/kms-behaviour.md §21): present only while it is enabled. */
  readonly rotation?: KeyRotation;
  /**
   * Every key material of the key in order of creation, the first the original: absent until the first rotation
   * (a key without it has the one material `currentKeyMaterialId`). Metadata only; the bytes are in the store's
   * material table.
   */
  readonly keyMaterials?: readonly KeyMaterialEntry[];
  /** Ordered by `seq`. */
  readonly tags: readonly StoredTag[];
  /** The `seq` the next new tag key gets. */
  readonly nextTagSeq: number;
  /** The last successful cryptographic operation with the key (GetKeyLastUsage); absent until the first. */
  readonly lastUsage?: KeyLastUsage;
  /** A key in a custom key store (docs/kms-behaviour.md §23): the store's ID, and its cluster (AWS_CLOUDHSM). */
  readonly customKeyStoreId?: string;
  readonly cloudHsmClusterId?: string;
  /** Origin EXTERNAL_KEY_STORE: the key's ID in the external key manager (XksKeyConfiguration.Id). */
  readonly xksKeyId?: string;
  /** Origin EXTERNAL (docs/kms-behaviour.md §24): absent until the first import. */
  readonly imported?: ImportedMaterial;
  /** A multi-Region key (docs/kms-behaviour.md §25): absent on single-Region keys. */
  readonly multiRegion?: MultiRegionRecord;
}

/**
 * What one Region's record of a multi-Region key knows: the primary's Region; the primary also lists the Regions
 * it replicated to (a listed Region whose key has since been deleted no longer counts). A replica in state
 * Creating has `readyAt`, when it becomes usable; a primary in PendingReplicaDeletion has its waiting period.
 */
export interface MultiRegionRecord {
  readonly primaryRegion: string;
  readonly replicaRegions?: readonly string[];
  readonly readyAt?: Date;
  readonly pendingWindowInDays?: number;
}

/**
 * The import state of a key of Origin EXTERNAL. `materialId` (an HMAC keyed by the material, never the material)
 * stays after DeleteImportedKeyMaterial or expiry, so that only the same material can be imported again;
 * `expirationModel` and `validTo` are present only while the material is (state Enabled or Disabled).
 */
export interface ImportedMaterial {
  readonly materialId: string;
  readonly expirationModel?: 'KEY_MATERIAL_EXPIRES' | 'KEY_MATERIAL_DOES_NOT_EXPIRE';
  readonly validTo?: Date;
}

/**
 * A custom key store (docs/kms-behaviour.md §23). Its secrets (KeyStorePassword, the XKS proxy's secret access key)
 * are checked and then dropped: nothing returns them, so nothing keeps them.
 */
export interface CustomKeyStoreRecord {
  /** `cks-` and 17 hexadecimal digits. */
  readonly customKeyStoreId: string;
  readonly customKeyStoreName: string;
  readonly customKeyStoreType: 'AWS_CLOUDHSM' | 'EXTERNAL_KEY_STORE';
  readonly connectionState: 'CONNECTED' | 'DISCONNECTED';
  readonly creationDate: Date;
  readonly cloudHsmClusterId?: string;
  readonly trustAnchorCertificate?: string;
  /** EXTERNAL_KEY_STORE only. */
  readonly xksProxy?: XksProxyRecord;
}

export interface XksProxyRecord {
  readonly connectivity: 'PUBLIC_ENDPOINT' | 'VPC_ENDPOINT_SERVICE';
  readonly accessKeyId: string;
  readonly uriEndpoint: string;
  readonly uriPath: string;
  readonly vpcEndpointServiceName?: string;
  readonly vpcEndpointServiceOwner?: string;
}

/** One successful cryptographic operation with a key, as GetKeyLastUsage reports it. */
export interface KeyLastUsage {
  readonly operation: KmsKeyLastUsageOperation;
  readonly timestamp: Date;
  /** KmsRequestId: a UUID per operation. */
  readonly requestId: string;
  /** CloudTrailEventId: another UUID per operation. */
  readonly eventId: string;
}

/** Automatic rotation of a symmetric key: every `periodInDays` days, the next time at `nextRotationDate`. */
export interface KeyRotation {
  readonly periodInDays: number;
  readonly nextRotationDate: Date;
}

/** One key material of a key: the original has neither `rotationDate` nor `rotationType`. */
export interface KeyMaterialEntry {
  readonly keyMaterialId: string;
  readonly rotationDate?: Date;
  readonly rotationType?: 'AUTOMATIC' | 'ON_DEMAND';
}

export interface AliasRecord {
  /** `alias/…` */
  readonly aliasName: string;
  /** The bare key ID of the target key. */
  readonly targetKeyId: string;
  readonly creationDate: Date;
  readonly lastUpdatedDate: Date;
}

/** A grant on a key (docs/kms-behaviour.md §22); deleting the key deletes its grants. */
export interface GrantRecord {
  /** The bare key ID of the key. */
  readonly keyId: string;
  /** 64 hex characters. */
  readonly grantId: string;
  readonly grantToken: string;
  readonly name?: string;
  readonly creationDate: Date;
  readonly granteePrincipal: string;
  readonly retiringPrincipal?: string;
  readonly issuingAccount: string;
  /** GrantOperation values, in request order. */
  readonly operations: readonly string[];
  readonly constraints?: {
    readonly encryptionContextSubset?: Readonly<Record<string, string>>;
    readonly encryptionContextEquals?: Readonly<Record<string, string>>;
  };
}

/** The reads of a store; inside a transaction they see that transaction's own writes. */
export interface SimulatorStoreReader {
  getKey(keyId: string): Promise<KeyRecord | undefined>;
  /**
   * The key's private material: for the simulator's cryptography only, never to be logged or returned. Without
   * `keyMaterialId`, the current material; with it, the earlier material of that id, kept since a rotation
   * (`rotateKeyMaterial`) — the current material is never returned by id.
   */
  getKeyMaterial(keyId: string, keyMaterialId?: string): Promise<KeyMaterial | undefined>;
  /** Up to `limit` keys with key ID greater than `after`, in ascending key ID order (code units). */
  listKeys(page: { after?: string; limit: number }): Promise<KeyRecord[]>;
  /** Key IDs of keys pending deletion whose DeletionDate is at or before `now`. */
  keysDueForDeletion(now: Date): Promise<string[]>;
  /** Key IDs of Enabled keys with automatic rotation whose NextRotationDate is at or before `now`. */
  keysDueForRotation(now: Date): Promise<string[]>;

  getAlias(aliasName: string): Promise<AliasRecord | undefined>;
  /**
   * Up to `limit` aliases with name greater than `after` (code-unit order, i.e. SQLite's BINARY collation for
   * these ASCII names), optionally only those targeting `targetKeyId`.
   */
  listAliases(page: { after?: string; limit: number; targetKeyId?: string }): Promise<AliasRecord[]>;
  /** How many aliases target the key (without listing them). */
  countAliases(targetKeyId: string): Promise<number>;

  getGrant(keyId: string, grantId: string): Promise<GrantRecord | undefined>;
  /**
   * Up to `limit` grants in ascending (key ID, grant ID) order after `after` (a position `listGrants` gave as
   * `<keyId>/<grantId>`), only those of `keyId` when given.
   */
  listGrants(page: { keyId?: string; after?: string; limit: number }): Promise<GrantRecord[]>;
  getCustomKeyStore(customKeyStoreId: string): Promise<CustomKeyStoreRecord | undefined>;
  /** Up to `limit` custom key stores with ID greater than `after`, in ascending ID order. */
  listCustomKeyStores(page: { after?: string; limit: number }): Promise<CustomKeyStoreRecord[]>;
}

/** The reads and writes of one open transaction. Once the transaction has ended, every method rejects. */
export interface SimulatorStoreTransaction extends SimulatorStoreReader {
  /**
   * Adds a new key with its material (a symmetric key's material is kept with the record's `currentKeyMaterialId`).
   * Rejects if the key ID exists.
   */
  insertKey(record: KeyRecord, material: KeyMaterial | undefined): Promise<void>;
  /**
   * Imported key material (docs/kms-behaviour.md §24): replaces the record (as `updateKey`) and makes `material`
   * the key's current material, or removes it (`undefined`: the key has none, PendingImport). Rejects if absent.
   */
  setKeyMaterial(record: KeyRecord, material: KeyMaterial | undefined): Promise<void>;
  /** Replaces the record of an existing key (metadata and tags; not the material). Rejects if absent. */
  updateKey(record: KeyRecord): Promise<void>;
  /**
   * Rotation: keeps the key's current material as the earlier material `previousKeyMaterialId` (readable by that
   * id from then on), makes `material` the current one and replaces the record (as `updateKey`). Rejects if the
   * key is absent.
   */
  rotateKeyMaterial(record: KeyRecord, material: KeyMaterial, previousKeyMaterialId: string): Promise<void>;
  /** Removes a key, its materials, its tags, its grants and every alias that targets it. Absent keys are ignored. */
  deleteKey(keyId: string): Promise<void>;
  /** Inserts or replaces the alias of that name. */
  putAlias(alias: AliasRecord): Promise<void>;
  /** Removes an alias; false if there was none. */
  deleteAlias(aliasName: string): Promise<boolean>;
  /** Inserts or replaces the grant (keyId, grantId). */
  putGrant(grant: GrantRecord): Promise<void>;
  /** Removes a grant; false if there was none. */
  deleteGrant(keyId: string, grantId: string): Promise<boolean>;
  /** Inserts or replaces the custom key store of that ID. */
  putCustomKeyStore(record: CustomKeyStoreRecord): Promise<void>;
  /** Removes a custom key store; false if there was none. */
  deleteCustomKeyStore(customKeyStoreId: string): Promise<boolean>;
}

export interface SimulatorStore extends SimulatorStoreReader {
  /**
   * Runs `fn` as one transaction and resolves with its result.
   *
   * - `fn` runs with exclusive write access: transactions of this store run one after another, never
   *   interleaved (the in-memory store queues them in call order). Not reentrant: calling `transaction` again from
   *   inside `fn` and awaiting it deadlocks.
   * - All writes made through `tx` commit together or none does: if `fn` throws (or its promise rejects),
   *   everything it wrote is rolled back and the error is passed on unchanged.
   * - Reads through `tx` see the transaction's own writes.
   * - Reads on the store itself, outside any transaction, see committed state and whatever an open transaction
   *   has written so far (the in-memory store writes in place and keeps an undo log); the engine never relies on
   *   an uncommitted write it did not make itself.
   * - An implementation shared between processes (a durable store) makes sure that a transaction of another
   *   process never interleaves either: by a lock taken here (`BEGIN IMMEDIATE` in SQLite), or optimistically, as
   *   the lmdb store does (store/durable/): `fn` runs over a snapshot with its writes buffered, and runs again on a
   *   fresh snapshot if another process committed in the meantime.
   * - So `fn` must be re-runnable: no effect outside `tx` that a second run would repeat or that the first run's
   *   (discarded) reads would have decided, and its result computed from what it read through `tx`. Slow or
   *   non-deterministic work that need not see the store (key generation) happens before the transaction. A
   *   durable store's reads outside a transaction see the latest commit of any process, never uncommitted writes.
   */
  transaction<T>(fn: (tx: SimulatorStoreTransaction) => Promise<T>): Promise<T>;
}
