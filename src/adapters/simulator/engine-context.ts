import type { KmsCallOptions } from '../../ports/kms.port.js';
import { InvalidArgumentError } from '../../domain/errors.js';
import type { CryptoBackend } from './crypto/crypto-backend.js';
import type { KeyCrypto } from './crypto/signer.js';
import { ciphertextKeyMaterialId } from './crypto/symmetric-blob.js';
import { internal, invalidCiphertext, validationException } from './model/exceptions.js';
import { unknownTokens } from './model/grant-tokens.js';
import type { ArnScope } from './model/identifiers.js';
import type { Caller } from './model/caller.js';
import { originalMaterialId } from './model/key-materials.js';
import type { MarkerCodec } from './model/pagination.js';
import { KEY_STATE_POLICY, type KeyOperation, checkKeyState } from './rules/key-state-policy.js';
import { checkKeyStoreKey } from './rules/custom-key-store-rules.js';
import { expiredView } from './rules/import-rules.js';
import { settledMultiRegionKey } from './operations/multi-region-view.js';
import type { RegionLink } from './simulator-regions.js';
import type {
  KeyMaterial,
  KeyRecord,
  SimulatorStoreReader,
  SimulatorStoreTransaction,
} from './store/simulator-store.js';

/** A key found for an operation: its record and its key ARN (what the operation answers as KeyId). */
export interface ResolvedKey {
  readonly record: KeyRecord;
  readonly arn: string;
}

/** Decrypt without a KeyId: the key is the one the ciphertext names (`undefined` when it names none). */
export interface CiphertextKey {
  readonly ciphertextKeyId: string | undefined;
}

/** The context of a write: its store is the open transaction. */
export type TransactionContext = EngineContext<SimulatorStoreTransaction>;

/**
 * Runs `fn` after every earlier write, as one store transaction that first purges the keys whose deletion is due.
 * The facade (SimulatedKms) provides it; `options.abortSignal` is honoured before anything happens.
 */
export type WriteRunner = <T>(
  options: KmsCallOptions | undefined,
  fn: (tx: TransactionContext) => Promise<T>,
) => Promise<T>;

/**
 * Resolves once every earlier write has committed and every deletion that is due has happened (the facade's
 * cheap barrier: no transaction when no write is pending and nothing is due).
 */
export type ReadBarrier = (options: KmsCallOptions | undefined) => Promise<void>;

/** What one engine (one account in one Region) is made of; shared by every context of that engine. */
export interface EngineParts {
  readonly arns: ArnScope;
  /** Random bytes, key IDs and key pairs (crypto/crypto-backend.ts). */
  readonly crypto: CryptoBackend;
  readonly clock: () => Date;
  readonly keyCrypto: KeyCrypto;
  readonly markers: MarkerCodec;
  readonly runWrite: WriteRunner;
  /** Default: an empty write (a transaction that purges what is due). */
  readonly readBarrier?: ReadBarrier;
  /** With `enforcePolicies` only (operations/authorization.ts, docs/kms-behaviour.md §26): who may use a key. */
  readonly authorizer?: KeyAuthorizer;
  /** The other Regions of the account (multi-Region keys, docs/kms-behaviour.md §25). */
  readonly regions?: RegionLink;
}

/** What an operation tells `keyFor` for its authorization: ReEncrypt's permission per key, the encryption context. */
export interface KeyAccess {
  readonly permission?: 'ReEncryptFrom' | 'ReEncryptTo';
  readonly encryptionContext?: Readonly<Record<string, string>> | undefined;
}

/** The access decisions of `enforcePolicies`: the caller, the KeyId forms it may use, whether it may use a key. */
export interface KeyAuthorizer {
  caller(arns: ArnScope): Caller;
  /** Refuses a KeyId that names a key of the caller's own account when that is not this engine's. */
  checkReference(arns: ArnScope, value: string): void;
  authorize(ctx: EngineContext, operation: KeyOperation, key: ResolvedKey, access: KeyAccess): Promise<void>;
}

/**
 * What every operation works over: the ARN scope, the clock, the crypto backend, the signer, the marker codec, and one
 * view of the store — the store itself for reads, or an open transaction inside a write (`within`). Key lookup
 * for an operation goes through `keyFor` only, which applies the operation's row of the key-state policy table.
 */
export class EngineContext<S extends SimulatorStoreReader = SimulatorStoreReader> {
  readonly store: S;
  readonly #parts: EngineParts;
  readonly #inTransaction: boolean;

  constructor(parts: EngineParts, store: S, inTransaction = false) {
    this.#parts = parts;
    this.store = store;
    this.#inTransaction = inTransaction;
  }

  get arns(): ArnScope {
    return this.#parts.arns;
  }

  get accountId(): string {
    return this.#parts.arns.accountId;
  }

  get crypto(): CryptoBackend {
    return this.#parts.crypto;
  }

  get keyCrypto(): KeyCrypto {
    return this.#parts.keyCrypto;
  }

  get markers(): MarkerCodec {
    return this.#parts.markers;
  }

  /** The caller whose access `enforcePolicies` decides; undefined without that option (docs/kms-behaviour.md §26). */
  get enforcedCaller(): Caller | undefined {
    return this.#parts.authorizer?.caller(this.#parts.arns);
  }

  /** The Regions of the account; an engine without them has no other Region (an engine fault if asked). */
  get regions(): RegionLink {
    if (this.#parts.regions === undefined) throw internal('This engine has no other Regions.');
    return this.#parts.regions;
  }

  get inTransaction(): boolean {
    return this.#inTransaction;
  }

  /** The same engine over an open transaction. */
  within(tx: SimulatorStoreTransaction): TransactionContext {
    return new EngineContext(this.#parts, tx, true);
  }

  /** The clock's time, checked and copied. */
  now(): Date {
    const now = this.#parts.clock();
    if (!(now instanceof Date) || Number.isNaN(now.getTime())) {
      throw new InvalidArgumentError('SimulatedKms: clock() must return a valid Date');
    }
    return new Date(now.getTime());
  }

  /** One write operation: a store transaction after every earlier write and the lazy purge. */
  write<T>(options: KmsCallOptions | undefined, fn: (tx: TransactionContext) => Promise<T>): Promise<T> {
    if (this.#inTransaction) return Promise.reject(internal('A write was started inside a write.'));
    return this.#parts.runWrite(options, fn);
  }

  /** Before a read: every earlier write has committed and every deletion that is due has happened. */
  async beforeRead(options: KmsCallOptions | undefined): Promise<void> {
    const { readBarrier } = this.#parts;
    if (readBarrier !== undefined && !this.#inTransaction) return readBarrier(options);
    await this.write(options, async () => undefined);
  }

  /**
   * The key of `operation`: resolves `lookup` in the KeyId forms the operation takes (or, for Decrypt without a
   * KeyId, from the ciphertext), then admits it by the operation's row of the key-state policy table — grant
   * tokens first (a token of an existing grant is accepted, §22), then the key state.
   */
  async keyFor(
    operation: KeyOperation,
    lookup: string | CiphertextKey,
    grantTokens: readonly string[] = [],
    access: KeyAccess = {},
  ): Promise<ResolvedKey> {
    const { authorizer } = this.#parts;
    if (authorizer !== undefined && typeof lookup === 'string') authorizer.checkReference(this.arns, lookup);
    const found = typeof lookup === 'string' ? await this.#resolve(operation, lookup) : await this.#ciphertextKey(lookup);
    const key = await settledMultiRegionKey(this, await this.#expire(found));
    if (authorizer !== undefined) await authorizer.authorize(this, operation, key, access);
    const unknown = grantTokens.length === 0 ? grantTokens : await unknownTokens(this.store, grantTokens);
    checkKeyState(operation, key.record, key.arn, unknown);
    if (key.record.customKeyStoreId !== undefined) await checkKeyStoreKey(this.store, operation, key.record, key.arn);
    return key;
  }

  /** The material of a key this context found; its absence is an engine fault (KMSInternalException). */
  async material(keyId: string): Promise<KeyMaterial> {
    const material = await this.store.getKeyMaterial(keyId);
    if (material === undefined) throw internal(`The key material of ${this.arns.keyArn(keyId)} is missing.`);
    return material;
  }

  /** The key's original material (what it was created or seeded with), whatever rotations came since. */
  async originalMaterial(record: KeyRecord): Promise<KeyMaterial> {
    const first = record.keyMaterials?.[0]?.keyMaterialId;
    if (first === undefined || first === record.currentKeyMaterialId) return this.material(record.keyId);
    const material = await this.store.getKeyMaterial(record.keyId, first);
    if (material === undefined) throw internal(`The key material of ${this.arns.keyArn(record.keyId)} is missing.`);
    return material;
  }

  /**
   * The material of `record` that a symmetric ciphertext names (docs/kms-behaviour.md §21): the current one, or
   * an earlier one kept since a rotation; a version-1 blob names the key's original material. Undefined when the
   * blob is not one of the format or names no material of the key. Decrypt and ReEncrypt read their source here.
   */
  async ciphertextMaterial(record: KeyRecord, blob: Uint8Array): Promise<KeyMaterial | undefined> {
    const named = ciphertextKeyMaterialId(blob);
    if (named === undefined) return undefined;
    const original = originalMaterialId(record);
    const wanted = named ?? original;
    const current = await this.material(record.keyId);
    // Material stored before rotation existed carries no ID: it is the original.
    if ((current.keyMaterialId ?? original) === wanted) return current;
    return wanted === undefined ? undefined : this.store.getKeyMaterial(record.keyId, wanted);
  }

  /** Imported material past its ValidTo (docs/kms-behaviour.md §24): gone, and deleted from the store in a write. */
  async #expire(key: ResolvedKey): Promise<ResolvedKey> {
    const expired = expiredView(key.record, this.now());
    if (expired === undefined) return key;
    if (this.#inTransaction) await (this.store as unknown as SimulatorStoreTransaction).setKeyMaterial(expired, undefined);
    return { record: expired, arn: key.arn };
  }

  async #resolve(operation: KeyOperation, value: string): Promise<ResolvedKey> {
    const form = KEY_STATE_POLICY[operation].reference;
    const ref = form === 'key' ? this.arns.parseKeyOnlyReference(value) : this.arns.parseKeyReference(value);
    if ('aliasName' in ref) {
      if (form === 'alias-target') throw validationException('Aliases must refer to keys. Not aliases');
      const alias = await this.store.getAlias(ref.aliasName);
      const record = alias === undefined ? undefined : await this.store.getKey(alias.targetKeyId);
      if (record === undefined) throw this.arns.aliasNotFound(ref.aliasName);
      return { record, arn: this.arns.keyArn(record.keyId) };
    }
    const record = await this.store.getKey(ref.keyId);
    if (record === undefined) throw this.arns.keyNotFound(ref);
    return { record, arn: this.arns.keyArn(record.keyId) };
  }

  /**
   * The key a symmetric ciphertext names. A blob that names none, a key that no longer exists (deleted) or a key
   * that is not a symmetric encryption key is not a ciphertext of this account: InvalidCiphertextException.
   */
  async #ciphertextKey({ ciphertextKeyId }: CiphertextKey): Promise<ResolvedKey> {
    const record = ciphertextKeyId === undefined ? undefined : await this.store.getKey(ciphertextKeyId);
    if (record?.keySpec !== 'SYMMETRIC_DEFAULT') throw invalidCiphertext();
    return { record, arn: this.arns.keyArn(record.keyId) };
  }

  /** No store, no material: only what the engine is. */
  [Symbol.for('nodejs.util.inspect.custom')](): string {
    return `EngineContext { region: '${this.arns.region}', accountId: '${this.accountId}' }`;
  }

  toJSON(): { region: string; accountId: string } {
    return { region: this.arns.region, accountId: this.accountId };
  }
}

/** The SPKI of asymmetric key material; its absence is an engine fault (KMSInternalException). */
export function publicKeyOf(material: KeyMaterial, arn: string): Uint8Array {
  if (material.publicKey === undefined) throw internal(`The public key of ${arn} is missing.`);
  return material.publicKey;
}
