/**
 * Key policy evaluation (docs/kms-behaviour.md §26): principals, actions, resources, conditions, the Deny that wins,
 * the conservative reading of unknown conditions, the grant rules, and properties over random policies.
 */
import { expect } from 'chai';
import fc from 'fast-check';
import { KmsException } from '../../../../src/adapters/kms-exception.js';
import { type PolicyRequest, conditionHolds, evaluatePolicy, requestConditionKeys } from '../../../../src/adapters/simulator/rules/policy-evaluation.js';
import { authorizeRequest, grantAllows, mayRetire } from '../../../../src/adapters/simulator/rules/authorization-rules.js';
import type { GrantRecord } from '../../../../src/adapters/simulator/store/simulator-store.js';

const ACCOUNT = '111122223333';
const OTHER = '444455556666';
const KEY = `arn:aws:kms:us-east-1:${ACCOUNT}:key/1234abcd-12ab-34cd-56ef-1234567890ab`;
const APP = `arn:aws:iam::${ACCOUNT}:role/app`;

const request = (over: Partial<PolicyRequest> & { context?: Record<string, string> } = {}): PolicyRequest => {
  const principal = over.principal ?? APP;
  const principalAccount = over.principalAccount ?? ACCOUNT;
  return {
    principal,
    principalAccount,
    action: over.action ?? 'kms:Encrypt',
    resource: over.resource ?? KEY,
    conditionKeys: over.conditionKeys ?? requestConditionKeys({ principal, principalAccount, encryptionContext: over.context }),
  };
};
const allow = (extra: Record<string, unknown> = {}) => ({ Effect: 'Allow', Principal: { AWS: APP }, Action: 'kms:Encrypt', Resource: '*', ...extra });
const decide = (statement: Record<string, unknown>, req: PolicyRequest = request()) => evaluatePolicy([statement], req);

describe('adapters/simulator/rules/policy-evaluation', () => {
  it('principals: *, AWS *, the account ID or root (every principal of that account), the exact ARN; NotPrincipal', () => {
    for (const principal of ['*', { AWS: '*' }, { AWS: ACCOUNT }, { AWS: `arn:aws:iam::${ACCOUNT}:root` }, { AWS: [OTHER, APP] }]) {
      expect(decide(allow({ Principal: principal })), JSON.stringify(principal)).to.equal('allow');
    }
    for (const principal of [{ AWS: OTHER }, { AWS: `arn:aws:iam::${OTHER}:root` }, { AWS: `arn:aws:iam::${ACCOUNT}:role/other` }, { Service: 'ec2.amazonaws.com' }, { AWS: `arn:aws:iam::${ACCOUNT}:role/App` }]) {
      expect(decide(allow({ Principal: principal })), JSON.stringify(principal)).to.equal('none');
    }
    // An assumed-role session is its role, whatever the role's path.
    const session = request({ principal: `arn:aws:sts::${ACCOUNT}:assumed-role/app/session-1` });
    expect(decide(allow({ Principal: { AWS: APP } }), session)).to.equal('allow');
    expect(decide(allow({ Principal: { AWS: `arn:aws:iam::${ACCOUNT}:role/team/app` } }), session)).to.equal('allow');
    expect(decide(allow({ Principal: { AWS: `arn:aws:iam::${ACCOUNT}:role/application` } }), session)).to.equal('none');
    expect(decide(allow({ Principal: { AWS: `arn:aws:iam::${OTHER}:role/app` } }), session)).to.equal('none');
    const notPrincipal = { Effect: 'Allow', NotPrincipal: { AWS: APP }, Action: 'kms:*', Resource: '*' };
    expect(decide(notPrincipal)).to.equal('none');
    expect(decide(notPrincipal, request({ principal: `arn:aws:iam::${OTHER}:root`, principalAccount: OTHER }))).to.equal('allow');
  });

  it('actions: patterns case-insensitively, lists, NotAction; resources: patterns of the key ARN, NotResource', () => {
    for (const Action of ['kms:*', '*', 'KMS:encrypt', 'kms:En*', 'kms:Encryp?', ['kms:Decrypt', 'kms:Encrypt']]) {
      expect(decide(allow({ Action })), JSON.stringify(Action)).to.equal('allow');
    }
    for (const Action of ['kms:Decrypt', 'kms:Describe*', 'kms:Encrypt?', 'iam:*']) expect(decide(allow({ Action }))).to.equal('none');
    expect(decide(allow({ Action: undefined, NotAction: 'kms:Decrypt' }))).to.equal('allow');
    expect(decide(allow({ Action: undefined, NotAction: ['kms:E*'] }))).to.equal('none');
    expect(decide(allow({ Resource: `arn:aws:kms:us-east-1:${ACCOUNT}:key/*` }))).to.equal('allow');
    expect(decide(allow({ Resource: `arn:aws:kms:eu-west-1:${ACCOUNT}:key/*` }))).to.equal('none');
    expect(decide(allow({ Resource: undefined, NotResource: `arn:aws:kms:eu-west-1:*` }))).to.equal('allow');
    expect(decide(allow({ Resource: undefined }))).to.equal('none'); // no resource element: never applies
    expect(decide(allow({ Action: undefined }))).to.equal('none');
  });

  it('an explicit Deny wins over any number of Allows; nothing applying is no decision', () => {
    const deny = { ...allow(), Effect: 'Deny' };
    expect(evaluatePolicy([allow(), deny, allow({ Action: 'kms:*' })], request())).to.equal('deny');
    expect(evaluatePolicy([], request())).to.equal('none');
  });

  it('conditions: String, Arn, Bool and Null operators, IfExists, the set prefixes; a missing key fails positive operators', () => {
    const keys = requestConditionKeys({ principal: APP, principalAccount: ACCOUNT, encryptionContext: { Purpose: 'Billing', team: 'a' }, grantOperation: true });
    const holds = (condition: unknown) => conditionHolds(condition, keys);
    expect(holds({ StringEquals: { 'kms:EncryptionContext:purpose': 'Billing' } })).to.equal(true); // the context key's name in any case
    expect(holds({ StringEquals: { 'kms:EncryptionContext:Purpose': 'billing' } })).to.equal(false); // values are case-sensitive
    expect(holds({ StringEqualsIgnoreCase: { 'kms:EncryptionContext:Purpose': 'billing' } })).to.equal(true);
    expect(holds({ StringLike: { 'kms:CallerAccount': '1111*' } })).to.equal(true);
    expect(holds({ StringNotEquals: { 'kms:CallerAccount': [OTHER, ACCOUNT] } })).to.equal(false);
    expect(holds({ ArnLike: { 'aws:PrincipalArn': `arn:aws:iam::${ACCOUNT}:role/*` } })).to.equal(true);
    expect(holds({ Bool: { 'kms:GrantIsForAWSResource': true } })).to.equal(false);
    expect(holds({ Bool: { 'kms:GrantIsForAWSResource': 'false' } })).to.equal(true);
    expect(holds({ StringEquals: { 'kms:ViaService': 'ec2.us-east-1.amazonaws.com' } })).to.equal(false);
    expect(holds({ StringNotEquals: { 'kms:ViaService': 'ec2.us-east-1.amazonaws.com' } })).to.equal(true);
    expect(holds({ StringEqualsIfExists: { 'kms:ViaService': 'ec2.us-east-1.amazonaws.com' } })).to.equal(true);
    expect(holds({ Null: { 'kms:EncryptionContext:absent': 'true', 'kms:EncryptionContext:team': false } })).to.equal(true);
    expect(holds({ 'ForAllValues:StringEquals': { 'kms:EncryptionContextKeys': ['Purpose', 'team', 'x'] } })).to.equal(true);
    expect(holds({ 'ForAllValues:StringEquals': { 'kms:EncryptionContextKeys': ['Purpose'] } })).to.equal(false);
    expect(holds({ 'ForAnyValue:StringEquals': { 'kms:EncryptionContextKeys': 'team' } })).to.equal(true);
    expect(holds({ StringEquals: { 'kms:EncryptionContextKeys': 'team' } })).to.equal('unknown'); // single-valued test of a set
    expect(holds({ StringEquals: { 'kms:CallerAccount': ACCOUNT }, Bool: { 'kms:GrantIsForAWSResource': 'true' } })).to.equal(false); // every block
  });

  it('unknown operators and keys: an Allow with one does not apply, a Deny with one does (conservative)', () => {
    const unknownKey = { StringEquals: { 'aws:SourceIp': '10.0.0.1' } };
    const unknownOperator = { DateGreaterThan: { 'aws:CurrentTime': '2020-01-01T00:00:00Z' } };
    const operatorOnKnownKey = { NumericEquals: { 'kms:CallerAccount': 1 } };
    for (const Condition of [unknownKey, unknownOperator, operatorOnKnownKey, 'not an object']) {
      expect(decide(allow({ Condition })), JSON.stringify(Condition)).to.equal('none');
      expect(decide({ ...allow({ Condition }), Effect: 'Deny' }), JSON.stringify(Condition)).to.equal('deny');
    }
    // A known block that fails makes the statement not apply, even beside an unknown one.
    const failing = { ...unknownKey, StringEquals: { 'kms:CallerAccount': OTHER } };
    expect(decide({ ...allow({ Condition: failing }), Effect: 'Deny' })).to.equal('none');
  });

  describe('grants and the decision', () => {
    const grant = (over: Partial<GrantRecord> = {}): GrantRecord => ({
      keyId: '1234abcd-12ab-34cd-56ef-1234567890ab',
      grantId: 'a'.repeat(64),
      grantToken: 't',
      creationDate: new Date(0),
      granteePrincipal: APP,
      issuingAccount: `arn:aws:iam::${ACCOUNT}:root`,
      operations: ['Encrypt', 'Decrypt'],
      ...over,
    });
    const caller = { principal: APP, accountId: ACCOUNT };

    it('a grant allows its grantee its operations within its constraint', () => {
      expect(grantAllows(grant(), caller, 'Encrypt', undefined)).to.equal(true);
      expect(grantAllows(grant(), caller, 'Sign', undefined)).to.equal(false);
      expect(grantAllows(grant(), { principal: `arn:aws:iam::${ACCOUNT}:role/b`, accountId: ACCOUNT }, 'Encrypt', undefined)).to.equal(false);
      expect(grantAllows(grant({ granteePrincipal: `arn:aws:iam::${ACCOUNT}:root` }), caller, 'Encrypt', undefined)).to.equal(true);
      const subset = grant({ constraints: { encryptionContextSubset: { a: '1' } } });
      expect(grantAllows(subset, caller, 'Encrypt', { a: '1', b: '2' })).to.equal(true);
      expect(grantAllows(subset, caller, 'Encrypt', { a: '2' })).to.equal(false);
      expect(grantAllows(subset, caller, 'Encrypt', undefined)).to.equal(false);
      const equals = grant({ constraints: { encryptionContextEquals: { a: '1' } } });
      expect(grantAllows(equals, caller, 'Encrypt', { a: '1' })).to.equal(true);
      expect(grantAllows(equals, caller, 'Encrypt', { a: '1', b: '2' })).to.equal(false);
    });

    it('RetireGrant: the retiring principal, the grantee with RetireGrant, or the issuing account', () => {
      const other = { principal: `arn:aws:iam::${OTHER}:role/x`, accountId: OTHER };
      expect(mayRetire(grant(), caller)).to.equal(true); // the issuing account
      expect(mayRetire(grant(), other)).to.equal(false);
      expect(mayRetire(grant({ retiringPrincipal: other.principal }), other)).to.equal(true);
      expect(mayRetire(grant({ granteePrincipal: other.principal, operations: ['RetireGrant'] }), other)).to.equal(true);
      expect(mayRetire(grant({ granteePrincipal: other.principal }), other)).to.equal(false);
    });

    it('throws AccessDeniedException with the explicit-deny or the no-allow text', () => {
      const base: Parameters<typeof authorizeRequest>[2] = { caller, operation: 'Encrypt', permission: 'Encrypt', keyArn: KEY, keyAccount: ACCOUNT };
      const message = (statements: Record<string, unknown>[], grants: GrantRecord[] = [], req = base): string => {
        try {
          authorizeRequest(statements, grants, req);
          return 'allowed';
        } catch (e) {
          expect(e).to.be.instanceOf(KmsException);
          expect((e as KmsException).name).to.equal('AccessDeniedException');
          return (e as Error).message;
        }
      };
      expect(message([allow()])).to.equal('allowed');
      expect(message([], [grant()])).to.equal('allowed');
      expect(message([{ ...allow(), Effect: 'Deny' }], [grant()])).to.equal(
        `User: ${APP} is not authorized to perform: kms:Encrypt on resource: ${KEY} with an explicit deny in a resource-based policy`,
      );
      expect(message([])).to.equal(
        `User: ${APP} is not authorized to perform: kms:Encrypt on resource: ${KEY} because no resource-based policy allows the kms:Encrypt action`,
      );
      const foreign = { ...base, caller: { principal: `arn:aws:iam::${OTHER}:root`, accountId: OTHER }, operation: 'DisableKey' as const, permission: 'DisableKey' };
      expect(message([{ ...allow(), Principal: '*', Action: 'kms:*' }], [], foreign)).to.match(/no resource-based policy allows the kms:DisableKey action$/);
    });
  });

  describe('properties', () => {
    const principals = [APP, `arn:aws:iam::${ACCOUNT}:user/u`, `arn:aws:iam::${OTHER}:role/r`];
    const principalElement = fc.oneof(
      fc.constant('*'),
      fc.record({ AWS: fc.oneof(fc.constantFrom('*', ACCOUNT, OTHER, `arn:aws:iam::${OTHER}:root`, ...principals), fc.subarray(principals, { minLength: 1 })) }),
    );
    const action = fc.constantFrom('kms:*', 'kms:Encrypt', 'kms:Decrypt', 'kms:Describe*', 'kms:En*', '*', 'KMS:ENCRYPT');
    const condition = fc.option(
      fc.constantFrom<Record<string, unknown>>(
        { StringEquals: { 'kms:CallerAccount': ACCOUNT } },
        { StringEquals: { 'kms:EncryptionContext:k': 'v' } },
        { StringNotLike: { 'aws:PrincipalArn': '*:role/*' } },
        { IpAddress: { 'aws:SourceIp': '10.0.0.0/8' } },
        { Bool: { 'kms:GrantIsForAWSResource': 'true' } },
      ),
      { nil: undefined },
    );
    const statement = fc.record({
      Effect: fc.constantFrom('Allow', 'Deny'),
      Principal: principalElement,
      Action: fc.oneof(action, fc.array(action, { minLength: 1, maxLength: 3 })),
      Resource: fc.constantFrom('*', KEY, 'arn:aws:kms:*'),
      Condition: condition,
    }).map((s) => (s.Condition === undefined ? { ...s, Condition: undefined } : s));
    const req = fc.record({
      principal: fc.constantFrom(...principals),
      action: fc.constantFrom('kms:Encrypt', 'kms:Decrypt', 'kms:DescribeKey'),
      context: fc.option(fc.constant({ k: 'v' }), { nil: undefined }),
    }).map(({ principal, action: a, context }) => request({ principal, principalAccount: /::(\d{12}):/.exec(principal)![1] as string, action: a, ...(context === undefined ? {} : { context }) }));

    it('a policy never allows an action that an unconditional Deny for that principal names', () => {
      fc.assert(
        fc.property(fc.array(statement, { maxLength: 6 }), req, fc.nat(6), (statements, r, at) => {
          const deny = { Effect: 'Deny', Principal: { AWS: r.principal }, Action: r.action, Resource: '*' };
          const withDeny = [...statements.slice(0, at), deny, ...statements.slice(at)];
          expect(evaluatePolicy(withDeny, r)).to.equal('deny');
        }),
      );
    });

    it('adding a Deny statement never widens: what is allowed afterwards was allowed before', () => {
      fc.assert(
        fc.property(fc.array(statement, { maxLength: 6 }), statement, req, (statements, extra, r) => {
          const after = evaluatePolicy([...statements, { ...extra, Effect: 'Deny' }], r);
          if (after === 'allow') expect(evaluatePolicy(statements, r)).to.equal('allow');
          if (evaluatePolicy(statements, r) === 'deny') expect(after).to.equal('deny');
        }),
      );
    });

    it('the order of statements does not matter', () => {
      fc.assert(
        fc.property(fc.array(statement, { maxLength: 6 }), req, (statements, r) => {
          expect(evaluatePolicy([...statements].reverse(), r)).to.equal(evaluatePolicy(statements, r));
        }),
      );
    });
  });
});
