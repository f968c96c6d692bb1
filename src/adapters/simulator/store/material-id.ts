import type { KeyMaterial, KeyRecord } from './simulator-store.js';

/**
 * A symmetric key's material, kept with the record's current key material ID (KeyMaterial.keyMaterialId in
 * simulator-store.ts): what both stores write, so that one read gives the bytes and the ID a ciphertext names.
 */
export function withMaterialId(material: KeyMaterial, record: KeyRecord): KeyMaterial {
  const { currentKeyMaterialId: keyMaterialId } = record;
  return keyMaterialId === undefined ? material : { ...material, keyMaterialId };
}
