import type { AliasRecord, KeyLastUsage, KeyRecord, StoredTag } from '../simulator-store.js';
import { SimulatorStateError } from './state-errors.js';

/**
 * Key and alias records as stored: JSON (UTF-8) with dates as epoch milliseconds. Decoding builds a fresh object
 * with exactly the members the record has (no `undefined`-valued optional members).
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
  tags: Array<[key: string, value: string, seq: number]>;
  nextTagSeq: number;
  /** Added after schema 1 was released, optional: records written before it have none (never used, then). */
  lastUsage?: [operation: KeyLastUsage['operation'], timestamp: number, requestId: string, eventId: string];
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
    tags: record.tags.map((tag) => [tag.key, tag.value, tag.seq]),
    nextTagSeq: record.nextTagSeq,
    ...(record.lastUsage === undefined ? {} : { lastUsage: encodeUsage(record.lastUsage) }),
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
    tags: stored.tags.map(([key, value, seq]): StoredTag => ({ key, value, seq })),
    nextTagSeq: stored.nextTagSeq,
    ...(stored.lastUsage === undefined ? {} : { lastUsage: decodeUsage(stored.lastUsage) }),
  };
}

function encodeUsage(usage: KeyLastUsage): NonNullable<StoredKey['lastUsage']> {
  return [usage.operation, usage.timestamp.getTime(), usage.requestId, usage.eventId];
}

function decodeUsage([operation, timestamp, requestId, eventId]: NonNullable<StoredKey['lastUsage']>): KeyLastUsage {
  return { operation, timestamp: new Date(timestamp), requestId, eventId };
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
