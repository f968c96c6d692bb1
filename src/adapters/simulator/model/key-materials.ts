import type { KeyMaterialEntry, KeyRecord } from '../store/simulator-store.js';

/**
 * A key record's materials (docs/kms-behaviour.md §21), oldest first: its list, or for a record written before
 * rotation existed, its one current material (none for a key without material).
 */
export function materialEntries(record: KeyRecord): readonly KeyMaterialEntry[] {
  if (record.keyMaterials !== undefined) return record.keyMaterials;
  return record.currentKeyMaterialId === undefined ? [] : [{ keyMaterialId: record.currentKeyMaterialId }];
}

/** The ID of a key's original material (what it was created, seeded or imported with), whatever rotations came since. */
export function originalMaterialId(record: KeyRecord): string | undefined {
  return record.keyMaterials?.[0]?.keyMaterialId ?? record.currentKeyMaterialId;
}
