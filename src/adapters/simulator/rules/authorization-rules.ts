import { accessDenied } from '../model/exceptions.js';
import { type Caller, namesPrincipal } from '../model/caller.js';
import type { GrantRecord } from '../store/simulator-store.js';
import { type PolicyRequest, evaluatePolicy, requestConditionKeys } from './policy-evaluation.js';
import type { KeyOperation } from './key-state-policy.js';

/**
 * The authorization decision of one key operation under `enforcePolicies` (docs/kms-behaviour.md §26), pure:
 * the key policy's statements, the key's grants, the caller and the request in; allowed, or the
 * AccessDeniedException to throw.
 *
 * Order: an explicit Deny of the key policy refuses (grants cannot override it); then a principal of another
 * account may only call the operations KMS allows across accounts; then an Allow of the key policy or a grant for
 * the caller allows; otherwise refused, naming the missing permission.
 */

/** The operations a principal of another account may call on a key (KMS's "Cross-account use: Yes"). */
export const CROSS_ACCOUNT_OPERATIONS: ReadonlySet<KeyOperation> = new Set<KeyOperation>([
  'CreateGrant', 'Decapsulate', 'Decrypt', 'DeriveSharedSecret', 'DescribeKey', 'Encapsulate', 'Encrypt',
  'GenerateDataKey', 'GenerateDataKeyPair', 'GenerateDataKeyPairWithoutPlaintext', 'GenerateDataKeyWithoutPlaintext',
  'GenerateMac', 'GetKeyRotationStatus', 'GetPublicKey', 'ListGrants', 'ReEncrypt', 'RetireGrant', 'RevokeGrant',
  'Sign', 'Verify', 'VerifyMac',
]);

/** The grant operations (CreateGrant through RevokeGrant) set `kms:GrantIsForAWSResource`. */
const GRANT_OPERATIONS: ReadonlySet<KeyOperation> = new Set<KeyOperation>(['CreateGrant', 'ListGrants', 'RevokeGrant']);

export interface AuthorizationRequest {
  readonly caller: Caller;
  readonly operation: KeyOperation;
  /** The permission without `kms:` (the operation's name, or ReEncryptFrom / ReEncryptTo). */
  readonly permission: string;
  readonly keyArn: string;
  /** The key's account. */
  readonly keyAccount: string;
  readonly encryptionContext?: Readonly<Record<string, string>> | undefined;
}

/** Throws AccessDeniedException unless `request` is allowed by the key policy's statements or one of the grants. */
export function authorizeRequest(
  statements: readonly Record<string, unknown>[],
  grants: readonly GrantRecord[],
  request: AuthorizationRequest,
): void {
  if (policyDecision(statements, request) === 'needs-grant') refuseUnlessGranted(grants, request);
}

/**
 * Steps 1–3 of the decision without the grants: throws for an explicit Deny and for an operation another account
 * may not call; `allowed` when an Allow applies, else `needs-grant` (the caller then reads the key's grants).
 */
export function policyDecision(statements: readonly Record<string, unknown>[], request: AuthorizationRequest): 'allowed' | 'needs-grant' {
  const { caller, keyArn } = request;
  const action = `kms:${request.permission}`;
  const policyRequest: PolicyRequest = {
    principal: caller.principal,
    principalAccount: caller.accountId,
    action,
    resource: keyArn,
    conditionKeys: requestConditionKeys({
      principal: caller.principal,
      principalAccount: caller.accountId,
      encryptionContext: request.encryptionContext,
      grantOperation: GRANT_OPERATIONS.has(request.operation),
    }),
  };
  const decision = evaluatePolicy(statements, policyRequest);
  if (decision === 'deny') throw accessDenied(caller.principal, action, keyArn, true);
  if (caller.accountId !== request.keyAccount && !CROSS_ACCOUNT_OPERATIONS.has(request.operation)) {
    throw accessDenied(caller.principal, action, keyArn, false);
  }
  return decision === 'allow' ? 'allowed' : 'needs-grant';
}

/** Step 4: one of the key's grants allows the call, or AccessDeniedException naming the missing permission. */
export function refuseUnlessGranted(grants: readonly GrantRecord[], request: AuthorizationRequest): void {
  const { caller, permission, encryptionContext } = request;
  if (grants.some((grant) => grantAllows(grant, caller, permission, encryptionContext))) return;
  throw accessDenied(caller.principal, `kms:${permission}`, request.keyArn, false);
}

/**
 * A grant allows the call when its grantee is the caller (its ARN, or the root of the caller's account: IAM is not
 * modelled), its operations include the permission, and its constraint holds: every pair of
 * EncryptionContextSubset in the request's encryption context, or the context equal to EncryptionContextEquals.
 */
export function grantAllows(
  grant: GrantRecord,
  caller: Caller,
  permission: string,
  encryptionContext: Readonly<Record<string, string>> | undefined,
): boolean {
  if (!namesPrincipal(grant.granteePrincipal, caller) || !grant.operations.includes(permission)) return false;
  const context = encryptionContext ?? {};
  const { encryptionContextSubset: subset, encryptionContextEquals: equals } = grant.constraints ?? {};
  if (subset !== undefined && !Object.entries(subset).every(([k, v]) => context[k] === v)) return false;
  if (equals !== undefined) {
    const names = Object.keys(context);
    if (names.length !== Object.keys(equals).length || !names.every((k) => equals[k] === context[k])) return false;
  }
  return true;
}

/**
 * Who may retire a grant (RetireGrant; KMS decides it by the grant, not by the key policy): its retiring principal,
 * its grantee when the grant allows RetireGrant, or a principal of the account that issued it.
 */
export function mayRetire(grant: GrantRecord, caller: Caller): boolean {
  if (grant.retiringPrincipal !== undefined && namesPrincipal(grant.retiringPrincipal, caller)) return true;
  if (grant.operations.includes('RetireGrant') && namesPrincipal(grant.granteePrincipal, caller)) return true;
  return namesPrincipal(grant.issuingAccount, caller); // an account root: any principal of that account
}
