/**
 * Grants on the simulator (docs/kms-behaviour.md §22): the operations a grant may allow per key type, constraints,
 * Name idempotency, the refusals of RetireGrant and RevokeGrant, grant tokens on cryptographic operations, key
 * states, and grants deleted with their key.
 */
import { expect } from 'chai';
import type { SimulatedKms } from '../../../src/adapters/simulator/simulated-kms.js';
import type { KmsGrantOperation } from '../../../src/ports/kms.port.js';
import { ACCOUNT, DAY_MS, ManualClock, bytes, createKey, expectKmsError, keyArn, newKms } from './simulator-test-kit.js';

const GRANTEE = `arn:aws:iam::${ACCOUNT}:role/app`;
const RETIRER = `arn:aws:iam::${ACCOUNT}:role/retirer`;

describe('adapters/simulator/SimulatedKms — grants', () => {
  let kms: SimulatedKms;
  let clock: ManualClock;
  const grant = (KeyId: string, Operations: KmsGrantOperation[], extra: object = {}) =>
    kms.createGrant({ KeyId, GranteePrincipal: GRANTEE, Operations, ...extra });

  beforeEach(() => {
    clock = new ManualClock();
    kms = newKms({ clock: clock.now });
  });

  it('allows per key type only the operations AWS allows, naming the refused ones', async () => {
    const cases: Array<[Awaited<ReturnType<typeof createKey>>, KmsGrantOperation[], KmsGrantOperation[]]> = [
      [await createKey(kms), ['Encrypt', 'Decrypt', 'GenerateDataKey', 'ReEncryptFrom', 'ReEncryptTo', 'GenerateDataKeyPair', 'DescribeKey', 'CreateGrant', 'RetireGrant'], ['Sign', 'GetPublicKey']],
      [await createKey(kms, 'RSA_2048', 'ENCRYPT_DECRYPT'), ['Encrypt', 'Decrypt', 'GetPublicKey'], ['GenerateDataKey', 'Sign']],
      [await createKey(kms, 'ECC_NIST_P256'), ['Sign', 'Verify', 'GetPublicKey'], ['Encrypt', 'GenerateMac']],
      [await createKey(kms, 'HMAC_256'), ['GenerateMac', 'VerifyMac'], ['Sign', 'Decrypt']],
      [await createKey(kms, 'ECC_NIST_P256', 'KEY_AGREEMENT'), ['DeriveSharedSecret', 'GetPublicKey'], ['Sign']],
    ];
    for (const [key, allowed, refused] of cases) {
      expect((await grant(key.KeyId, allowed)).GrantId).to.match(/^[0-9a-f]{64}$/);
      await expectKmsError(
        grant(key.KeyId, [...allowed, ...refused]),
        'ValidationException',
        `Grant operations ${refused.join(', ')} are not permitted for key ${key.KeySpec} with usage ${key.KeyUsage}`,
      );
    }
  });

  it('takes one constraint, only with operations that take an encryption context', async () => {
    const key = await createKey(kms);
    await grant(key.KeyId, ['Encrypt', 'Decrypt'], { Constraints: { EncryptionContextEquals: { a: 'b' } } });
    await expectKmsError(
      grant(key.KeyId, ['Encrypt'], { Constraints: { EncryptionContextEquals: { a: 'b' }, EncryptionContextSubset: { a: 'b' } } }),
      'ValidationException',
      'EncryptionContextSubset and EncryptionContextEquals cannot both be set',
    );
    await expectKmsError(
      grant(key.KeyId, ['Encrypt', 'DescribeKey'], { Constraints: { EncryptionContextSubset: { a: 'b' } } }),
      'ValidationException',
      'Grant constraints are only supported for operations that take an encryption context: DescribeKey',
    );
    await expectKmsError(grant(key.KeyId, ['Nope' as KmsGrantOperation]), 'ValidationException', /Member must satisfy enum value set/);
  });

  it('answers a repeated Name with the same parameters with the same grant; other parameters make a new one', async () => {
    const key = await createKey(kms);
    const a = await grant(key.KeyId, ['Encrypt'], { Name: 'n' });
    const again = await grant(key.KeyId, ['Encrypt'], { Name: 'n' });
    expect(again.GrantId).to.equal(a.GrantId);
    expect(again.GrantToken).to.not.equal(a.GrantToken);
    const other = await grant(key.KeyId, ['Decrypt'], { Name: 'n' });
    expect(other.GrantId).to.not.equal(a.GrantId);
    expect((await kms.listGrants({ KeyId: key.KeyId })).Grants).to.have.length(2);
    // Both tokens of the named grant are valid.
    await kms.encrypt({ KeyId: key.KeyId, Plaintext: bytes('x'), GrantTokens: [a.GrantToken ?? '', again.GrantToken ?? ''] });
  });

  it('refuses unknown and malformed grants on RevokeGrant and RetireGrant', async () => {
    const key = await createKey(kms);
    await expectKmsError(kms.revokeGrant({ KeyId: key.KeyId, GrantId: 'f'.repeat(64) }), 'NotFoundException', `Grant ID ${'f'.repeat(64)} not found`);
    await expectKmsError(kms.revokeGrant({ KeyId: key.KeyId, GrantId: 'nope' }), 'InvalidGrantIdException', 'Invalid grant ID');
    await expectKmsError(kms.retireGrant({ KeyId: key.Arn, GrantId: 'nope' }), 'InvalidGrantIdException', 'Invalid grant ID');
    await expectKmsError(kms.retireGrant({ KeyId: key.Arn }), 'ValidationException', 'Either GrantToken or both KeyId and GrantId must be specified');
    await expectKmsError(kms.retireGrant({ GrantToken: 'garbage' }), 'InvalidGrantTokenException', 'The grant token is not valid.');
    await expectKmsError(kms.revokeGrant({ KeyId: 'alias/none', GrantId: 'f'.repeat(64) }), 'NotFoundException');
  });

  it('accepts the token of an existing grant on cryptographic operations, refuses it once the grant is gone', async () => {
    const key = await createKey(kms, 'ECC_NIST_P256');
    const { GrantToken = '', GrantId = '' } = await grant(key.KeyId, ['Sign']);
    await kms.sign({ KeyId: key.KeyId, Message: bytes('m'), SigningAlgorithm: 'ECDSA_SHA_256', GrantTokens: [GrantToken] });
    await expectKmsError(
      kms.sign({ KeyId: key.KeyId, Message: bytes('m'), SigningAlgorithm: 'ECDSA_SHA_256', GrantTokens: [GrantToken, 'garbage'] }),
      'InvalidGrantTokenException',
      'The grant token is not valid.',
    );
    await kms.revokeGrant({ KeyId: key.KeyId, GrantId });
    await expectKmsError(
      kms.sign({ KeyId: key.KeyId, Message: bytes('m'), SigningAlgorithm: 'ECDSA_SHA_256', GrantTokens: [GrantToken] }),
      'InvalidGrantTokenException',
    );
    await expectKmsError(grant(key.KeyId, ['Sign'], { GrantTokens: ['garbage'] }), 'InvalidGrantTokenException');
  });

  it('grants on a Disabled key; lists, retires and revokes on a key pending deletion; deletes the grants with the key', async () => {
    const key = await createKey(kms);
    await kms.disableKey({ KeyId: key.KeyId });
    const a = await grant(key.KeyId, ['Encrypt'], { RetiringPrincipal: RETIRER });
    const b = await grant(key.KeyId, ['Decrypt'], { RetiringPrincipal: RETIRER });
    const c = await grant(key.KeyId, ['Decrypt'], { RetiringPrincipal: RETIRER });
    await kms.scheduleKeyDeletion({ KeyId: key.KeyId, PendingWindowInDays: 7 });
    await expectKmsError(grant(key.KeyId, ['Encrypt']), 'KMSInvalidStateException', `${keyArn(key.KeyId)} is pending deletion.`);
    await kms.revokeGrant({ KeyId: key.KeyId, GrantId: a.GrantId ?? '' });
    await kms.retireGrant({ KeyId: key.Arn, GrantId: b.GrantId ?? '' });
    expect((await kms.listGrants({ KeyId: key.KeyId })).Grants.map((g) => g.GrantId)).to.deep.equal([c.GrantId]);
    clock.advance(8 * DAY_MS);
    expect((await kms.listRetirableGrants({ RetiringPrincipal: RETIRER })).Grants).to.deep.equal([]);
    await expectKmsError(kms.retireGrant({ GrantToken: c.GrantToken ?? '' }), 'InvalidGrantTokenException');
  });

  it('pages ListRetirableGrants across keys, and refuses a Marker of another listing', async () => {
    const [k1, k2] = [await createKey(kms), await createKey(kms)];
    const ids = [];
    for (const key of [k1, k2, k1]) ids.push((await grant(key.KeyId, ['Encrypt'], { RetiringPrincipal: RETIRER })).GrantId);
    await grant(k1.KeyId, ['Encrypt'], { RetiringPrincipal: GRANTEE });
    const first = await kms.listRetirableGrants({ RetiringPrincipal: RETIRER, Limit: 2 });
    expect(first.Truncated).to.equal(true);
    const rest = await kms.listRetirableGrants({ RetiringPrincipal: RETIRER, Marker: first.NextMarker ?? '' });
    expect([...first.Grants, ...rest.Grants].map((g) => g.GrantId).sort()).to.deep.equal([...ids].sort());
    expect(rest.Truncated).to.equal(false);
    await expectKmsError(kms.listGrants({ KeyId: k1.KeyId, Marker: first.NextMarker ?? '' }), 'InvalidMarkerException');
  });
});
