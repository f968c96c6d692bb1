/**
 * Key policy rules (docs/kms-behaviour.md §3.1): the policy name, the quota, the grammar, the lockout safety check
 * and AWS's default policy text.
 */
import { expect } from 'chai';
import { KmsException } from '../../../../src/adapters/kms-exception.js';
import {
  LOCKOUT_MESSAGE,
  NO_PRINCIPAL_MESSAGE,
  checkPolicy,
  checkPolicyName,
  defaultKeyPolicy,
} from '../../../../src/adapters/simulator/rules/policy-rules.js';

const ACCOUNT = '111122223333';
const ROOT = `arn:aws:iam::${ACCOUNT}:root`;
const KEY_ARN = `arn:aws:kms:us-east-1:${ACCOUNT}:key/1234abcd-12ab-34cd-56ef-1234567890ab`;
const CALLER = { partition: 'aws', accountId: ACCOUNT, keyArn: KEY_ARN };

const allowRoot = (extra: Record<string, unknown> = {}) => ({
  Effect: 'Allow',
  Principal: { AWS: ROOT },
  Action: 'kms:*',
  Resource: '*',
  ...extra,
});
const doc = (...statements: unknown[]) => JSON.stringify({ Version: '2012-10-17', Statement: statements });

/** 'ok', or `<exception name>: <message>`. */
function outcome(policy: string, bypass = false): string {
  try {
    checkPolicy(policy, CALLER, bypass);
    return 'ok';
  } catch (e) {
    expect(e).to.be.instanceOf(KmsException);
    return `${(e as KmsException).name}: ${(e as KmsException).message}`;
  }
}
const SYNTAX = 'MalformedPolicyDocumentException: Syntax errors in policy.';
const LOCKOUT = `MalformedPolicyDocumentException: ${LOCKOUT_MESSAGE}`;

describe('adapters/simulator/rules/policy-rules', () => {
  it('the default key policy is byte for byte the text AWS writes', () => {
    expect(defaultKeyPolicy('aws', ACCOUNT)).to.equal(
      '{\n  "Version" : "2012-10-17",\n  "Id" : "key-default-1",\n  "Statement" : [ {\n' +
        '    "Sid" : "Enable IAM User Permissions",\n    "Effect" : "Allow",\n    "Principal" : {\n' +
        `      "AWS" : "arn:aws:iam::${ACCOUNT}:root"\n    },\n    "Action" : "kms:*",\n    "Resource" : "*"\n  } ]\n}`,
    );
    expect(JSON.parse(defaultKeyPolicy('aws-cn', ACCOUNT)).Statement[0].Principal.AWS).to.equal(`arn:aws-cn:iam::${ACCOUNT}:root`);
    expect(outcome(defaultKeyPolicy('aws', ACCOUNT))).to.equal('ok');
  });

  it('policy names: only default (or none)', () => {
    expect(() => checkPolicyName(undefined)).not.to.throw();
    expect(() => checkPolicyName('default')).not.to.throw();
    for (const name of ['Default', 'other', 'default_']) {
      expect(() => checkPolicyName(name)).to.throw(KmsException, /^No such policy exists$/);
    }
  });

  it('the 32 KB quota counts UTF-8 bytes and comes before the grammar', () => {
    const padded = (bytes: number, char = 'p') => {
      const base = JSON.stringify({ Version: '2012-10-17', Statement: [allowRoot()], Pad: '' });
      return base.replace('"Pad":""', `"Pad":"${char.repeat(bytes - base.length)}"`);
    };
    expect(outcome(padded(32_768))).to.equal('ok');
    expect(outcome(padded(32_769))).to.equal('LimitExceededException: The key policy exceeds the quota of 32768 bytes.');
    expect(outcome(`${'x'.repeat(32_769)}`)).to.match(/^LimitExceededException/);
    // 'é' is two bytes: 16 400 of them stay under 32 768 characters but not under 32 768 bytes.
    expect(outcome(JSON.stringify({ Statement: [allowRoot()], Pad: 'é'.repeat(16_400) }))).to.match(/^LimitExceededException/);
  });

  it('grammar: a JSON object, a known Version, Statement objects with Effect Allow/Deny and well-typed elements', () => {
    for (const bad of [
      'allow everything',
      '[1,2]',
      'null',
      '"text"',
      JSON.stringify({ Version: '2012-10-18', Statement: [allowRoot()] }),
      JSON.stringify({ Version: 2012, Statement: [allowRoot()] }),
      JSON.stringify({ Version: '2012-10-17' }),
      doc('statement'),
      doc(allowRoot({ Effect: 'allow' })),
      doc(allowRoot({ Effect: undefined })),
      doc(allowRoot({ Action: 5 })),
      doc(allowRoot({ Action: [] })),
      doc(allowRoot({ Resource: ['*', 1] })),
      doc(allowRoot({ Principal: {} })),
      doc(allowRoot({ Principal: 'arn:aws:iam::111122223333:root' })),
      doc(allowRoot({ Principal: { AWS: 5 } })),
      doc(allowRoot({ Sid: 1 })),
      doc(allowRoot({ Condition: 'yes' })),
    ]) {
      expect(outcome(bad), bad).to.equal(SYNTAX);
    }
    // One statement object instead of a list, the 2008 version, or no Version at all: accepted.
    expect(outcome(JSON.stringify({ Version: '2008-10-17', Statement: allowRoot() }))).to.equal('ok');
    expect(outcome(JSON.stringify({ Statement: [allowRoot({ Sid: 'x', Principal: '*' })] }))).to.equal('ok');
  });

  it('a statement without Principal or NotPrincipal: Policy contains a statement with no principal.', () => {
    const { Principal: _none, ...noPrincipal } = allowRoot();
    expect(outcome(doc(allowRoot(), noPrincipal))).to.equal(`MalformedPolicyDocumentException: ${NO_PRINCIPAL_MESSAGE}`);
    expect(outcome(doc(allowRoot(), noPrincipal), true)).to.equal(`MalformedPolicyDocumentException: ${NO_PRINCIPAL_MESSAGE}`);
  });

  it('lockout: the root must be allowed kms:PutKeyPolicy on the key, unless the check is bypassed', () => {
    const allowed = [
      allowRoot(),
      allowRoot({ Principal: '*' }),
      allowRoot({ Principal: { AWS: '*' } }),
      allowRoot({ Principal: { AWS: ACCOUNT } }),
      allowRoot({ Principal: { AWS: ['arn:aws:iam::444455556666:root', ROOT] } }),
      allowRoot({ Action: 'kms:PutKeyPolicy' }),
      allowRoot({ Action: ['kms:Describe*', 'KMS:put*'] }),
      allowRoot({ Action: 'kms:PutKey?olicy' }),
      allowRoot({ Action: '*' }),
      allowRoot({ Action: undefined, NotAction: 'kms:Decrypt' }),
      allowRoot({ Resource: KEY_ARN }),
      allowRoot({ Resource: 'arn:aws:kms:us-east-1:111122223333:key/*' }),
      allowRoot({ Resource: undefined, NotResource: 'arn:aws:kms:us-east-1:111122223333:key/other' }),
      allowRoot({ Principal: undefined, NotPrincipal: { AWS: 'arn:aws:iam::444455556666:root' } }),
    ];
    for (const statement of allowed) expect(outcome(doc(statement)), JSON.stringify(statement)).to.equal('ok');

    const refused = [
      [],
      [allowRoot({ Effect: 'Deny' })],
      [allowRoot({ Principal: { AWS: 'arn:aws:iam::444455556666:root' } })],
      [allowRoot({ Principal: { AWS: `arn:aws:iam::${ACCOUNT}:user/alice` } })],
      [allowRoot({ Principal: { Service: 'logs.amazonaws.com' } })],
      [allowRoot({ Action: ['kms:Decrypt', 'kms:Get*'] })],
      [allowRoot({ Action: 'kms:PutKeyPolicyX' })],
      [allowRoot({ Action: undefined })],
      [allowRoot({ Resource: undefined })],
      [allowRoot({ Resource: 'arn:aws:kms:us-east-1:111122223333:key/other' })],
      [allowRoot({ Action: undefined, NotAction: 'kms:Put*' })],
      [allowRoot({ Resource: undefined, NotResource: '*' })],
      [allowRoot({ Principal: undefined, NotPrincipal: { AWS: ROOT } })],
      [allowRoot({ Condition: { Bool: { 'aws:SecureTransport': 'true' } } })],
      [allowRoot(), allowRoot({ Effect: 'Deny', Action: 'kms:PutKeyPolicy' })],
      [allowRoot(), allowRoot({ Effect: 'Deny', Principal: '*', Action: 'kms:*' })],
    ];
    for (const statements of refused) {
      const policy = doc(...statements);
      expect(outcome(policy), policy).to.equal(LOCKOUT);
      expect(outcome(policy, true), policy).to.equal('ok');
    }
    // A Deny with a Condition may not apply to the request: it does not lock the caller out.
    const conditionalDeny = allowRoot({ Effect: 'Deny', Condition: { Bool: { 'aws:MultiFactorAuthPresent': 'false' } } });
    expect(outcome(doc(allowRoot(), conditionalDeny))).to.equal('ok');
  });

  it('the lockout check matches the partition of the caller', () => {
    const china = { partition: 'aws-cn', accountId: ACCOUNT, keyArn: KEY_ARN.replace('arn:aws:', 'arn:aws-cn:') };
    expect(() => checkPolicy(doc(allowRoot()), china)).to.throw(KmsException, LOCKOUT_MESSAGE);
    expect(() => checkPolicy(doc(allowRoot({ Principal: { AWS: `arn:aws-cn:iam::${ACCOUNT}:root` } })), china)).not.to.throw();
  });
});
