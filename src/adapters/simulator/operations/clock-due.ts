import type { TransactionContext } from '../engine-context.js';
import type { SimulatorStoreReader } from '../store/simulator-store.js';
import { rotateDueKeys } from './rotation.js';

/**
 * What the simulator's clock makes due, done lazily at the start of every write (docs/kms-behaviour.md §6.1,
 * §21): the keys whose DeletionDate has passed are deleted (with their aliases and tags), then the Enabled keys
 * whose NextRotationDate has passed rotate. There is no timer.
 */

/** Deletes the due keys and rotates the due ones; resolves with the IDs of the deleted keys. */
export async function runDueWork(tx: TransactionContext): Promise<string[]> {
  const due = await tx.store.keysDueForDeletion(tx.now());
  for (const keyId of due) await tx.store.deleteKey(keyId);
  await rotateDueKeys(tx);
  return due;
}

/** Whether anything is due at `now` (two index reads): if not, a read needs no write before it. */
export async function somethingDue(store: SimulatorStoreReader, now: Date): Promise<boolean> {
  if ((await store.keysDueForDeletion(now)).length > 0) return true;
  return (await store.keysDueForRotation(now)).length > 0;
}
