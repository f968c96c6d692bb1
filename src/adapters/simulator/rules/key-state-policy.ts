import type { KmsKeyState } from '../../../ports/kms.port.js';
import { disabled, invalidGrantToken, invalidState } from '../model/exceptions.js';
import type { KeyRecord } from '../store/simulator-store.js';

/**
 * How each operation reaches its key (docs/kms-behaviour.md §2, §6): the KeyId forms it takes, whether it refuses
 * grant tokens, and the key states in which it proceeds — one row per operation, checked in that order once the
 * key is found. Refusals: `DisabledException: <key ARN> is disabled.`, `KMSInvalidStateException: <key ARN> is
 * pending deletion.` / `… is pending import.` / `… is <State>.`, or the operation's own text (CancelKeyDeletion:
 * `… is not pending deletion.`). PendingImport is the state of a key of Origin EXTERNAL without material (§24):
 * every cryptographic operation refuses it with `KMSInvalidStateException: <key ARN> is pending import.`
 */

/** The operations that look up a key, with the KeyId member they look it up by. */
export type KeyOperation =
  | 'CreateAlias'
  | 'UpdateAlias'
  | 'TagResource'
  | 'UntagResource'
  | 'ListResourceTags'
  | 'ListAliases'
  | 'DescribeKey'
  | 'EnableKey'
  | 'DisableKey'
  | 'ScheduleKeyDeletion'
  | 'CancelKeyDeletion'
  | 'GetPublicKey'
  | 'Sign'
  | 'Verify'
  | 'Encrypt'
  | 'Decrypt'
  | 'GenerateDataKey'
  | 'GenerateMac'
  | 'VerifyMac'
  | 'Decapsulate'
  | 'DeriveSharedSecret'
  | 'Encapsulate'
  | 'GetKeyLastUsage'
  | 'DisableKeyRotation'
  | 'EnableKeyRotation'
  | 'GetKeyRotationStatus'
  | 'ListKeyRotations'
  | 'RotateKeyOnDemand'
  | 'GetKeyPolicy'
  | 'ListKeyPolicies'
  | 'PutKeyPolicy'
  | 'UpdateKeyDescription'
  | 'GenerateDataKeyPair'
  | 'GenerateDataKeyPairWithoutPlaintext'
  | 'GenerateDataKeyWithoutPlaintext'
  | 'ReEncrypt'
  | 'CreateGrant'
  | 'ListGrants'
  | 'RetireGrant'
  | 'RevokeGrant'
  | 'DeleteImportedKeyMaterial'
  | 'GetParametersForImport'
  | 'ImportKeyMaterial'
  | 'ReplicateKey'
  | 'UpdatePrimaryRegion';

/**
 * - `any`: key ID, key ARN, alias name or alias ARN.
 * - `key`: key ID or key ARN; an alias is refused like a malformed id (`NotFoundException: Invalid keyId '<v>'`).
 * - `alias-target`: key ID or key ARN; an alias is `ValidationException: Aliases must refer to keys. Not aliases`
 *   (moto's text).
 */
export type KeyReferenceForm = 'any' | 'key' | 'alias-target';

export interface KeyStatePolicy {
  readonly reference: KeyReferenceForm;
  /** Whether a grant token that names no existing grant is refused (InvalidGrantTokenException, §22). */
  readonly refusesGrantTokens: boolean;
  /** The key states in which the operation proceeds. */
  readonly accepts: readonly KmsKeyState[];
  /** The text after `<key ARN> is ` for every refused state, when the operation has its own. */
  readonly refusedAs?: string;
}

const STATES: Readonly<Record<KmsKeyState, true>> = {
  Creating: true,
  Enabled: true,
  Disabled: true,
  PendingDeletion: true,
  PendingImport: true,
  PendingReplicaDeletion: true,
  Unavailable: true,
  Updating: true,
};
const ALL_STATES = Object.keys(STATES) as KmsKeyState[];
const except = (...refused: KmsKeyState[]): KmsKeyState[] => ALL_STATES.filter((s) => !refused.includes(s));

/** Listing and describing: every state. */
const ANY_STATE: KeyStatePolicy = { reference: 'key', refusesGrantTokens: false, accepts: ALL_STATES };
/** Management refused on a key pending deletion, or a primary waiting for its replicas' (alias targets, Tag/Untag, ScheduleKeyDeletion). */
const NOT_PENDING_DELETION: KeyStatePolicy = {
  reference: 'key',
  refusesGrantTokens: false,
  accepts: except('PendingDeletion', 'PendingReplicaDeletion'),
};
/** Cryptographic operations: Enabled only; any KeyId form; grant tokens refused. */
const ENABLED: KeyStatePolicy = { reference: 'any', refusesGrantTokens: true, accepts: ['Enabled'] };

export const KEY_STATE_POLICY: Readonly<Record<KeyOperation, KeyStatePolicy>> = {
  CreateAlias: { ...NOT_PENDING_DELETION, reference: 'alias-target' },
  UpdateAlias: { ...NOT_PENDING_DELETION, reference: 'alias-target' },
  TagResource: NOT_PENDING_DELETION,
  UntagResource: NOT_PENDING_DELETION,
  ListResourceTags: ANY_STATE,
  /** The KeyId filter of ListAliases. */
  ListAliases: ANY_STATE,
  /** DescribeKey reads GrantTokens and ignores them. */
  DescribeKey: { ...ANY_STATE, reference: 'any' },
  EnableKey: { ...NOT_PENDING_DELETION, accepts: except('PendingDeletion', 'PendingReplicaDeletion', 'PendingImport', 'Creating', 'Updating') },
  DisableKey: { ...NOT_PENDING_DELETION, accepts: except('PendingDeletion', 'PendingReplicaDeletion', 'PendingImport', 'Creating', 'Updating') },
  ScheduleKeyDeletion: NOT_PENDING_DELETION,
  CancelKeyDeletion: { ...ANY_STATE, accepts: ['PendingDeletion', 'PendingReplicaDeletion'], refusedAs: 'not pending deletion' },
  GenerateDataKeyPair: ENABLED,
  GenerateDataKeyPairWithoutPlaintext: ENABLED,
  GenerateDataKeyWithoutPlaintext: ENABLED,
  /** Both keys: the source (by SourceKeyId or the blob) and the destination. */
  ReEncrypt: ENABLED,
  /**
   * Refused on a Disabled key. The reference calls it unsettled: the developer guide's key-state table says
   * Disabled keys refuse GetPublicKey (local-kms agrees), LocalStack's source says real AWS answers. The simulator
   * follows the documented rule, so that code proven here does not rely on a behaviour AWS does not promise.
   */
  GetPublicKey: ENABLED,
  Sign: ENABLED,
  Verify: ENABLED,
  Encrypt: ENABLED,
  Decrypt: ENABLED,
  GenerateDataKey: ENABLED,
  GenerateMac: ENABLED,
  VerifyMac: ENABLED,
  Decapsulate: ENABLED,
  DeriveSharedSecret: ENABLED,
  Encapsulate: ENABLED,
  /** Key ID or key ARN only (no alias), every state. */
  GetKeyLastUsage: ANY_STATE,
  // Key rotation (docs/kms-behaviour.md §21): key ID or ARN; the settings change and on-demand rotation need an
  // Enabled key (Disabled → D, PendingDeletion → P), the status and the list are read in every state.
  DisableKeyRotation: { ...ANY_STATE, accepts: ['Enabled'] },
  EnableKeyRotation: { ...ANY_STATE, accepts: ['Enabled'] },
  GetKeyRotationStatus: ANY_STATE,
  ListKeyRotations: ANY_STATE,
  RotateKeyOnDemand: { ...ANY_STATE, accepts: ['Enabled'] },
  /** Key policies: read and replaced in every key state (the guide's key-state table). */
  GetKeyPolicy: ANY_STATE,
  ListKeyPolicies: ANY_STATE,
  PutKeyPolicy: ANY_STATE,
  UpdateKeyDescription: NOT_PENDING_DELETION,
  // Grants (§22): key ID or key ARN. CreateGrant is refused on a key pending deletion and takes grant tokens (of
  // existing grants); listing, retiring and revoking work in every state.
  CreateGrant: { ...NOT_PENDING_DELETION, refusesGrantTokens: true },
  ListGrants: ANY_STATE,
  RetireGrant: ANY_STATE,
  RevokeGrant: ANY_STATE,
  // Imported key material (docs/kms-behaviour.md §24): key ID or ARN; PendingImport, or Enabled/Disabled to
  // re-import or delete the material; PendingDeletion (and the states the simulator never has) refused.
  DeleteImportedKeyMaterial: { ...ANY_STATE, accepts: ['Enabled', 'Disabled', 'PendingImport'] },
  GetParametersForImport: { ...ANY_STATE, accepts: ['Enabled', 'Disabled', 'PendingImport'] },
  ImportKeyMaterial: { ...ANY_STATE, accepts: ['Enabled', 'Disabled', 'PendingImport'] },
  // Multi-Region keys (docs/kms-behaviour.md §25): key ID or ARN of the primary. ReplicateKey replicates an Enabled,
  // Disabled or PendingImport primary; UpdatePrimaryRegion needs it Enabled (and the replica too).
  ReplicateKey: { ...ANY_STATE, accepts: ['Enabled', 'Disabled', 'PendingImport'] },
  UpdatePrimaryRegion: { ...ANY_STATE, accepts: ['Enabled'] },
};

const STATE_TEXT: Partial<Record<KmsKeyState, string>> = {
  PendingDeletion: 'pending deletion',
  PendingImport: 'pending import',
};

/**
 * Admits a found key to `operation`: refuses grant tokens where the operation does, then a key state it does not
 * accept. Grant tokens come first: AWS answers InvalidGrantTokenException before looking at the state.
 */
export function checkKeyState(
  operation: KeyOperation,
  record: KeyRecord,
  arn: string,
  grantTokens: readonly string[] = [],
): void {
  const policy = KEY_STATE_POLICY[operation];
  if (policy.refusesGrantTokens && grantTokens.length > 0) throw invalidGrantToken();
  if (policy.accepts.includes(record.keyState)) return;
  if (policy.refusedAs !== undefined) throw invalidState(arn, policy.refusedAs);
  if (record.keyState === 'Disabled') throw disabled(arn);
  throw invalidState(arn, STATE_TEXT[record.keyState] ?? record.keyState);
}
