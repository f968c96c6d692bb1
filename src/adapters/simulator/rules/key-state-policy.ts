import { disabled, invalidState } from '../model/exceptions.js';
import type { KeyRecord } from '../store/simulator-store.js';

/**
 * The key state × operation rules (docs/kms-behaviour.md §6). Messages:
 * D = `DisabledException: <key ARN> is disabled.`, P = `KMSInvalidStateException: <key ARN> is pending deletion.`,
 * N = `… is not pending deletion.`, I = `… is pending import.` (PendingImport never occurs here: only Origin
 * AWS_KMS keys are created, but the rule is kept so the table reads complete).
 */

/** Cryptographic operations (Sign, Verify, GetPublicKey): Enabled only — D, P, I. */
export function requireEnabled(record: KeyRecord, arn: string): void {
  switch (record.keyState) {
    case 'Enabled':
      return;
    case 'Disabled':
      throw disabled(arn);
    case 'PendingDeletion':
      throw invalidState(arn, 'pending deletion');
    case 'PendingImport':
      throw invalidState(arn, 'pending import');
    default:
      throw invalidState(arn, record.keyState);
  }
}

/** Management operations refused on a key pending deletion (CreateAlias target, Tag/Untag, Schedule…): P. */
export function requireNotPendingDeletion(record: KeyRecord, arn: string): void {
  if (record.keyState === 'PendingDeletion') throw invalidState(arn, 'pending deletion');
}

/** Enable/DisableKey: P, I. */
export function requireEnableable(record: KeyRecord, arn: string): void {
  requireNotPendingDeletion(record, arn);
  if (record.keyState === 'PendingImport') throw invalidState(arn, 'pending import');
}

/** CancelKeyDeletion: only a key pending deletion — N otherwise. */
export function requirePendingDeletion(record: KeyRecord, arn: string): void {
  if (record.keyState !== 'PendingDeletion') throw invalidState(arn, 'not pending deletion');
}
