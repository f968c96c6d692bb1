import { checkPlacementStore, xksKeyInUse, type KeyStorePlacement } from '../rules/custom-key-store-rules.js';
import type { KeyRecord, SimulatorStoreReader } from '../store/simulator-store.js';
import { keyIdsInStore } from './custom-key-stores.js';

/**
 * CreateKey in a custom key store (docs/kms-behaviour.md §23), inside its transaction: the store must exist, be of
 * the Origin's type and CONNECTED; an external key's XksKeyId must not back another key of that store. The key's
 * material is the simulator's own (no CloudHSM, no external key manager): the record carries the store's members.
 */
export async function keyStoreMembers(
  store: SimulatorStoreReader,
  placement: KeyStorePlacement,
): Promise<Pick<KeyRecord, 'origin' | 'customKeyStoreId' | 'cloudHsmClusterId' | 'xksKeyId'>> {
  const keyStore = checkPlacementStore(placement, await store.getCustomKeyStore(placement.customKeyStoreId));
  const { xksKeyId } = placement;
  if (xksKeyId !== undefined && (await keyIdsInStore(store, keyStore.customKeyStoreId, xksKeyId)).length > 0) {
    throw xksKeyInUse(xksKeyId);
  }
  return {
    origin: placement.origin,
    customKeyStoreId: keyStore.customKeyStoreId,
    ...(keyStore.cloudHsmClusterId === undefined ? {} : { cloudHsmClusterId: keyStore.cloudHsmClusterId }),
    ...(xksKeyId === undefined ? {} : { xksKeyId }),
  };
}
