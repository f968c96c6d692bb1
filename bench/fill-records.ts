/** Filler for the store benchmarks: a symmetric KMS key record written straight into a store transaction. */
import { randomBytes, randomUUID } from 'node:crypto';
import type { SimulatorStoreTransaction } from '../src/adapters/simulator/store/simulator-store.js';

/** Inserts an Enabled SYMMETRIC_DEFAULT key with fresh material; resolves with its key id. */
export async function insertSymmetricKey(tx: SimulatorStoreTransaction, policy: string, now = new Date()): Promise<string> {
  const keyId = randomUUID();
  await tx.insertKey(
    {
      keyId,
      creationDate: now,
      description: '',
      policy,
      keySpec: 'SYMMETRIC_DEFAULT',
      keyUsage: 'ENCRYPT_DECRYPT',
      origin: 'AWS_KMS',
      keyState: 'Enabled',
      currentKeyMaterialId: randomBytes(32).toString('hex'),
      tags: [],
      nextTagSeq: 1,
    },
    { spec: 'SYMMETRIC_DEFAULT', secret: randomBytes(32) },
  );
  return keyId;
}
