/**
 * The key policy lockout safety check (docs/kms-behaviour.md §3.1): CreateKey and PutKeyPolicy refuse a policy
 * that would not let the calling principal call PutKeyPolicy on the key afterwards, unless
 * BypassPolicyLockoutSafetyCheck is true. The simulator's caller is always the account's root user, so the check
 * asks one question of the statements: does one Allow the root `kms:PutKeyPolicy` on the key, and none Deny it?
 *
 * A statement applies when its principal, action and resource all match:
 * - principal: `Principal: "*"`, or an `AWS` principal `*`, the account ID or `arn:<partition>:iam::<account>:root`
 *   (`NotPrincipal`: the root is not named there); other principal types (`Service`, `Federated`, …) never match;
 * - action: an `Action` pattern matching `kms:PutKeyPolicy`, case-insensitively, with `*` and `?` wildcards
 *   (`*`, `kms:*`, `kms:Put*`), or a `NotAction` none of whose patterns match;
 * - resource: a `Resource` pattern matching the key ARN (`*` in a key policy), or a `NotResource` that does not.
 * A statement without an action or without a resource element has no effect, as in AWS. A statement with a
 * `Condition` is not counted either way: whether it holds depends on a request that does not exist yet.
 */

export interface PolicyCaller {
  readonly partition: string;
  readonly accountId: string;
  /** The key the policy is for: what `Resource` is matched against. */
  readonly keyArn: string;
}

const ACTION = 'kms:PutKeyPolicy';

export function allowsPutKeyPolicy(statements: readonly Record<string, unknown>[], caller: PolicyCaller): boolean {
  const applying = statements.filter((s) => s.Condition === undefined && appliesTo(s, caller));
  return applying.some((s) => s.Effect === 'Allow') && !applying.some((s) => s.Effect === 'Deny');
}

function appliesTo(statement: Record<string, unknown>, caller: PolicyCaller): boolean {
  const principal = matchesElement(statement.Principal, statement.NotPrincipal, (p) => namesRoot(p, caller));
  const action = matchesElement(statement.Action, statement.NotAction, (a) => globMatch(a, ACTION, true));
  const resource = matchesElement(statement.Resource, statement.NotResource, (r) => globMatch(r, caller.keyArn, false));
  return principal && action && resource;
}

/** The element (a string or list of strings) matches, or its Not- form is present and does not; neither: false. */
export function matchesElement(element: unknown, notElement: unknown, matches: (value: unknown) => boolean): boolean {
  if (element !== undefined) return matches(element);
  if (notElement !== undefined) return !matches(notElement);
  return false;
}

/** A principal element names the account root: `"*"`, or an `AWS` entry `*`, the account or its root ARN. */
function namesRoot(principal: unknown, caller: PolicyCaller): boolean {
  if (principal === '*') return true;
  if (typeof principal !== 'object' || principal === null) return false;
  const aws = (principal as Record<string, unknown>).AWS;
  const root = `arn:${caller.partition}:iam::${caller.accountId}:root`;
  return valuesOf(aws).some((p) => p === '*' || p === caller.accountId || p === root);
}

/** Whether one of the patterns (`*` and `?` wildcards) matches `value`; shared with rules/policy-evaluation.ts. */
export function globMatch(patterns: unknown, value: string, ignoreCase: boolean): boolean {
  return valuesOf(patterns).some((pattern) => {
    const source = pattern.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.');
    return new RegExp(`^${source}$`, ignoreCase ? 'i' : '').test(value);
  });
}

/** The strings of an element that is a string or a list of strings. */
export function valuesOf(value: unknown): string[] {
  if (typeof value === 'string') return [value];
  return Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : [];
}
