import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'chai';
import { SimulatedKms } from '../../../src/adapters/simulator/simulated-kms.js';
import { ACCOUNT, ManualClock, REGION, createKey, expectKmsError, keyArn, newKms } from './simulator-test-kit.js';

const ROOT = `arn:aws:iam::${ACCOUNT}:root`;
const policyOf = (sid: string) =>
  JSON.stringify({
    Version: '2012-10-17',
    Statement: [{ Sid: sid, Effect: 'Allow', Principal: { AWS: ROOT }, Action: 'kms:*', Resource: '*' }],
  });
const LOCKED_OUT = JSON.stringify({
  Version: '2012-10-17',
  Statement: [{ Effect: 'Allow', Principal: { AWS: ROOT }, Action: 'kms:Describe*', Resource: '*' }],
});
const LOCKOUT = 'The new key policy will not allow you to update the key policy in the future.';
const DEFAULT_POLICY =
  '{\n  "Version" : "2012-10-17",\n  "Id" : "key-default-1",\n  "Statement" : [ {\n' +
  '    "Sid" : "Enable IAM User Permissions",\n    "Effect" : "Allow",\n    "Principal" : {\n' +
  `      "AWS" : "${ROOT}"\n    },\n    "Action" : "kms:*",\n    "Resource" : "*"\n  } ]\n}`;

describe('adapters/simulator/SimulatedKms — key policies and description', () => {
  describe('GetKeyPolicy', () => {
    it("returns AWS's default key policy, byte for byte, and the policy name", async () => {
      const kms = newKms();
      const key = await createKey(kms);
      expect(await kms.getKeyPolicy({ KeyId: key.KeyId, PolicyName: 'default' })).to.deep.equal({
        Policy: DEFAULT_POLICY,
        PolicyName: 'default',
      });
      expect(await kms.getKeyPolicy({ KeyId: key.Arn })).to.deep.equal({ Policy: DEFAULT_POLICY, PolicyName: 'default' });
    });

    it('returns the policy given at CreateKey as given (no reformatting)', async () => {
      const kms = newKms();
      const policy = `  ${policyOf('mine')}\n`;
      const { KeyMetadata } = await kms.createKey({ Policy: policy });
      expect((await kms.getKeyPolicy({ KeyId: KeyMetadata.KeyId })).Policy).to.equal(policy);
    });

    it('refuses other policy names, aliases as KeyId, and unknown keys', async () => {
      const kms = newKms();
      const key = await createKey(kms);
      await kms.createAlias({ AliasName: 'alias/p', TargetKeyId: key.KeyId });
      await expectKmsError(kms.getKeyPolicy({ KeyId: key.KeyId, PolicyName: 'other' }), 'NotFoundException', 'No such policy exists');
      await expectKmsError(
        kms.getKeyPolicy({ KeyId: key.KeyId, PolicyName: 'no spaces' }),
        'ValidationException',
        "1 validation error detected: Value 'no spaces' at 'policyName' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\w]+",
      );
      await expectKmsError(
        kms.getKeyPolicy({ KeyId: key.KeyId, PolicyName: 'p'.repeat(129) }),
        'ValidationException',
        /at 'policyName' failed to satisfy constraint: Member must have length less than or equal to 128$/,
      );
      await expectKmsError(kms.getKeyPolicy({ KeyId: 'alias/p' }), 'NotFoundException', "Invalid keyId 'alias/p'");
      const absent = '00000000-0000-4000-8000-000000000000';
      await expectKmsError(kms.getKeyPolicy({ KeyId: absent }), 'NotFoundException', `Key '${keyArn(absent)}' does not exist`);
      // The key comes first: an unknown key with a wrong name is about the key.
      await expectKmsError(kms.getKeyPolicy({ KeyId: absent, PolicyName: 'other' }), 'NotFoundException', /does not exist$/);
    });
  });

  describe('PutKeyPolicy', () => {
    it('replaces the policy; GetKeyPolicy returns it exactly', async () => {
      const kms = newKms();
      const key = await createKey(kms);
      await kms.putKeyPolicy({ KeyId: key.KeyId, PolicyName: 'default', Policy: policyOf('one') });
      expect((await kms.getKeyPolicy({ KeyId: key.KeyId })).Policy).to.equal(policyOf('one'));
      await kms.putKeyPolicy({ KeyId: key.Arn, Policy: policyOf('two') });
      expect((await kms.getKeyPolicy({ KeyId: key.KeyId })).Policy).to.equal(policyOf('two'));
    });

    it('refuses a policy that locks the caller out, unless BypassPolicyLockoutSafetyCheck', async () => {
      const kms = newKms();
      const key = await createKey(kms);
      await expectKmsError(kms.putKeyPolicy({ KeyId: key.KeyId, Policy: LOCKED_OUT }), 'MalformedPolicyDocumentException', LOCKOUT);
      await expectKmsError(
        kms.putKeyPolicy({ KeyId: key.KeyId, Policy: LOCKED_OUT, BypassPolicyLockoutSafetyCheck: false }),
        'MalformedPolicyDocumentException',
        LOCKOUT,
      );
      expect((await kms.getKeyPolicy({ KeyId: key.KeyId })).Policy).to.equal(DEFAULT_POLICY);
      await kms.putKeyPolicy({ KeyId: key.KeyId, Policy: LOCKED_OUT, BypassPolicyLockoutSafetyCheck: true });
      expect((await kms.getKeyPolicy({ KeyId: key.KeyId })).Policy).to.equal(LOCKED_OUT);
    });

    it('a Resource naming this key passes the lockout check, another key does not', async () => {
      const kms = newKms();
      const key = await createKey(kms);
      const on = (resource: string) =>
        JSON.stringify({ Statement: [{ Effect: 'Allow', Principal: { AWS: ACCOUNT }, Action: 'kms:PutKeyPolicy', Resource: resource }] });
      await kms.putKeyPolicy({ KeyId: key.KeyId, Policy: on(key.Arn) });
      await expectKmsError(kms.putKeyPolicy({ KeyId: key.KeyId, Policy: on(keyArn('other')) }), 'MalformedPolicyDocumentException', LOCKOUT);
    });

    it('checks the shape, then the key, then the name, quota and grammar', async () => {
      const kms = newKms();
      const key = await createKey(kms);
      await expectKmsError(
        kms.putKeyPolicy({ KeyId: key.KeyId } as never),
        'ValidationException',
        "1 validation error detected: Value null at 'policy' failed to satisfy constraint: Member must not be null",
      );
      await expectKmsError(
        kms.putKeyPolicy({ KeyId: key.KeyId, Policy: '{"Statement": "\u0100"}' }),
        'ValidationException',
        /at 'policy' failed to satisfy constraint: Member must satisfy regular expression pattern: \[\\u0009\\u000A\\u000D\\u0020-\\u00FF\]\+$/,
      );
      await expectKmsError(kms.putKeyPolicy({ KeyId: keyArn('absent'), Policy: 'not json' }), 'NotFoundException');
      await expectKmsError(kms.putKeyPolicy({ KeyId: key.KeyId, PolicyName: 'other', Policy: 'not json' }), 'NotFoundException', 'No such policy exists');
      const big = JSON.stringify({ Statement: [], Pad: 'x'.repeat(32_768) });
      await expectKmsError(kms.putKeyPolicy({ KeyId: key.KeyId, Policy: big }), 'LimitExceededException', 'The key policy exceeds the quota of 32768 bytes.');
      await expectKmsError(kms.putKeyPolicy({ KeyId: key.KeyId, Policy: 'not json' }), 'MalformedPolicyDocumentException', 'Syntax errors in policy.');
      await expectKmsError(
        kms.putKeyPolicy({ KeyId: key.KeyId, Policy: '{"Statement":[{"Effect":"Allow","Action":"kms:*","Resource":"*"}]}', BypassPolicyLockoutSafetyCheck: true }),
        'MalformedPolicyDocumentException',
        'Policy contains a statement with no principal.',
      );
      expect((await kms.getKeyPolicy({ KeyId: key.KeyId })).Policy).to.equal(DEFAULT_POLICY);
    });

    it('works in every key state: Disabled and PendingDeletion too', async () => {
      const kms = newKms();
      const key = await createKey(kms);
      await kms.disableKey({ KeyId: key.KeyId });
      await kms.putKeyPolicy({ KeyId: key.KeyId, Policy: policyOf('disabled') });
      await kms.scheduleKeyDeletion({ KeyId: key.KeyId, PendingWindowInDays: 7 });
      await kms.putKeyPolicy({ KeyId: key.KeyId, Policy: policyOf('pending') });
      expect((await kms.getKeyPolicy({ KeyId: key.KeyId })).Policy).to.equal(policyOf('pending'));
      expect((await kms.listKeyPolicies({ KeyId: key.KeyId })).PolicyNames).to.deep.equal(['default']);
    });
  });

  describe('CreateKey with a Policy', () => {
    it('applies the same checks, with BypassPolicyLockoutSafetyCheck', async () => {
      const kms = newKms();
      await expectKmsError(kms.createKey({ Policy: LOCKED_OUT }), 'MalformedPolicyDocumentException', LOCKOUT);
      await expectKmsError(kms.createKey({ Policy: '{"Version":"1999-01-01","Statement":[]}' }), 'MalformedPolicyDocumentException', 'Syntax errors in policy.');
      const { KeyMetadata } = await kms.createKey({ Policy: LOCKED_OUT, BypassPolicyLockoutSafetyCheck: true });
      expect((await kms.getKeyPolicy({ KeyId: KeyMetadata.KeyId })).Policy).to.equal(LOCKED_OUT);
      expect((await kms.listKeys({})).Keys).to.have.length(1);
    });
  });

  describe('ListKeyPolicies', () => {
    it('lists ["default"] in every key state, Truncated false, with the model limits', async () => {
      const kms = newKms();
      const key = await createKey(kms);
      expect(await kms.listKeyPolicies({ KeyId: key.KeyId })).to.deep.equal({ PolicyNames: ['default'], Truncated: false });
      expect(await kms.listKeyPolicies({ KeyId: key.Arn, Limit: 1 })).to.deep.equal({ PolicyNames: ['default'], Truncated: false });
      expect(await kms.listKeyPolicies({ KeyId: key.KeyId, Limit: 1000 })).to.deep.equal({ PolicyNames: ['default'], Truncated: false });
      await expectKmsError(kms.listKeyPolicies({ KeyId: key.KeyId, Limit: 0 }), 'ValidationException', /at 'limit' .*greater than or equal to 1$/);
      await expectKmsError(kms.listKeyPolicies({ KeyId: key.KeyId, Limit: 1001 }), 'ValidationException', /at 'limit' .*less than or equal to 1000$/);
      await expectKmsError(kms.listKeyPolicies({ KeyId: key.KeyId, Marker: 'made-up' }), 'InvalidMarkerException', 'Marker is not valid for this request');
      await kms.scheduleKeyDeletion({ KeyId: key.KeyId });
      expect((await kms.listKeyPolicies({ KeyId: key.KeyId })).PolicyNames).to.deep.equal(['default']);
      await expectKmsError(kms.listKeyPolicies({ KeyId: keyArn('00000000-0000-4000-8000-000000000000') }), 'NotFoundException');
    });
  });

  describe('UpdateKeyDescription', () => {
    it('sets and clears the Description (0–8192 characters), seen by DescribeKey', async () => {
      const kms = newKms();
      const key = await createKey(kms);
      await kms.updateKeyDescription({ KeyId: key.KeyId, Description: 'new text' });
      expect((await kms.describeKey({ KeyId: key.KeyId })).KeyMetadata.Description).to.equal('new text');
      await kms.updateKeyDescription({ KeyId: key.Arn, Description: 'd'.repeat(8192) });
      expect((await kms.describeKey({ KeyId: key.KeyId })).KeyMetadata.Description).to.have.length(8192);
      await kms.updateKeyDescription({ KeyId: key.KeyId, Description: '' });
      expect((await kms.describeKey({ KeyId: key.KeyId })).KeyMetadata.Description).to.equal('');
      await expectKmsError(
        kms.updateKeyDescription({ KeyId: key.KeyId, Description: 'd'.repeat(8193) }),
        'ValidationException',
        /at 'description' failed to satisfy constraint: Member must have length less than or equal to 8192$/,
      );
      await expectKmsError(
        kms.updateKeyDescription({ KeyId: key.KeyId } as never),
        'ValidationException',
        "1 validation error detected: Value null at 'description' failed to satisfy constraint: Member must not be null",
      );
    });

    it('works on a Disabled key, is refused while the key is pending deletion', async () => {
      const kms = newKms();
      const key = await createKey(kms);
      await kms.disableKey({ KeyId: key.KeyId });
      await kms.updateKeyDescription({ KeyId: key.KeyId, Description: 'disabled' });
      await kms.scheduleKeyDeletion({ KeyId: key.KeyId });
      await expectKmsError(
        kms.updateKeyDescription({ KeyId: key.KeyId, Description: 'pending' }),
        'KMSInvalidStateException',
        `${key.Arn} is pending deletion.`,
      );
      expect((await kms.describeKey({ KeyId: key.KeyId })).KeyMetadata.Description).to.equal('disabled');
    });
  });

  it('a durable state directory keeps policy and description across instances', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'kms-policies-'));
    try {
      const clock = new ManualClock();
      const first = new SimulatedKms({ region: REGION, accountId: ACCOUNT, stateDir: join(dir, 'state'), clock: clock.now });
      const key = await createKey(first);
      await first.putKeyPolicy({ KeyId: key.KeyId, Policy: policyOf('kept') });
      await first.updateKeyDescription({ KeyId: key.KeyId, Description: 'kept too' });
      await first.close();
      const second = new SimulatedKms({ region: REGION, accountId: ACCOUNT, stateDir: join(dir, 'state'), clock: clock.now });
      expect((await second.getKeyPolicy({ KeyId: key.KeyId })).Policy).to.equal(policyOf('kept'));
      expect((await second.describeKey({ KeyId: key.KeyId })).KeyMetadata.Description).to.equal('kept too');
      await second.close();
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
