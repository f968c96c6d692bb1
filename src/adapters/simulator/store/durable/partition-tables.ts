import type { AliasRecord, CustomKeyStoreRecord, GrantRecord, KeyMaterial, KeyRecord, KeyRotation } from '../simulator-store.js';
import { decodeGrant, encodeGrant } from './grant-codec.js';
import type { MaterialCipher } from './material-cipher.js';
import type { KvReader, StagedView } from './kv-view.js';
import type { PartitionSpace } from './key-space.js';
import { withMaterialId } from '../material-id.js';
import { decodeAlias, decodeCustomKeyStore, decodeKey, encodeAlias, encodeCustomKeyStore, encodeKey } from './record-codec.js';
import { SimulatorStateError } from './state-errors.js';

/** What the tables of one partition need: where they live, the cipher of the material, the directory (messages). */
export interface PartitionParts {
  readonly space: PartitionSpace;
  readonly cipher: MaterialCipher;
  readonly directory: string;
}

/**
 * The reads of one partition over a view of the key space (committed state, or a transaction's staged view).
 * Every listing is one range read of a table or an index: O(log n + page).
 */
export class PartitionReads {
  protected readonly parts: PartitionParts;
  protected readonly view: KvReader;

  constructor(parts: PartitionParts, view: KvReader) {
    this.parts = parts;
    this.view = view;
  }

  getKey(keyId: string): KeyRecord | undefined {
    const bytes = this.view.get(this.parts.space.key(keyId));
    return bytes === undefined ? undefined : decodeKey(bytes, this.parts.directory);
  }

  getKeyMaterial(keyId: string, keyMaterialId?: string): KeyMaterial | undefined {
    const { space } = this.parts;
    const at = keyMaterialId === undefined ? space.material(keyId) : space.earlierMaterial(keyId, keyMaterialId);
    const bytes = this.view.get(at);
    if (bytes === undefined) return undefined;
    const place = space.place(keyId, keyMaterialId);
    const material = this.parts.cipher.decrypt(bytes, place);
    if (material === undefined) {
      throw new SimulatorStateError(
        'ERR_STATE_CORRUPT',
        this.parts.directory,
        `SimulatedKms: the key material of ${place} in the state directory ${this.parts.directory} does not authenticate (a damaged database, or a key file of another directory)`,
      );
    }
    return material;
  }

  listKeys(page: { after?: string; limit: number }): KeyRecord[] {
    return this.view
      .range(this.parts.space.keysAfter(page.after), page.limit)
      .map(([, bytes]) => decodeKey(bytes, this.parts.directory));
  }

  keysDueForDeletion(now: Date): string[] {
    return this.view.range(this.parts.space.deletionsDueBy(now.getTime())).map(([key]) => this.parts.space.keyIdOfDeletion(key));
  }

  keysDueForRotation(now: Date): string[] {
    return this.view.range(this.parts.space.rotationsDueBy(now.getTime())).map(([key]) => this.parts.space.keyIdOfRotation(key));
  }

  getAlias(aliasName: string): AliasRecord | undefined {
    const bytes = this.view.get(this.parts.space.alias(aliasName));
    return bytes === undefined ? undefined : decodeAlias(bytes, this.parts.directory);
  }

  listAliases(page: { after?: string; limit: number; targetKeyId?: string }): AliasRecord[] {
    if (page.targetKeyId === undefined) {
      return this.view
        .range(this.parts.space.aliasesAfter(page.after), page.limit)
        .map(([, bytes]) => decodeAlias(bytes, this.parts.directory));
    }
    const aliases: AliasRecord[] = [];
    for (const name of this.aliasNamesOf(page.targetKeyId, page.after, page.limit)) {
      const alias = this.getAlias(name);
      if (alias !== undefined) aliases.push(alias);
    }
    return aliases;
  }

  countAliases(targetKeyId: string): number {
    return this.view.range(this.parts.space.aliasesOfKeyAfter(targetKeyId, undefined)).length;
  }

  getGrant(keyId: string, grantId: string): GrantRecord | undefined {
    const bytes = this.view.get(this.parts.space.grant(keyId, grantId));
    return bytes === undefined ? undefined : decodeGrant(bytes, this.parts.directory);
  }

  listGrants(page: { keyId?: string; after?: string; limit: number }): GrantRecord[] {
    return this.view
      .range(this.parts.space.grantsAfter(page.keyId, page.after), page.limit)
      .map(([, bytes]) => decodeGrant(bytes, this.parts.directory));
  }

  getCustomKeyStore(customKeyStoreId: string): CustomKeyStoreRecord | undefined {
    const bytes = this.view.get(this.parts.space.customKeyStore(customKeyStoreId));
    return bytes === undefined ? undefined : decodeCustomKeyStore(bytes, this.parts.directory);
  }

  listCustomKeyStores(page: { after?: string; limit: number }): CustomKeyStoreRecord[] {
    return this.view
      .range(this.parts.space.customKeyStoresAfter(page.after), page.limit)
      .map(([, bytes]) => decodeCustomKeyStore(bytes, this.parts.directory));
  }

  protected aliasNamesOf(keyId: string, after?: string, limit?: number): string[] {
    return this.view
      .range(this.parts.space.aliasesOfKeyAfter(keyId, after), limit)
      .map(([key]) => this.parts.space.aliasNameOf(key, keyId));
  }
}

/** Reads and writes of one partition inside a transaction: the writes are buffered in the staged view. */
export class PartitionWrites extends PartitionReads {
  readonly #staged: StagedView;

  constructor(parts: PartitionParts, staged: StagedView) {
    super(parts, staged);
    this.#staged = staged;
  }

  insertKey(record: KeyRecord, material: KeyMaterial | undefined): void {
    if (this.getKey(record.keyId) !== undefined) throw new Error(`DurableSimulatorStore: key ${record.keyId} exists`);
    this.#staged.put(this.parts.space.key(record.keyId), encodeKey(record));
    if (material !== undefined) this.#putMaterial(record, material);
    this.#index(record);
  }

  setKeyMaterial(record: KeyRecord, material: KeyMaterial | undefined): void {
    this.updateKey(record);
    if (material === undefined) this.#staged.remove(this.parts.space.material(record.keyId));
    else this.#putMaterial(record, material);
  }

  #putMaterial(record: KeyRecord, material: KeyMaterial): void {
    const { space, cipher } = this.parts;
    this.#staged.put(space.material(record.keyId), cipher.encrypt(withMaterialId(material, record), space.place(record.keyId)));
  }

  updateKey(record: KeyRecord): void {
    const before = this.getKey(record.keyId);
    if (before === undefined) throw new Error(`DurableSimulatorStore: key ${record.keyId} is absent`);
    this.#unindex(before);
    this.#staged.put(this.parts.space.key(record.keyId), encodeKey(record));
    this.#index(record);
  }

  rotateKeyMaterial(record: KeyRecord, material: KeyMaterial, previousKeyMaterialId: string): void {
    const { space, cipher } = this.parts;
    const current = this.getKeyMaterial(record.keyId);
    if (current === undefined) throw new Error(`DurableSimulatorStore: key ${record.keyId} is absent`);
    const retired = { ...current, keyMaterialId: previousKeyMaterialId };
    const earlier = cipher.encrypt(retired, space.place(record.keyId, previousKeyMaterialId));
    this.#staged.put(space.earlierMaterial(record.keyId, previousKeyMaterialId), earlier);
    this.#putMaterial(record, material);
    this.updateKey(record);
  }

  deleteKey(keyId: string): void {
    const { space } = this.parts;
    for (const name of this.aliasNamesOf(keyId)) this.#removeAlias(name, keyId);
    for (const [key] of this.view.range(space.grantsAfter(keyId, undefined))) this.#staged.remove(key);
    const before = this.getKey(keyId);
    if (before !== undefined) this.#unindex(before);
    for (const [key] of this.view.range(space.earlierMaterialsOf(keyId))) this.#staged.remove(key);
    this.#staged.remove(space.material(keyId));
    this.#staged.remove(space.key(keyId));
  }

  putAlias(alias: AliasRecord): void {
    const before = this.getAlias(alias.aliasName);
    if (before !== undefined) this.#staged.remove(this.parts.space.aliasOfKey(before.targetKeyId, alias.aliasName));
    this.#staged.put(this.parts.space.alias(alias.aliasName), encodeAlias(alias));
    this.#staged.put(this.parts.space.aliasOfKey(alias.targetKeyId, alias.aliasName), EMPTY);
  }

  deleteAlias(aliasName: string): boolean {
    const before = this.getAlias(aliasName);
    if (before === undefined) return false;
    this.#removeAlias(aliasName, before.targetKeyId);
    return true;
  }

  putGrant(grant: GrantRecord): void {
    this.#staged.put(this.parts.space.grant(grant.keyId, grant.grantId), encodeGrant(grant));
  }

  deleteGrant(keyId: string, grantId: string): boolean {
    if (this.getGrant(keyId, grantId) === undefined) return false;
    this.#staged.remove(this.parts.space.grant(keyId, grantId));
    return true;
  }

  putCustomKeyStore(record: CustomKeyStoreRecord): void {
    this.#staged.put(this.parts.space.customKeyStore(record.customKeyStoreId), encodeCustomKeyStore(record));
  }

  deleteCustomKeyStore(customKeyStoreId: string): boolean {
    if (this.getCustomKeyStore(customKeyStoreId) === undefined) return false;
    this.#staged.remove(this.parts.space.customKeyStore(customKeyStoreId));
    return true;
  }

  /** The index entries of a record: pending deletion by DeletionDate, due rotation by NextRotationDate. */
  #index(record: KeyRecord): void {
    const { space } = this.parts;
    if (record.deletionDate !== undefined) this.#staged.put(space.deletion(record.keyId, record.deletionDate), EMPTY);
    if (rotates(record)) this.#staged.put(space.rotation(record.keyId, record.rotation.nextRotationDate), EMPTY);
  }

  #unindex(record: KeyRecord): void {
    const { space } = this.parts;
    if (record.deletionDate !== undefined) this.#staged.remove(space.deletion(record.keyId, record.deletionDate));
    if (rotates(record)) this.#staged.remove(space.rotation(record.keyId, record.rotation.nextRotationDate));
  }

  #removeAlias(aliasName: string, targetKeyId: string): void {
    this.#staged.remove(this.parts.space.alias(aliasName));
    this.#staged.remove(this.parts.space.aliasOfKey(targetKeyId, aliasName));
  }
}

const EMPTY = new Uint8Array(0);

/** An Enabled key with automatic rotation: the keys the rotation index holds. */
function rotates(record: KeyRecord): record is KeyRecord & { rotation: KeyRotation } {
  return record.rotation !== undefined && record.keyState === 'Enabled';
}
