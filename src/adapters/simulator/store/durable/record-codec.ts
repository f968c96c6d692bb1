import type { AliasRecord, CustomKeyStoreRecord, ImportedMaterial, KeyLastUsage, KeyMaterialEntry, KeyRecord, MultiRegionRecord, StoredTag } from '../simulator-store.js';
import { SimulatorStateError } from './state-errors.js';

/**
 * Key and alias records as stored: JSON (UTF-8) with dates as epoch milliseconds. Decoding builds a fresh object
 * with exactly the members the record has (no `undefined`-valued optional members). A record written by schema 1
 * has no `rotation` and no `keyMaterials`, which is what a key that was never rotated has: it reads as it is.
 */
interface StoredKey {
  keyId: string;
  creationDate: number;
  description: string;
  policy: string;
  keySpec: KeyRecord['keySpec'];
  keyUsage: KeyRecord['keyUsage'];
  origin: KeyRecord['origin'];
  keyState: KeyRecord['keyState'];
  deletionDate?: number;
  currentKeyMaterialId?: string;
  /** [periodInDays, nextRotationDate] (schema 2). */
  rotation?: [periodInDays: number, nextRotationDate: number];
  /** [keyMaterialId, rotationDate, rotationType] per material, the original without date and type (schema 2). */
  keyMaterials?: Array<[keyMaterialId: string, rotationDate?: number, rotationType?: KeyMaterialEntry['rotationType']]>;
  tags: Array<[key: string, value: string, seq: number]>;
  nextTagSeq: number;
  /** Added after schema 1 was released, optional: records written before it have none (never used, then). */
  lastUsage?: [operation: KeyLastUsage['operation'], timestamp: number, requestId: string, eventId: string];
  /** Keys in a custom key store (added within schema 2, optional). */
  customKeyStoreId?: string;
  cloudHsmClusterId?: string;
  xksKeyId?: string;
  /** Imported material (optional, added within schema 2): [materialId, expirationModel, validTo]. */
  imported?: [materialId: string, expirationModel?: ImportedMaterial['expirationModel'] | null, validTo?: number | null];
  /** Multi-Region keys (optional, added within schema 2): [primaryRegion, replicaRegions, readyAt, pendingWindowInDays]. */
  multiRegion?: [primaryRegion: string, replicaRegions: string[] | null, readyAt: number | null, pendingWindowInDays: number | null];
}

interface StoredAlias {
  aliasName: string;
  targetKeyId: string;
  creationDate: number;
  lastUpdatedDate: number;
}

export function encodeKey(record: KeyRecord): Uint8Array {
  const stored: StoredKey = {
    keyId: record.keyId,
    creationDate: record.creationDate.getTime(),
    description: record.description,
    policy: record.policy,
    keySpec: record.keySpec,
    keyUsage: record.keyUsage,
    origin: record.origin,
    keyState: record.keyState,
    ...(record.deletionDate === undefined ? {} : { deletionDate: record.deletionDate.getTime() }),
    ...(record.currentKeyMaterialId === undefined ? {} : { currentKeyMaterialId: record.currentKeyMaterialId }),
    ...(record.rotation === undefined
      ? {}
      : { rotation: [record.rotation.periodInDays, record.rotation.nextRotationDate.getTime()] }),
    ...(record.keyMaterials === undefined ? {} : { keyMaterials: record.keyMaterials.map(encodeMaterialEntry) }),
    tags: record.tags.map((tag) => [tag.key, tag.value, tag.seq]),
    nextTagSeq: record.nextTagSeq,
    ...(record.lastUsage === undefined ? {} : { lastUsage: encodeUsage(record.lastUsage) }),
    ...optionalStrings(record, KEY_STORE_MEMBERS),
    ...(record.imported === undefined ? {} : { imported: encodeImported(record.imported) }),
    ...(record.multiRegion === undefined ? {} : { multiRegion: encodeMultiRegion(record.multiRegion) }),
  };
  return Buffer.from(JSON.stringify(stored), 'utf8');
}

export function decodeKey(bytes: Uint8Array, directory: string): KeyRecord {
  const stored = parse(bytes, directory) as StoredKey;
  return {
    keyId: stored.keyId,
    creationDate: new Date(stored.creationDate),
    description: stored.description,
    policy: stored.policy,
    keySpec: stored.keySpec,
    keyUsage: stored.keyUsage,
    origin: stored.origin,
    keyState: stored.keyState,
    ...(stored.deletionDate === undefined ? {} : { deletionDate: new Date(stored.deletionDate) }),
    ...(stored.currentKeyMaterialId === undefined ? {} : { currentKeyMaterialId: stored.currentKeyMaterialId }),
    ...(stored.rotation === undefined
      ? {}
      : { rotation: { periodInDays: stored.rotation[0], nextRotationDate: new Date(stored.rotation[1]) } }),
    ...(stored.keyMaterials === undefined ? {} : { keyMaterials: stored.keyMaterials.map(decodeMaterialEntry) }),
    tags: stored.tags.map(([key, value, seq]): StoredTag => ({ key, value, seq })),
    nextTagSeq: stored.nextTagSeq,
    ...(stored.lastUsage === undefined ? {} : { lastUsage: decodeUsage(stored.lastUsage) }),
    ...optionalStrings(stored, KEY_STORE_MEMBERS),
    ...(stored.imported === undefined ? {} : { imported: decodeImported(stored.imported) }),
    ...(stored.multiRegion === undefined ? {} : { multiRegion: decodeMultiRegion(stored.multiRegion) }),
  };
}

function encodeMultiRegion(m: MultiRegionRecord): NonNullable<StoredKey['multiRegion']> {
  return [m.primaryRegion, m.replicaRegions === undefined ? null : [...m.replicaRegions], m.readyAt?.getTime() ?? null, m.pendingWindowInDays ?? null];
}

function decodeMultiRegion([primaryRegion, replicaRegions, readyAt, window]: NonNullable<StoredKey['multiRegion']>): MultiRegionRecord {
  return {
    primaryRegion,
    ...(replicaRegions === null ? {} : { replicaRegions }),
    ...(readyAt === null ? {} : { readyAt: new Date(readyAt) }),
    ...(window === null ? {} : { pendingWindowInDays: window }),
  };
}

function encodeImported({ materialId, expirationModel, validTo }: ImportedMaterial): NonNullable<StoredKey['imported']> {
  return [materialId, expirationModel ?? null, validTo === undefined ? null : validTo.getTime()];
}

function decodeImported([materialId, expirationModel, validTo]: NonNullable<StoredKey['imported']>): ImportedMaterial {
  return {
    materialId,
    ...(expirationModel == null ? {} : { expirationModel }),
    ...(validTo == null ? {} : { validTo: new Date(validTo) }),
  };
}

function encodeUsage(usage: KeyLastUsage): NonNullable<StoredKey['lastUsage']> {
  return [usage.operation, usage.timestamp.getTime(), usage.requestId, usage.eventId];
}

function decodeUsage([operation, timestamp, requestId, eventId]: NonNullable<StoredKey['lastUsage']>): KeyLastUsage {
  return { operation, timestamp: new Date(timestamp), requestId, eventId };
}

type StoredMaterialEntry = NonNullable<StoredKey['keyMaterials']>[number];

function encodeMaterialEntry(entry: KeyMaterialEntry): StoredMaterialEntry {
  const { keyMaterialId, rotationDate, rotationType } = entry;
  return rotationDate === undefined ? [keyMaterialId] : [keyMaterialId, rotationDate.getTime(), rotationType];
}

function decodeMaterialEntry([keyMaterialId, rotationDate, rotationType]: StoredMaterialEntry): KeyMaterialEntry {
  return {
    keyMaterialId,
    ...(rotationDate === undefined ? {} : { rotationDate: new Date(rotationDate) }),
    ...(rotationType === undefined ? {} : { rotationType }),
  };
}

export function encodeAlias(alias: AliasRecord): Uint8Array {
  const stored: StoredAlias = {
    aliasName: alias.aliasName,
    targetKeyId: alias.targetKeyId,
    creationDate: alias.creationDate.getTime(),
    lastUpdatedDate: alias.lastUpdatedDate.getTime(),
  };
  return Buffer.from(JSON.stringify(stored), 'utf8');
}

export function decodeAlias(bytes: Uint8Array, directory: string): AliasRecord {
  const stored = parse(bytes, directory) as StoredAlias;
  return {
    aliasName: stored.aliasName,
    targetKeyId: stored.targetKeyId,
    creationDate: new Date(stored.creationDate),
    lastUpdatedDate: new Date(stored.lastUpdatedDate),
  };
}

const KEY_STORE_MEMBERS = ['customKeyStoreId', 'cloudHsmClusterId', 'xksKeyId'] as const;

/** The members of `names` that `from` has. */
function optionalStrings<N extends string>(from: Partial<Record<N, string>>, names: readonly N[]): Partial<Record<N, string>> {
  const out: Partial<Record<N, string>> = {};
  for (const name of names) if (from[name] !== undefined) out[name] = from[name];
  return out;
}

/** A custom key store as stored: its record with CreationDate as epoch milliseconds. */
export function encodeCustomKeyStore(record: CustomKeyStoreRecord): Uint8Array {
  return encodeJson({ ...record, creationDate: record.creationDate.getTime() });
}

export function decodeCustomKeyStore(bytes: Uint8Array, directory: string): CustomKeyStoreRecord {
  const stored = parse(bytes, directory) as Omit<CustomKeyStoreRecord, 'creationDate'> & { creationDate: number };
  return { ...stored, creationDate: new Date(stored.creationDate) };
}

export function encodeJson(value: unknown): Uint8Array {
  return Buffer.from(JSON.stringify(value), 'utf8');
}

export function decodeJson(bytes: Uint8Array, directory: string): unknown {
  return parse(bytes, directory);
}

function parse(bytes: Uint8Array, directory: string): unknown {
  try {
    return JSON.parse(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('utf8')) as unknown;
  } catch (cause) {
    throw new SimulatorStateError('ERR_STATE_CORRUPT', directory, `SimulatedKms: a stored record in the state directory ${directory} cannot be read`, { cause });
  }
}
