/**
 * The key space of the one lmdb database of a state directory. Keys are bytes, compared bytewise (lmdb's
 * default); here they are handled as latin1 strings of their UTF-8 bytes, so that `<` on two of them is the
 * database's order and a Map can hold staged writes.
 *
 *   meta/schema                                   schema version (JSON number)
 *   meta/generation                               the global write counter (JSON number)
 *   meta/key-check                                16 bytes identifying the master key of the key file
 *   <account>/<region>/key/<keyId>                the key record (JSON), tags included
 *   <account>/<region>/material/<keyId>           the key material, AES-256-GCM (material-cipher.ts)
 *   <account>/<region>/alias/<aliasName>          the alias record (JSON)
 *   <account>/<region>/alias-by-key/<keyId>/<aliasName>      index: the aliases of a key (empty value)
 *   <account>/<region>/deletion/<when>/<keyId>    index: keys pending deletion by DeletionDate (empty value)
 *   <account>/<region>/grant/<keyId>/<grantId>    the grant record (JSON); a range added after schema 2, empty in
 *                                                 older directories, so no migration
 *   <account>/<region>/custom-key-store/<id>      a custom key store (JSON); a table added within schema 2, so a
 *                                                 directory written before it simply has none
 *
 * An account is 12 digits and a Region has no `/`, so partitions never overlap each other or `meta/`; key IDs
 * have no `/` either. A listing is one range [start, end) of one table: `end` is the table's prefix followed by
 * the byte 0xff, which no UTF-8 text contains, so every key of the table is below it.
 */
export type SpaceKey = string;

export const META_SCHEMA: SpaceKey = 'meta/schema';
export const META_GENERATION: SpaceKey = 'meta/generation';
export const META_KEY_CHECK: SpaceKey = 'meta/key-check';

const END = '\u00ff';
/** DeletionDate in ms, shifted to be non-negative and padded: the decimal text sorts as the number does. */
const DATE_OFFSET = 8.64e15;
const DATE_DIGITS = 17;

export interface SpaceRange {
  /** Inclusive unless `exclusiveStart`. */
  readonly start: SpaceKey;
  readonly exclusiveStart: boolean;
  /** Exclusive. */
  readonly end: SpaceKey;
}

/** The keys of one account × Region. */
export class PartitionSpace {
  /** `<account>/<region>` */
  readonly name: string;
  readonly #prefix: string;

  constructor(accountId: string, region: string) {
    this.name = `${accountId}/${region}`;
    this.#prefix = `${this.name}/`;
  }

  key(keyId: string): SpaceKey {
    return this.#at('key/', keyId);
  }

  material(keyId: string): SpaceKey {
    return this.#at('material/', keyId);
  }

  /** An earlier material of a key (kept since a rotation); the current one is at `material(keyId)`. */
  earlierMaterial(keyId: string, keyMaterialId: string): SpaceKey {
    return this.#at('material/', `${keyId}/${keyMaterialId}`);
  }

  /** The earlier materials of a key. */
  earlierMaterialsOf(keyId: string): SpaceRange {
    return this.#table(`material/${keyId}/`, '', false);
  }

  /** Index: an Enabled key with automatic rotation, by NextRotationDate. */
  rotation(keyId: string, nextRotationDate: Date): SpaceKey {
    return this.#at('rotation/', `${dateText(nextRotationDate.getTime())}/${keyId}`);
  }

  customKeyStore(customKeyStoreId: string): SpaceKey {
    return this.#at('custom-key-store/', customKeyStoreId);
  }

  customKeyStoresAfter(after: string | undefined): SpaceRange {
    return this.#table('custom-key-store/', after === undefined ? '' : after, after !== undefined);
  }

  alias(aliasName: string): SpaceKey {
    return this.#at('alias/', aliasName);
  }

  aliasOfKey(keyId: string, aliasName: string): SpaceKey {
    return this.#at('alias-by-key/', `${keyId}/${aliasName}`);
  }

  grant(keyId: string, grantId: string): SpaceKey {
    return this.#at('grant/', `${keyId}/${grantId}`);
  }

  /** Grants after the position `<keyId>/<grantId>` (or all), only those of `keyId` when given. */
  grantsAfter(keyId: string | undefined, after: string | undefined): SpaceRange {
    const prefix = keyId === undefined ? '' : `${keyId}/`;
    const range = this.#table(`grant/${prefix}`, '', false);
    if (after === undefined || after < prefix) return range;
    return { ...range, start: this.#at('grant/', after), exclusiveStart: true };
  }

  deletion(keyId: string, deletionDate: Date): SpaceKey {
    return this.#at('deletion/', `${dateText(deletionDate.getTime())}/${keyId}`);
  }

  /**
   * The place of a key in AAD and messages: `<account>/<region>/<keyId>`; of an earlier material,
   * `<account>/<region>/<keyId>/<keyMaterialId>`.
   */
  place(keyId: string, keyMaterialId?: string): string {
    return keyMaterialId === undefined ? `${this.name}/${keyId}` : `${this.name}/${keyId}/${keyMaterialId}`;
  }

  /** Keys with ID after `after` (or all). */
  keysAfter(after: string | undefined): SpaceRange {
    return this.#table('key/', after === undefined ? '' : after, after !== undefined);
  }

  aliasesAfter(after: string | undefined): SpaceRange {
    return this.#table('alias/', after === undefined ? '' : after, after !== undefined);
  }

  aliasesOfKeyAfter(keyId: string, after: string | undefined): SpaceRange {
    return this.#table(`alias-by-key/${keyId}/`, after === undefined ? '' : after, after !== undefined);
  }

  /** Deletion index entries with DeletionDate at or before `nowMs`. */
  deletionsDueBy(nowMs: number): SpaceRange {
    const prefix = this.#at('deletion/', '');
    return { start: prefix, exclusiveStart: false, end: this.#at('deletion/', `${dateText(nowMs)}/`) + END };
  }

  /** Rotation index entries with NextRotationDate at or before `nowMs`. */
  rotationsDueBy(nowMs: number): SpaceRange {
    const prefix = this.#at('rotation/', '');
    return { start: prefix, exclusiveStart: false, end: this.#at('rotation/', `${dateText(nowMs)}/`) + END };
  }

  keyIdOfRotation(indexKey: SpaceKey): string {
    return fromSpace(indexKey.slice(this.#at('rotation/', '').length + DATE_DIGITS + 1));
  }

  /** The last segment of an index entry (`…/<name>`), for `alias-by-key/<keyId>/` entries the alias name. */
  aliasNameOf(indexKey: SpaceKey, keyId: string): string {
    return fromSpace(indexKey.slice(this.#at('alias-by-key/', `${keyId}/`).length));
  }

  keyIdOfDeletion(indexKey: SpaceKey): string {
    return fromSpace(indexKey.slice(this.#at('deletion/', '').length + DATE_DIGITS + 1));
  }

  #at(table: string, rest: string): SpaceKey {
    return toSpace(`${this.#prefix}${table}${rest}`);
  }

  #table(table: string, from: string, exclusiveStart: boolean): SpaceRange {
    return { start: this.#at(table, from), exclusiveStart, end: this.#at(table, '') + END };
  }
}

/** Text → space key: the latin1 string of its UTF-8 bytes. */
export function toSpace(text: string): SpaceKey {
  return Buffer.from(text, 'utf8').toString('latin1');
}

export function fromSpace(key: SpaceKey): string {
  return Buffer.from(key, 'latin1').toString('utf8');
}

export function spaceBytes(key: SpaceKey): Buffer {
  return Buffer.from(key, 'latin1');
}

export function bytesSpace(bytes: Uint8Array): SpaceKey {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('latin1');
}

function dateText(ms: number): string {
  return String(Math.max(0, Math.min(2 * DATE_OFFSET, ms + DATE_OFFSET))).padStart(DATE_DIGITS, '0');
}
