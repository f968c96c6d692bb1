/**
 * The key-state policy table (docs/kms-behaviour.md §2, §6): every operation × every key state, the KeyId forms
 * each operation takes, and grant tokens refused before the state is looked at.
 */
import { expect } from 'chai';
import { KmsException } from '../../../../src/adapters/kms-exception.js';
import {
  KEY_STATE_POLICY,
  type KeyOperation,
  checkKeyState,
} from '../../../../src/adapters/simulator/rules/key-state-policy.js';
import type { KeyRecord } from '../../../../src/adapters/simulator/store/simulator-store.js';
import type { KmsKeyState } from '../../../../src/ports/kms.port.js';

const ARN = 'arn:aws:kms:us-east-1:111122223333:key/00000000-0000-4000-8000-000000000000';
const STATES: KmsKeyState[] = [
  'Creating',
  'Enabled',
  'Disabled',
  'PendingDeletion',
  'PendingImport',
  'PendingReplicaDeletion',
  'Unavailable',
  'Updating',
];
const record = (keyState: KmsKeyState) => ({ keyState }) as KeyRecord;

/** What each state gives: 'ok', or `<exception name>: <message>`. */
type Row = Record<KmsKeyState, string>;
const ok = 'ok';
const pending = `KMSInvalidStateException: ${ARN} is pending deletion.`;
const pendingImport = `KMSInvalidStateException: ${ARN} is pending import.`;
const notPending = `KMSInvalidStateException: ${ARN} is not pending deletion.`;
const state = (s: string) => `KMSInvalidStateException: ${ARN} is ${s}.`;

const ENABLED_ONLY: Row = {
  Creating: state('Creating'),
  Enabled: ok,
  Disabled: `DisabledException: ${ARN} is disabled.`,
  PendingDeletion: pending,
  PendingImport: pendingImport,
  PendingReplicaDeletion: state('PendingReplicaDeletion'),
  Unavailable: state('Unavailable'),
  Updating: state('Updating'),
};
const ANY: Row = Object.fromEntries(STATES.map((s) => [s, ok])) as Row;
const NOT_PENDING: Row = { ...ANY, PendingDeletion: pending, PendingReplicaDeletion: state('PendingReplicaDeletion') };
/** Enable/DisableKey: neither while a replica is Creating nor while the primary Region is Updating (§25). */
const ENABLEABLE: Row = { ...NOT_PENDING, PendingImport: pendingImport, Creating: state('Creating'), Updating: state('Updating') };
/** Imported key material (§24): PendingImport, Enabled, Disabled. */
const IMPORTABLE: Row = { ...(Object.fromEntries(STATES.map((s) => [s, state(s)])) as Row), PendingDeletion: pending, Enabled: ok, Disabled: ok, PendingImport: ok };
const ONLY_PENDING: Row = { ...(Object.fromEntries(STATES.map((s) => [s, notPending])) as Row), PendingDeletion: ok, PendingReplicaDeletion: ok };

const EXPECTED: Record<KeyOperation, { form: 'any' | 'key' | 'alias-target'; grants: boolean; row: Row }> = {
  CreateAlias: { form: 'alias-target', grants: false, row: NOT_PENDING },
  UpdateAlias: { form: 'alias-target', grants: false, row: NOT_PENDING },
  TagResource: { form: 'key', grants: false, row: NOT_PENDING },
  UntagResource: { form: 'key', grants: false, row: NOT_PENDING },
  ListResourceTags: { form: 'key', grants: false, row: ANY },
  ListAliases: { form: 'key', grants: false, row: ANY },
  DescribeKey: { form: 'any', grants: false, row: ANY },
  EnableKey: { form: 'key', grants: false, row: ENABLEABLE },
  DisableKey: { form: 'key', grants: false, row: ENABLEABLE },
  ScheduleKeyDeletion: { form: 'key', grants: false, row: NOT_PENDING },
  CancelKeyDeletion: { form: 'key', grants: false, row: ONLY_PENDING },
  GetPublicKey: { form: 'any', grants: true, row: ENABLED_ONLY },
  Sign: { form: 'any', grants: true, row: ENABLED_ONLY },
  Verify: { form: 'any', grants: true, row: ENABLED_ONLY },
  Encrypt: { form: 'any', grants: true, row: ENABLED_ONLY },
  Decrypt: { form: 'any', grants: true, row: ENABLED_ONLY },
  GenerateDataKey: { form: 'any', grants: true, row: ENABLED_ONLY },
  GenerateMac: { form: 'any', grants: true, row: ENABLED_ONLY },
  VerifyMac: { form: 'any', grants: true, row: ENABLED_ONLY },
  Decapsulate: { form: 'any', grants: true, row: ENABLED_ONLY },
  DeriveSharedSecret: { form: 'any', grants: true, row: ENABLED_ONLY },
  Encapsulate: { form: 'any', grants: true, row: ENABLED_ONLY },
  GetKeyLastUsage: { form: 'key', grants: false, row: ANY },
  DisableKeyRotation: { form: 'key', grants: false, row: ENABLED_ONLY },
  EnableKeyRotation: { form: 'key', grants: false, row: ENABLED_ONLY },
  GetKeyRotationStatus: { form: 'key', grants: false, row: ANY },
  ListKeyRotations: { form: 'key', grants: false, row: ANY },
  RotateKeyOnDemand: { form: 'key', grants: false, row: ENABLED_ONLY },
  GetKeyPolicy: { form: 'key', grants: false, row: ANY },
  ListKeyPolicies: { form: 'key', grants: false, row: ANY },
  PutKeyPolicy: { form: 'key', grants: false, row: ANY },
  UpdateKeyDescription: { form: 'key', grants: false, row: NOT_PENDING },
  GenerateDataKeyPair: { form: 'any', grants: true, row: ENABLED_ONLY },
  GenerateDataKeyPairWithoutPlaintext: { form: 'any', grants: true, row: ENABLED_ONLY },
  GenerateDataKeyWithoutPlaintext: { form: 'any', grants: true, row: ENABLED_ONLY },
  ReEncrypt: { form: 'any', grants: true, row: ENABLED_ONLY },
  CreateGrant: { form: 'key', grants: true, row: NOT_PENDING },
  ListGrants: { form: 'key', grants: false, row: ANY },
  RetireGrant: { form: 'key', grants: false, row: ANY },
  RevokeGrant: { form: 'key', grants: false, row: ANY },
  DeleteImportedKeyMaterial: { form: 'key', grants: false, row: IMPORTABLE },
  GetParametersForImport: { form: 'key', grants: false, row: IMPORTABLE },
  ImportKeyMaterial: { form: 'key', grants: false, row: IMPORTABLE },
  // Multi-Region keys (§25): a primary Enabled, Disabled or PendingImport is replicated; UpdatePrimaryRegion needs Enabled.
  ReplicateKey: { form: 'key', grants: false, row: IMPORTABLE },
  UpdatePrimaryRegion: { form: 'key', grants: false, row: ENABLED_ONLY },
};

function outcome(fn: () => void): string {
  try {
    fn();
    return ok;
  } catch (e) {
    expect(e).to.be.instanceOf(KmsException);
    expect((e as KmsException).$fault).to.equal('client');
    return `${(e as KmsException).name}: ${(e as KmsException).message}`;
  }
}

describe('adapters/simulator/rules/key-state-policy', () => {
  it('has a row for exactly the operations that look up a key', () => {
    expect(Object.keys(KEY_STATE_POLICY).sort()).to.deep.equal(Object.keys(EXPECTED).sort());
  });

  for (const [operation, expected] of Object.entries(EXPECTED) as [KeyOperation, (typeof EXPECTED)[KeyOperation]][]) {
    it(`${operation}: KeyId form ${expected.form}, each key state as AWS answers it`, () => {
      expect(KEY_STATE_POLICY[operation].reference).to.equal(expected.form);
      for (const s of STATES) {
        expect(outcome(() => checkKeyState(operation, record(s), ARN)), `${operation} on ${s}`).to.equal(expected.row[s]);
      }
    });

    it(`${operation}: grant tokens ${expected.grants ? 'refused before the key state' : 'not refused'}`, () => {
      for (const s of STATES) {
        const result = outcome(() => checkKeyState(operation, record(s), ARN, ['token']));
        expect(result, `${operation} on ${s}`).to.equal(
          expected.grants ? 'InvalidGrantTokenException: The grant token is not valid.' : expected.row[s],
        );
      }
    });
  }
});
