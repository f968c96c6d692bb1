import { isRecord } from '../../../domain/validation.js';
import { limitExceeded, malformedPolicy, policyNotFound } from '../model/exceptions.js';
import { allowsPutKeyPolicy, type PolicyCaller } from './policy-lockout-rules.js';

/**
 * Key policies (docs/kms-behaviour.md §3.1, §5): the policy name, the quota, the document's grammar, the lockout
 * safety check, and the policy a key gets when CreateKey names none. Access is decided by the statements only with
 * `enforcePolicies` (rules/policy-evaluation.ts, §26); otherwise every caller is the account's root.
 */

/** The key policy quota (32 KB), stricter than the model's 131072 characters. */
export const POLICY_QUOTA_BYTES = 32_768;

/** The one key policy name there is. */
export const DEFAULT_POLICY_NAME = 'default';

/** The policy versions IAM's grammar knows. */
const POLICY_VERSIONS = ['2012-10-17', '2008-10-17'];
const EFFECTS = ['Allow', 'Deny'];
export const LOCKOUT_MESSAGE = 'The new key policy will not allow you to update the key policy in the future.';
export const NO_PRINCIPAL_MESSAGE = 'Policy contains a statement with no principal.';

/** GetKeyPolicy and PutKeyPolicy: an omitted PolicyName means `default`; any other name names no policy. */
export function checkPolicyName(policyName: string | undefined): void {
  if (policyName !== undefined && policyName !== DEFAULT_POLICY_NAME) throw policyNotFound();
}

/**
 * A policy document as CreateKey and PutKeyPolicy check it, in this order: the quota (LimitExceededException),
 * the grammar (MalformedPolicyDocumentException: `Syntax errors in policy.`, or `Policy contains a statement with
 * no principal.`), then — unless `bypassLockoutCheck` — that the policy lets `caller` call PutKeyPolicy again.
 */
export function checkPolicy(policy: string, caller: PolicyCaller, bypassLockoutCheck = false): void {
  if (Buffer.byteLength(policy, 'utf8') > POLICY_QUOTA_BYTES) {
    throw limitExceeded(`The key policy exceeds the quota of ${POLICY_QUOTA_BYTES} bytes.`);
  }
  const statements = policyStatements(policy);
  if (statements.some((s) => s.Principal === undefined && s.NotPrincipal === undefined)) {
    throw malformedPolicy(NO_PRINCIPAL_MESSAGE);
  }
  if (!bypassLockoutCheck && !allowsPutKeyPolicy(statements, caller)) throw malformedPolicy(LOCKOUT_MESSAGE);
}

/**
 * The statements of a policy document: a JSON object whose `Version`, when present, is a known version and whose
 * `Statement` is one statement object or a list of them, each with an `Effect` of Allow or Deny and
 * element values of the types IAM's grammar allows. Anything else is `Syntax errors in policy.`
 */
export function policyStatements(policy: string): Record<string, unknown>[] {
  let parsed: unknown;
  try {
    parsed = JSON.parse(policy);
  } catch {
    parsed = undefined;
  }
  if (!isRecord(parsed)) throw malformedPolicy();
  const { Version: version, Statement: statement } = parsed;
  if (version !== undefined && !POLICY_VERSIONS.includes(version as string)) throw malformedPolicy();
  const statements = Array.isArray(statement) ? (statement as unknown[]) : [statement];
  if (!statements.every(isWellFormedStatement)) throw malformedPolicy();
  return statements;
}

function isWellFormedStatement(statement: unknown): statement is Record<string, unknown> {
  if (!isRecord(statement) || !EFFECTS.includes(statement.Effect as string)) return false;
  if (statement.Sid !== undefined && typeof statement.Sid !== 'string') return false;
  const lists = ['Action', 'NotAction', 'Resource', 'NotResource'].every((k) => isStringOrStrings(statement[k]));
  const principals = ['Principal', 'NotPrincipal'].every((k) => isPrincipal(statement[k]));
  const condition = statement.Condition === undefined || isRecord(statement.Condition);
  return lists && principals && condition;
}

function isStringOrStrings(value: unknown): boolean {
  if (value === undefined || typeof value === 'string') return true;
  return Array.isArray(value) && value.length > 0 && value.every((v) => typeof v === 'string');
}

/** `"*"`, or an object of principal types (`AWS`, `Service`, …) to one or more strings. */
function isPrincipal(value: unknown): boolean {
  if (value === undefined || value === '*') return true;
  if (!isRecord(value) || Object.keys(value).length === 0) return false;
  return Object.values(value).every((v) => v !== undefined && isStringOrStrings(v));
}

/**
 * The default key policy AWS gives a key created without one — the account may use the key through IAM —, byte
 * for byte as AWS writes it (its JSON printer: two-space indents, `" : "`, `[ {` … `} ]`).
 */
export function defaultKeyPolicy(partition: string, accountId: string): string {
  return [
    '{',
    '  "Version" : "2012-10-17",',
    '  "Id" : "key-default-1",',
    '  "Statement" : [ {',
    '    "Sid" : "Enable IAM User Permissions",',
    '    "Effect" : "Allow",',
    '    "Principal" : {',
    `      "AWS" : "arn:${partition}:iam::${accountId}:root"`,
    '    },',
    '    "Action" : "kms:*",',
    '    "Resource" : "*"',
    '  } ]',
    '}',
  ].join('\n');
}
