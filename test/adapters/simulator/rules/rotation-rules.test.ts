import { expect } from 'chai';
import { KmsException } from '../../../../src/adapters/kms-exception.js';
import {
  MAX_ON_DEMAND_ROTATIONS,
  checkOnDemandRotation,
  checkRotatable,
  type RotationOperation,
} from '../../../../src/adapters/simulator/rules/rotation-rules.js';
import type { KeyRecord } from '../../../../src/adapters/simulator/store/simulator-store.js';
import type { KmsKeySpec, KmsOrigin } from '../../../../src/ports/kms.port.js';

const ARN = 'arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab';
const record = (keySpec: KmsKeySpec, origin: KmsOrigin = 'AWS_KMS', extra: Partial<KeyRecord> = {}) =>
  ({ keySpec, origin, keyState: 'Enabled', ...extra }) as KeyRecord;

function outcome(fn: () => void): string {
  try {
    fn();
    return 'ok';
  } catch (e) {
    expect(e).to.be.instanceOf(KmsException);
    return `${(e as KmsException).name}: ${(e as KmsException).message}`;
  }
}

const origin = (o: KmsOrigin) => `UnsupportedOperationException: ${ARN} origin is ${o} which is not valid for this operation.`;

describe('adapters/simulator/rules/rotation-rules', () => {
  it('rotates symmetric encryption keys only; each operation takes the origins AWS rotates', () => {
    const expected: Record<RotationOperation, Record<KmsOrigin, string>> = {
      EnableKeyRotation: { AWS_KMS: 'ok', EXTERNAL: origin('EXTERNAL'), AWS_CLOUDHSM: origin('AWS_CLOUDHSM'), EXTERNAL_KEY_STORE: origin('EXTERNAL_KEY_STORE') },
      DisableKeyRotation: { AWS_KMS: 'ok', EXTERNAL: origin('EXTERNAL'), AWS_CLOUDHSM: origin('AWS_CLOUDHSM'), EXTERNAL_KEY_STORE: origin('EXTERNAL_KEY_STORE') },
      RotateKeyOnDemand: { AWS_KMS: 'ok', EXTERNAL: origin('EXTERNAL'), AWS_CLOUDHSM: origin('AWS_CLOUDHSM'), EXTERNAL_KEY_STORE: origin('EXTERNAL_KEY_STORE') },
      ListKeyRotations: { AWS_KMS: 'ok', EXTERNAL: 'ok', AWS_CLOUDHSM: origin('AWS_CLOUDHSM'), EXTERNAL_KEY_STORE: origin('EXTERNAL_KEY_STORE') },
      GetKeyRotationStatus: { AWS_KMS: 'ok', EXTERNAL: 'ok', AWS_CLOUDHSM: 'ok', EXTERNAL_KEY_STORE: 'ok' },
    };
    for (const [operation, row] of Object.entries(expected) as [RotationOperation, Record<KmsOrigin, string>][]) {
      for (const [o, want] of Object.entries(row) as [KmsOrigin, string][]) {
        expect(outcome(() => checkRotatable(operation, record('SYMMETRIC_DEFAULT', o), ARN)), `${operation} ${o}`).to.equal(want);
      }
      for (const spec of ['RSA_2048', 'ECC_NIST_P256', 'HMAC_256', 'ML_DSA_44'] as const) {
        // The spec is refused first, with AWS's empty message, whatever the origin.
        expect(outcome(() => checkRotatable(operation, record(spec, 'EXTERNAL'), ARN))).to.equal('UnsupportedOperationException: ');
      }
    }
  });

  it('refuses an on-demand rotation at the quota, and within 20 minutes of an automatic one', () => {
    const now = new Date('2026-01-01T00:00:00Z');
    const onDemand = (n: number) =>
      Array.from({ length: n }, (_, i) => ({ keyMaterialId: String(i), rotationDate: now, rotationType: 'ON_DEMAND' as const }));
    const automatic = Array.from({ length: 30 }, (_, i) => ({ keyMaterialId: `a${i}`, rotationDate: now, rotationType: 'AUTOMATIC' as const }));
    const at = (ms: number) => ({ periodInDays: 90, nextRotationDate: new Date(now.getTime() + ms) });
    const check = (extra: Partial<KeyRecord>) => outcome(() => checkOnDemandRotation(record('SYMMETRIC_DEFAULT', 'AWS_KMS', extra), ARN, now));
    expect(check({})).to.equal('ok');
    expect(check({ keyMaterials: [{ keyMaterialId: 'first' }, ...onDemand(MAX_ON_DEMAND_ROTATIONS - 1), ...automatic] })).to.equal('ok');
    expect(check({ keyMaterials: onDemand(MAX_ON_DEMAND_ROTATIONS) })).to.equal(
      `LimitExceededException: ${ARN} has reached the quota of 25 on-demand rotations.`,
    );
    expect(check({ rotation: at(20 * 60_000 + 1) })).to.equal('ok');
    const conflict = `ConflictException: An automatic rotation of ${ARN} is in progress or scheduled to begin within the next 20 minutes.`;
    expect(check({ rotation: at(20 * 60_000) })).to.equal(conflict);
    expect(check({ rotation: at(0) })).to.equal(conflict);
  });
});
