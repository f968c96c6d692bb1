/**
 * Authorization on the simulator (docs/kms-behaviour.md §26, `enforcePolicies`): the default key policy, a policy
 * that leaves out the account, principals of another account (key ARN required), grants (and their revocation),
 * explicit Deny statements, conditions, the order of checks, and that without the option nothing is decided.
 */
import { expect } from 'chai';
import { InvalidArgumentError } from '../../../src/domain/errors.js';
import type { SimulatedKms } from '../../../src/adapters/simulator/simulated-kms.js';
import type { KmsPort } from '../../../src/ports/kms.port.js';
import { ACCOUNT, REGION, bytes, expectKmsError, keyArn, newKms } from './simulator-test-kit.js';

const OTHER = '444455556666';
const ROOT = `arn:aws:iam::${ACCOUNT}:root`;
const APP = `arn:aws:iam::${ACCOUNT}:role/app`;
const AUDITOR = `arn:aws:iam::${ACCOUNT}:user/auditor`;
const PARTNER = `arn:aws:iam::${OTHER}:role/partner`;
const PARTNER_ROOT = `arn:aws:iam::${OTHER}:root`;

const policy = (...statements: object[]): string => JSON.stringify({ Version: '2012-10-17', Statement: statements });
const allowRoot = { Effect: 'Allow', Principal: { AWS: ROOT }, Action: 'kms:*', Resource: '*' };
const denied = (principal: string, action: string, arn: string): string =>
  `User: ${principal} is not authorized to perform: ${action} on resource: ${arn} because no resource-based policy allows the ${action} action`;
const explicitlyDenied = (principal: string, action: string, arn: string): string =>
  `User: ${principal} is not authorized to perform: ${action} on resource: ${arn} with an explicit deny in a resource-based policy`;

describe('adapters/simulator/SimulatedKms — authorization (enforcePolicies)', () => {
  let kms: SimulatedKms;
  const keyWith = async (Policy?: string): Promise<{ id: string; arn: string }> => {
    const { KeyMetadata } = await kms.createKey({ ...(Policy === undefined ? {} : { Policy, BypassPolicyLockoutSafetyCheck: true }) });
    return { id: KeyMetadata.KeyId, arn: KeyMetadata.Arn as string };
  };
  const encryptAs = (caller: KmsPort, KeyId: string, EncryptionContext?: Record<string, string>) =>
    caller.encrypt({ KeyId, Plaintext: bytes('secret'), ...(EncryptionContext === undefined ? {} : { EncryptionContext }) });

  beforeEach(() => {
    kms = newKms({ enforcePolicies: true });
  });

  it("the default key policy lets the account root and every principal of the account use the key", async () => {
    const key = await keyWith();
    const { CiphertextBlob } = await kms.encrypt({ KeyId: key.id, Plaintext: bytes('x') });
    expect((await kms.as(APP).decrypt({ CiphertextBlob })).KeyId).to.equal(key.arn);
    await kms.as(AUDITOR).describeKey({ KeyId: key.id });
    await kms.as(ROOT).scheduleKeyDeletion({ KeyId: key.id, PendingWindowInDays: 7 });
  });

  it('a key policy without the account root refuses even the account, naming the permission', async () => {
    const key = await keyWith(policy({ Effect: 'Allow', Principal: { AWS: APP }, Action: ['kms:Encrypt', 'kms:Describe*'], Resource: '*' }));
    await encryptAs(kms.as(APP), key.id);
    await kms.as(APP).describeKey({ KeyId: key.id });
    await expectKmsError(kms.describeKey({ KeyId: key.id }), 'AccessDeniedException', denied(ROOT, 'kms:DescribeKey', key.arn));
    await expectKmsError(encryptAs(kms.as(AUDITOR), key.id), 'AccessDeniedException', denied(AUDITOR, 'kms:Encrypt', key.arn));
    await expectKmsError(kms.as(APP).disableKey({ KeyId: key.id }), 'AccessDeniedException', denied(APP, 'kms:DisableKey', key.arn));
    await expectKmsError(kms.putKeyPolicy({ KeyId: key.id, Policy: policy(allowRoot) }), 'AccessDeniedException', denied(ROOT, 'kms:PutKeyPolicy', key.arn));
  });

  it('is decided before the key state: an unauthorized caller learns nothing of a disabled key', async () => {
    const key = await keyWith(policy(allowRoot));
    await kms.disableKey({ KeyId: key.id });
    await expectKmsError(encryptAs(kms, key.id), 'DisabledException');
    await expectKmsError(encryptAs(kms.as(PARTNER), key.arn), 'AccessDeniedException', denied(PARTNER, 'kms:Encrypt', key.arn));
  });

  describe('principals of another account', () => {
    const crossAccount = (actions: string[]) =>
      policy(allowRoot, { Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${OTHER}:root` }, Action: actions, Resource: '*' });

    it('use a key by its key ARN or alias ARN when the key policy allows their account', async () => {
      const key = await keyWith(crossAccount(['kms:Encrypt', 'kms:Decrypt', 'kms:DescribeKey']));
      await kms.createAlias({ AliasName: 'alias/shared', TargetKeyId: key.id });
      const partner = kms.as(PARTNER);
      const { CiphertextBlob } = await encryptAs(partner, key.arn);
      expect((await partner.decrypt({ CiphertextBlob })).KeyId).to.equal(key.arn);
      expect((await partner.describeKey({ KeyId: `arn:aws:kms:${REGION}:${ACCOUNT}:alias/shared` })).KeyMetadata.Arn).to.equal(key.arn);
      await expectKmsError(partner.generateDataKey({ KeyId: key.arn, KeySpec: 'AES_256' }), 'AccessDeniedException', denied(PARTNER, 'kms:GenerateDataKey', key.arn));
    });

    it('a key ID or alias name names a key of their own account: NotFoundException, as in KMS', async () => {
      const key = await keyWith(crossAccount(['kms:*']));
      await kms.createAlias({ AliasName: 'alias/shared', TargetKeyId: key.id });
      const partner = kms.as(PARTNER);
      await expectKmsError(encryptAs(partner, key.id), 'NotFoundException', `Key 'arn:aws:kms:${REGION}:${OTHER}:key/${key.id}' does not exist`);
      await expectKmsError(encryptAs(partner, 'alias/shared'), 'NotFoundException', `Alias arn:aws:kms:${REGION}:${OTHER}:alias/shared is not found.`);
    });

    it('never manage the key, whatever its policy allows (operations KMS refuses across accounts)', async () => {
      const key = await keyWith(crossAccount(['kms:*']));
      const partner = kms.as(PARTNER_ROOT);
      await expectKmsError(partner.scheduleKeyDeletion({ KeyId: key.arn }), 'AccessDeniedException', denied(PARTNER_ROOT, 'kms:ScheduleKeyDeletion', key.arn));
      await expectKmsError(partner.putKeyPolicy({ KeyId: key.arn, Policy: policy(allowRoot) }), 'AccessDeniedException', denied(PARTNER_ROOT, 'kms:PutKeyPolicy', key.arn));
      await expectKmsError(partner.tagResource({ KeyId: key.arn, Tags: [{ TagKey: 'a', TagValue: 'b' }] }), 'AccessDeniedException');
      await partner.getKeyRotationStatus({ KeyId: key.arn }); // one that does cross accounts
      try {
        await partner.createKey({});
        expect.fail('createKey as another account should be refused');
      } catch (e) {
        expect(e).to.be.instanceOf(InvalidArgumentError);
        expect((e as Error).message).to.contain(`call it on account ${OTHER}'s SimulatedKms`);
      }
    });

    it('are allowed by a grant for exactly their principal, within its constraint, until it is revoked', async () => {
      const key = await keyWith();
      const partner = kms.as(PARTNER);
      await expectKmsError(encryptAs(partner, key.arn), 'AccessDeniedException', denied(PARTNER, 'kms:Encrypt', key.arn));
      const { GrantId = '' } = await kms.createGrant({
        KeyId: key.id,
        GranteePrincipal: PARTNER,
        Operations: ['Encrypt', 'Decrypt'],
        Constraints: { EncryptionContextSubset: { tenant: 'blue' } },
      });
      const { CiphertextBlob } = await encryptAs(partner, key.arn, { tenant: 'blue', extra: '1' });
      await partner.decrypt({ CiphertextBlob, EncryptionContext: { tenant: 'blue', extra: '1' } });
      await expectKmsError(encryptAs(partner, key.arn, { tenant: 'red' }), 'AccessDeniedException', denied(PARTNER, 'kms:Encrypt', key.arn));
      await expectKmsError(encryptAs(kms.as(`arn:aws:iam::${OTHER}:role/someone-else`), key.arn, { tenant: 'blue' }), 'AccessDeniedException');
      await expectKmsError(partner.generateDataKey({ KeyId: key.arn, KeySpec: 'AES_256', EncryptionContext: { tenant: 'blue' } }), 'AccessDeniedException');
      await kms.revokeGrant({ KeyId: key.id, GrantId });
      await expectKmsError(encryptAs(partner, key.arn, { tenant: 'blue' }), 'AccessDeniedException', denied(PARTNER, 'kms:Encrypt', key.arn));
    });

    it('a grant they create is issued by their account; they retire it only as its retiring principal', async () => {
      const key = await keyWith(crossAccount(['kms:CreateGrant']));
      const partner = kms.as(PARTNER);
      const { GrantToken = '', GrantId } = await partner.createGrant({
        KeyId: key.arn,
        GranteePrincipal: PARTNER,
        RetiringPrincipal: PARTNER,
        Operations: ['Encrypt'],
      });
      const { Grants } = await kms.listGrants({ KeyId: key.id });
      expect(Grants?.map((g) => [g.GrantId, g.IssuingAccount])).to.deep.equal([[GrantId, PARTNER_ROOT]]);
      await encryptAs(partner, key.arn);
      const stranger = `arn:aws:iam::999988887777:role/x`;
      await expectKmsError(kms.as(stranger).retireGrant({ GrantToken }), 'AccessDeniedException', denied(stranger, 'kms:RetireGrant', key.arn));
      await partner.retireGrant({ GrantToken });
      await expectKmsError(encryptAs(partner, key.arn), 'AccessDeniedException');
    });
  });

  it('an explicit Deny beats every Allow and every grant, and says so', async () => {
    const deny = { Effect: 'Deny', Principal: { AWS: APP }, Action: 'kms:Decrypt', Resource: '*' };
    const key = await keyWith(policy(allowRoot, deny));
    await kms.createGrant({ KeyId: key.id, GranteePrincipal: APP, Operations: ['Decrypt'] });
    const app = kms.as(APP);
    const { CiphertextBlob } = await encryptAs(app, key.id); // the account root's statement covers the account's roles
    await expectKmsError(app.decrypt({ CiphertextBlob }), 'AccessDeniedException', explicitlyDenied(APP, 'kms:Decrypt', key.arn));
    await kms.decrypt({ CiphertextBlob });
  });

  it('ReEncrypt needs kms:ReEncryptFrom on the source key and kms:ReEncryptTo on the destination', async () => {
    const source = await keyWith(policy(allowRoot, { Effect: 'Deny', Principal: '*', Action: 'kms:ReEncryptFrom', Resource: '*' }));
    const destination = await keyWith(policy(allowRoot, { Effect: 'Deny', Principal: '*', Action: 'kms:ReEncryptTo', Resource: '*' }));
    const open = await keyWith();
    const { CiphertextBlob } = await kms.encrypt({ KeyId: source.id, Plaintext: bytes('x') });
    await expectKmsError(kms.reEncrypt({ CiphertextBlob, DestinationKeyId: open.id }), 'AccessDeniedException', explicitlyDenied(ROOT, 'kms:ReEncryptFrom', source.arn));
    const blob = (await kms.encrypt({ KeyId: open.id, Plaintext: bytes('x') })).CiphertextBlob;
    await expectKmsError(kms.reEncrypt({ CiphertextBlob: blob, DestinationKeyId: destination.id }), 'AccessDeniedException', explicitlyDenied(ROOT, 'kms:ReEncryptTo', destination.arn));
    expect((await kms.reEncrypt({ CiphertextBlob: blob, DestinationKeyId: open.id })).KeyId).to.equal(open.arn);
  });

  it('conditions: the encryption context and the caller account decide; an unknown condition never lets a request through', async () => {
    const key = await keyWith(
      policy(
        { Effect: 'Allow', Principal: '*', Action: 'kms:Encrypt', Resource: '*', Condition: { StringEquals: { 'kms:EncryptionContext:purpose': 'billing', 'kms:CallerAccount': ACCOUNT } } },
        { Effect: 'Allow', Principal: { AWS: ROOT }, Action: 'kms:DescribeKey', Resource: '*', Condition: { IpAddress: { 'aws:SourceIp': '10.0.0.0/8' } } },
        { Effect: 'Deny', Principal: '*', Action: 'kms:Encrypt', Resource: '*', Condition: { StringEquals: { 'aws:SourceVpce': 'vpce-1' } } },
        { Effect: 'Allow', Principal: '*', Action: 'kms:GenerateDataKey', Resource: '*', Condition: { StringNotEquals: { 'kms:ViaService': 's3.us-east-1.amazonaws.com' } } },
      ),
    );
    // The Deny with the unknown key aws:SourceVpce applies: Encrypt is refused although the context matches.
    await expectKmsError(encryptAs(kms.as(APP), key.id, { purpose: 'billing' }), 'AccessDeniedException', explicitlyDenied(APP, 'kms:Encrypt', key.arn));
    // The Allow with the unknown operator IpAddress does not allow.
    await expectKmsError(kms.describeKey({ KeyId: key.id }), 'AccessDeniedException', denied(ROOT, 'kms:DescribeKey', key.arn));
    // kms:ViaService is never set on a direct call: StringNotEquals holds.
    await kms.as(APP).generateDataKey({ KeyId: key.id, KeySpec: 'AES_256' });

    const contextual = await keyWith(
      policy({ Effect: 'Allow', Principal: '*', Action: 'kms:Encrypt', Resource: '*', Condition: { StringEquals: { 'kms:EncryptionContext:purpose': 'billing', 'kms:CallerAccount': ACCOUNT } } }),
    );
    await encryptAs(kms.as(APP), contextual.id, { purpose: 'billing' });
    await expectKmsError(encryptAs(kms.as(APP), contextual.id, { purpose: 'other' }), 'AccessDeniedException');
    await expectKmsError(encryptAs(kms.as(APP), contextual.id), 'AccessDeniedException');
    await expectKmsError(encryptAs(kms.as(PARTNER), contextual.arn, { purpose: 'billing' }), 'AccessDeniedException', denied(PARTNER, 'kms:Encrypt', contextual.arn));
  });

  it('as() checks its principal, and needs the option', () => {
    expect(() => kms.as('role/app')).to.throw(InvalidArgumentError, /arn:aws:iam::<12-digit account>:root/);
    expect(() => kms.as(`arn:aws:iam::${ACCOUNT}:group/devs`)).to.throw(InvalidArgumentError, /got 'arn:aws:iam::111122223333:group\/devs'/);
    expect(() => newKms().as(APP)).to.throw(InvalidArgumentError, 'SimulatedKms.as() needs the option enforcePolicies: true');
    expect(() => newKms({ enforcePolicies: 'yes' as unknown as boolean })).to.throw(InvalidArgumentError, 'enforcePolicies must be true or false');
  });

  it('without enforcePolicies nothing is decided: a policy that names nobody still lets the account use the key', async () => {
    kms = newKms();
    const key = await keyWith(policy({ Effect: 'Deny', Principal: '*', Action: 'kms:*', Resource: '*' }));
    const { CiphertextBlob } = await encryptAs(kms, key.id);
    await kms.decrypt({ CiphertextBlob });
    await kms.scheduleKeyDeletion({ KeyId: keyArn(key.id), PendingWindowInDays: 7 });
  });
});
