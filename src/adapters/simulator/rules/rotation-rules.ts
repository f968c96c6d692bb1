import type { KmsOrigin } from '../../../ports/kms.port.js';
import { conflict, invalidOrigin, limitExceeded, unsupported } from '../model/exceptions.js';
import type { KeyRecord } from '../store/simulator-store.js';

/**
 * Where KMS refuses key rotation (docs/kms-behaviour.md §21), after the key state (rules/key-state-policy.ts):
 * which keys rotate at all, and the limits of on-demand rotation.
 *
 * - Only symmetric encryption keys (SYMMETRIC_DEFAULT) rotate: an asymmetric or HMAC key →
 *   `UnsupportedOperationException` with an empty message (what AWS answered EnableKeyRotation for an RSA
 *   SIGN_VERIFY key, as Terraform users report it). GetKeyRotationStatus answers `KeyRotationEnabled: false` for
 *   them instead of refusing.
 * - A key of another origin → `UnsupportedOperationException: <key ARN> origin is <Origin> which is not valid for
 *   this operation.` (local-kms's text): imported key material (EXTERNAL) and custom key stores (AWS_CLOUDHSM,
 *   EXTERNAL_KEY_STORE) have no automatic rotation; on demand, a custom key store key cannot rotate, while an
 *   EXTERNAL key rotates by importing new material, which the simulator does not model. The simulator creates
 *   AWS_KMS keys only (§15), so these rows are never reached through the API.
 * - At most 25 on-demand rotations per key (AWS's on-demand rotation quota, not adjustable) →
 *   `LimitExceededException`.
 * - An on-demand rotation while an automatic one is due within 20 minutes → `ConflictException`.
 */

export type RotationOperation =
  | 'EnableKeyRotation'
  | 'DisableKeyRotation'
  | 'GetKeyRotationStatus'
  | 'ListKeyRotations'
  | 'RotateKeyOnDemand';

/** The origins each operation accepts (a key of any other origin is refused with the origin text). */
const ORIGINS: Readonly<Record<RotationOperation, readonly KmsOrigin[]>> = {
  EnableKeyRotation: ['AWS_KMS'],
  DisableKeyRotation: ['AWS_KMS'],
  GetKeyRotationStatus: ['AWS_KMS', 'EXTERNAL', 'AWS_CLOUDHSM', 'EXTERNAL_KEY_STORE'],
  ListKeyRotations: ['AWS_KMS', 'EXTERNAL'],
  RotateKeyOnDemand: ['AWS_KMS'],
};

/** AWS's quota of on-demand rotations per key. */
export const MAX_ON_DEMAND_ROTATIONS = 25;
/** AWS refuses an on-demand rotation this close before a scheduled automatic one. */
export const AUTOMATIC_ROTATION_GUARD_MS = 20 * 60_000;
export const DEFAULT_ROTATION_PERIOD_DAYS = 365;

/** Whether the key is one that rotates: a symmetric encryption key. */
export function isRotatable(record: KeyRecord): boolean {
  return record.keySpec === 'SYMMETRIC_DEFAULT';
}

/** Refuses a key that `operation` cannot rotate: its spec first, then its origin. */
export function checkRotatable(operation: RotationOperation, record: KeyRecord, arn: string): void {
  if (!isRotatable(record)) throw unsupported('');
  if (!ORIGINS[operation].includes(record.origin)) {
    throw invalidOrigin(arn, record.origin);
  }
}

/** RotateKeyOnDemand: the automatic rotation is not about to happen, and the quota is not used up. */
export function checkOnDemandRotation(record: KeyRecord, arn: string, now: Date): void {
  const next = record.rotation?.nextRotationDate;
  if (next !== undefined && next.getTime() - now.getTime() <= AUTOMATIC_ROTATION_GUARD_MS) {
    throw conflict(`An automatic rotation of ${arn} is in progress or scheduled to begin within the next 20 minutes.`);
  }
  const done = (record.keyMaterials ?? []).filter((m) => m.rotationType === 'ON_DEMAND').length;
  if (done >= MAX_ON_DEMAND_ROTATIONS) {
    throw limitExceeded(`${arn} has reached the quota of ${MAX_ON_DEMAND_ROTATIONS} on-demand rotations.`);
  }
}
