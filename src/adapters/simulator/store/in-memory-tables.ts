import type { AliasRecord, CustomKeyStoreRecord, GrantRecord, KeyMaterial, KeyRecord } from './simulator-store.js';
import { SortedStrings } from './sorted-strings.js';

/** Puts back what one write changed; a transaction keeps these in order and runs them backwards on rollback. */
export type Undo = () => void;

/**
 * The tables of the in-memory store and their indexes: keys by ID (plus their IDs in order and the keys pending
 * deletion), key material by key ID, aliases by name (plus the names in order, and per target key its alias
 * names in order). Every write keeps the indexes in step and records how to undo itself.
 *
 * Records are kept as given: the store copies them on the way in (structuredClone) and never changes one in
 * place, so an undo can put the previous object back.
 */
export class InMemoryTables {
  readonly #keys = new Map<string, KeyRecord>();
  readonly #keyIds = new SortedStrings();
  /** Key ID → DeletionDate in ms, for the keys that have one. */
  readonly #deletions = new Map<string, number>();
  readonly #materials = new Map<string, KeyMaterial>();
  /** Key ID → its earlier materials (kept since a rotation) by key material ID. */
  readonly #earlierMaterials = new Map<string, ReadonlyMap<string, KeyMaterial>>();
  /** Key ID → NextRotationDate in ms, for the Enabled keys with automatic rotation. */
  readonly #rotations = new Map<string, number>();
  readonly #aliases = new Map<string, AliasRecord>();
  readonly #aliasNames = new SortedStrings();
  readonly #aliasesByTarget = new Map<string, SortedStrings>();
  /** `<keyId>/<grantId>` → grant, and those positions in order. */
  readonly #grants = new Map<string, GrantRecord>();
  readonly #grantPositions = new SortedStrings();
  readonly #customKeyStores = new Map<string, CustomKeyStoreRecord>();
  readonly #customKeyStoreIds = new SortedStrings();

  get keyCount(): number {
    return this.#keys.size;
  }

  get aliasCount(): number {
    return this.#aliases.size;
  }

  // ---- reads (the caller copies what it returns) ------------------------------------------------------------

  key(keyId: string): KeyRecord | undefined {
    return this.#keys.get(keyId);
  }

  material(keyId: string): KeyMaterial | undefined {
    return this.#materials.get(keyId);
  }

  earlierMaterial(keyId: string, keyMaterialId: string): KeyMaterial | undefined {
    return this.#earlierMaterials.get(keyId)?.get(keyMaterialId);
  }

  keysAfter(after: string | undefined, limit: number): KeyRecord[] {
    return this.#keyIds.after(after, limit).map((id) => this.#keys.get(id) as KeyRecord);
  }

  /** O(keys pending deletion), not O(keys). */
  keysDueBy(nowMs: number): string[] {
    const due: string[] = [];
    for (const [keyId, ms] of this.#deletions) if (ms <= nowMs) due.push(keyId);
    return due;
  }

  /** O(keys with automatic rotation), not O(keys). */
  keysRotationDueBy(nowMs: number): string[] {
    const due: string[] = [];
    for (const [keyId, ms] of this.#rotations) if (ms <= nowMs) due.push(keyId);
    return due;
  }

  alias(aliasName: string): AliasRecord | undefined {
    return this.#aliases.get(aliasName);
  }

  aliasesAfter(after: string | undefined, limit: number, targetKeyId?: string): AliasRecord[] {
    const names = targetKeyId === undefined ? this.#aliasNames : this.#aliasesByTarget.get(targetKeyId);
    return (names?.after(after, limit) ?? []).map((name) => this.#aliases.get(name) as AliasRecord);
  }

  aliasCountOf(targetKeyId: string): number {
    return this.#aliasesByTarget.get(targetKeyId)?.size ?? 0;
  }

  grant(keyId: string, grantId: string): GrantRecord | undefined {
    return this.#grants.get(`${keyId}/${grantId}`);
  }

  /** Grants after the position `after`, only those of `keyId` when given: O(log n + page). */
  grantsAfter(keyId: string | undefined, after: string | undefined, limit: number): GrantRecord[] {
    const prefix = keyId === undefined ? '' : `${keyId}/`;
    const from = after !== undefined && after >= prefix ? after : prefix;
    const positions = this.#grantPositions.after(from === '' ? undefined : from, limit);
    const grants: GrantRecord[] = [];
    for (const position of positions) {
      if (!position.startsWith(prefix)) break;
      grants.push(this.#grants.get(position) as GrantRecord);
    }
    return grants;
  }

  /** The grant IDs of a key, ascending. */
  grantIdsOf(keyId: string): string[] {
    return this.grantsAfter(keyId, undefined, Number.MAX_SAFE_INTEGER).map((grant) => grant.grantId);
  }

  customKeyStore(customKeyStoreId: string): CustomKeyStoreRecord | undefined {
    return this.#customKeyStores.get(customKeyStoreId);
  }

  customKeyStoresAfter(after: string | undefined, limit: number): CustomKeyStoreRecord[] {
    return this.#customKeyStoreIds.after(after, limit).map((id) => this.#customKeyStores.get(id) as CustomKeyStoreRecord);
  }

  // ---- writes -----------------------------------------------------------------------------------------------

  /** Sets (or, with `undefined`, removes) the custom key store of that ID. */
  setCustomKeyStore(customKeyStoreId: string, record: CustomKeyStoreRecord | undefined, undo: Undo[]): void {
    const before = this.#customKeyStores.get(customKeyStoreId);
    undo.push(() => this.#placeCustomKeyStore(customKeyStoreId, before));
    this.#placeCustomKeyStore(customKeyStoreId, record);
  }

  #placeCustomKeyStore(customKeyStoreId: string, record: CustomKeyStoreRecord | undefined): void {
    if (record === undefined) {
      this.#customKeyStores.delete(customKeyStoreId);
      this.#customKeyStoreIds.delete(customKeyStoreId);
    } else {
      this.#customKeyStores.set(customKeyStoreId, record);
      this.#customKeyStoreIds.add(customKeyStoreId);
    }
  }

  /** Sets (or, with `undefined`, removes) the key record of `keyId`. */
  setKey(keyId: string, record: KeyRecord | undefined, undo: Undo[]): void {
    const before = this.#keys.get(keyId);
    undo.push(() => this.#placeKey(keyId, before));
    this.#placeKey(keyId, record);
  }

  setMaterial(keyId: string, material: KeyMaterial | undefined, undo: Undo[]): void {
    const before = this.#materials.get(keyId);
    undo.push(() => this.#placeMaterial(keyId, before));
    this.#placeMaterial(keyId, material);
  }

  /** Adds an earlier material of `keyId` (or, with `undefined` for the key material ID, removes them all). */
  setEarlierMaterial(keyId: string, entry: readonly [string, KeyMaterial] | undefined, undo: Undo[]): void {
    const before = this.#earlierMaterials.get(keyId);
    undo.push(() => this.#placeEarlier(keyId, before));
    this.#placeEarlier(keyId, entry === undefined ? undefined : new Map([...(before ?? []), entry]));
  }

  /** Sets (or, with `undefined`, removes) the alias of that name. */
  setAlias(aliasName: string, alias: AliasRecord | undefined, undo: Undo[]): void {
    const before = this.#aliases.get(aliasName);
    undo.push(() => this.#placeAlias(aliasName, before));
    this.#placeAlias(aliasName, alias);
  }

  /** Sets (or, with `undefined`, removes) the grant at (keyId, grantId). */
  setGrant(keyId: string, grantId: string, grant: GrantRecord | undefined, undo: Undo[]): void {
    const position = `${keyId}/${grantId}`;
    const before = this.#grants.get(position);
    undo.push(() => this.#placeGrant(position, before));
    this.#placeGrant(position, grant);
  }

  #placeGrant(position: string, grant: GrantRecord | undefined): void {
    if (grant === undefined) {
      this.#grants.delete(position);
      this.#grantPositions.delete(position);
    } else {
      this.#grants.set(position, grant);
      this.#grantPositions.add(position);
    }
  }

  /** The names of the aliases targeting `keyId`, ascending: O(those aliases). */
  aliasNamesOf(keyId: string): string[] {
    return this.#aliasesByTarget.get(keyId)?.values() ?? [];
  }

  #placeKey(keyId: string, record: KeyRecord | undefined): void {
    if (record === undefined) {
      this.#keys.delete(keyId);
      this.#keyIds.delete(keyId);
      this.#deletions.delete(keyId);
      this.#rotations.delete(keyId);
      return;
    }
    this.#keys.set(keyId, record);
    this.#keyIds.add(keyId);
    if (record.deletionDate === undefined) this.#deletions.delete(keyId);
    else this.#deletions.set(keyId, record.deletionDate.getTime());
    if (record.rotation === undefined || record.keyState !== 'Enabled') this.#rotations.delete(keyId);
    else this.#rotations.set(keyId, record.rotation.nextRotationDate.getTime());
  }

  #placeEarlier(keyId: string, materials: ReadonlyMap<string, KeyMaterial> | undefined): void {
    if (materials === undefined) this.#earlierMaterials.delete(keyId);
    else this.#earlierMaterials.set(keyId, materials);
  }

  #placeMaterial(keyId: string, material: KeyMaterial | undefined): void {
    if (material === undefined) this.#materials.delete(keyId);
    else this.#materials.set(keyId, material);
  }

  #placeAlias(aliasName: string, alias: AliasRecord | undefined): void {
    const current = this.#aliases.get(aliasName);
    if (current !== undefined) {
      const names = this.#aliasesByTarget.get(current.targetKeyId);
      names?.delete(aliasName);
      if (names?.size === 0) this.#aliasesByTarget.delete(current.targetKeyId);
    }
    if (alias === undefined) {
      this.#aliases.delete(aliasName);
      this.#aliasNames.delete(aliasName);
      return;
    }
    this.#aliases.set(aliasName, alias);
    this.#aliasNames.add(aliasName);
    let names = this.#aliasesByTarget.get(alias.targetKeyId);
    if (names === undefined) {
      names = new SortedStrings();
      this.#aliasesByTarget.set(alias.targetKeyId, names);
    }
    names.add(aliasName);
  }
}
