import type { GrantRecord } from '../simulator-store.js';
import { decodeJson, encodeJson } from './record-codec.js';

/** A grant record as stored: JSON (UTF-8), CreationDate as epoch milliseconds; absent members stay absent. */
type StoredGrant = Omit<GrantRecord, 'creationDate'> & { creationDate: number };

export function encodeGrant(grant: GrantRecord): Uint8Array {
  const stored: StoredGrant = { ...grant, creationDate: grant.creationDate.getTime() };
  return encodeJson(stored);
}

export function decodeGrant(bytes: Uint8Array, directory: string): GrantRecord {
  const stored = decodeJson(bytes, directory) as StoredGrant;
  return { ...stored, creationDate: new Date(stored.creationDate) };
}
