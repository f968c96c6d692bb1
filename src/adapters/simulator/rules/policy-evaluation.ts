import { namesPrincipal } from '../model/caller.js';
import { globMatch, matchesElement, valuesOf } from './policy-lockout-rules.js';

/**
 * Key policy evaluation (docs/kms-behaviour.md §26), pure: which statements of a key policy apply to one request,
 * and what they decide. The statements are those `policyStatements` (rules/policy-rules.ts) accepted.
 *
 * A statement applies when its principal, action, resource and condition all match the request:
 * - principal: `"*"`, an `AWS` entry `*`, an account ID or `arn:<partition>:iam::<account>:root` (every principal
 *   of that account: IAM, which would delegate to its users and roles, is not modelled), exactly the caller's
 *   ARN, or the role of an assumed-role session; `NotPrincipal` applies to every caller it does not name that way. Other principal types (`Service`,
 *   `Federated`, `CanonicalUser`) never match: no AWS service calls the simulator.
 * - action: `Action` patterns (`kms:Encrypt`, `kms:*`, `kms:Describe*`, `*`), case-insensitively, or a
 *   `NotAction` none of whose patterns match.
 * - resource: `Resource` patterns matched against the key ARN (`*` in a key policy), or a `NotResource`.
 * - condition: every operator block holds, each of its keys with one of the values (conditions.ts below).
 * A statement without a principal, action or resource element never applies.
 *
 * An explicit `Deny` that applies wins; otherwise an `Allow` that applies allows; otherwise nothing allows.
 * Conditions the evaluator does not know (an operator or condition key outside the subset) are decided
 * conservatively, in the direction that never lets a request through that AWS might refuse: an `Allow` statement
 * with one does not apply, a `Deny` statement with one applies.
 */

export interface PolicyRequest {
  /** The caller's ARN (`arn:aws:iam::<account>:root`, `…:role/<name>`, `…:user/<name>`, an STS assumed role). */
  readonly principal: string;
  /** The caller's account (12 digits). */
  readonly principalAccount: string;
  /** `kms:<Operation>` (`kms:ReEncryptFrom` and `kms:ReEncryptTo` for ReEncrypt's two keys). */
  readonly action: string;
  /** The key ARN. */
  readonly resource: string;
  /** The request's condition keys and their values (lower-cased names; see `requestConditionKeys`). */
  readonly conditionKeys: ReadonlyMap<string, readonly string[]>;
}

export type PolicyDecision = 'deny' | 'allow' | 'none';

export function evaluatePolicy(statements: readonly Record<string, unknown>[], request: PolicyRequest): PolicyDecision {
  let allowed = false;
  for (const statement of statements) {
    const deny = statement.Effect === 'Deny';
    if (!appliesWithoutCondition(statement, request)) continue;
    const condition = conditionHolds(statement.Condition, request.conditionKeys);
    // Unknown conditions: a Deny applies, an Allow does not.
    const applies = condition === 'unknown' ? deny : condition;
    if (!applies) continue;
    if (deny) return 'deny';
    allowed = true;
  }
  return allowed ? 'allow' : 'none';
}

/** The condition keys of a KMS request, by lower-cased name (IAM's condition key names are case-insensitive). */
export function requestConditionKeys(request: {
  readonly principal: string;
  readonly principalAccount: string;
  readonly encryptionContext?: Readonly<Record<string, string>> | undefined;
  /** `kms:GrantIsForAWSResource` is set (false: the caller is never an AWS service) on the grant operations. */
  readonly grantOperation?: boolean;
}): Map<string, readonly string[]> {
  const keys = new Map<string, readonly string[]>([
    ['kms:calleraccount', [request.principalAccount]],
    ['aws:principalarn', [request.principal]],
    ['aws:principalaccount', [request.principalAccount]],
  ]);
  if (request.grantOperation === true) keys.set('kms:grantisforawsresource', ['false']);
  const context = request.encryptionContext;
  if (context !== undefined) {
    const names = Object.keys(context);
    if (names.length > 0) keys.set('kms:encryptioncontextkeys', names);
    for (const name of names) keys.set(`kms:encryptioncontext:${name.toLowerCase()}`, [context[name] as string]);
  }
  return keys;
}

function appliesWithoutCondition(statement: Record<string, unknown>, request: PolicyRequest): boolean {
  const principal = matchesElement(statement.Principal, statement.NotPrincipal, (p) => namesCaller(p, request));
  const action = matchesElement(statement.Action, statement.NotAction, (a) => globMatch(a, request.action, true));
  const resource = matchesElement(statement.Resource, statement.NotResource, (r) => globMatch(r, request.resource, false));
  return principal && action && resource;
}

function namesCaller(principal: unknown, request: PolicyRequest): boolean {
  if (principal === '*') return true;
  if (typeof principal !== 'object' || principal === null) return false;
  const caller = { principal: request.principal, accountId: request.principalAccount };
  return valuesOf((principal as Record<string, unknown>).AWS).some((p) => p === '*' || namesPrincipal(p, caller));
}

// ---- conditions -------------------------------------------------------------------------------------------------

/** The condition keys the evaluator knows; any other is unknown (decided conservatively). */
const KNOWN_KEYS = [
  /^kms:calleraccount$/,
  /^kms:viaservice$/,
  /^kms:encryptioncontext:.+$/,
  /^kms:encryptioncontextkeys$/,
  /^kms:grantisforawsresource$/,
  /^aws:principalarn$/,
  /^aws:principalaccount$/,
];

type Test = (actual: string, wanted: string) => boolean;
const likeTest: Test = (actual, wanted) => globMatch(wanted, actual, false);
const TESTS: Readonly<Record<string, { test: Test; negated: boolean }>> = {
  stringequals: { test: (a, w) => a === w, negated: false },
  stringnotequals: { test: (a, w) => a === w, negated: true },
  stringequalsignorecase: { test: (a, w) => a.toLowerCase() === w.toLowerCase(), negated: false },
  stringnotequalsignorecase: { test: (a, w) => a.toLowerCase() === w.toLowerCase(), negated: true },
  stringlike: { test: likeTest, negated: false },
  stringnotlike: { test: likeTest, negated: true },
  arnequals: { test: likeTest, negated: false },
  arnlike: { test: likeTest, negated: false },
  arnnotequals: { test: likeTest, negated: true },
  arnnotlike: { test: likeTest, negated: true },
  bool: { test: (a, w) => a.toLowerCase() === w.toLowerCase(), negated: false },
};

/**
 * Whether a statement's `Condition` holds: every operator, and in it every condition key, holds. Operators: the
 * String ones (Equals, NotEquals, EqualsIgnoreCase, NotEqualsIgnoreCase, Like, NotLike), the Arn ones, `Bool`,
 * `Null`, each with `…IfExists`, and the `ForAnyValue:`/`ForAllValues:` set prefixes. A key the request lacks
 * fails a positive operator and passes a negated one (as IAM decides); `…IfExists` passes on a missing key.
 */
export function conditionHolds(condition: unknown, keys: ReadonlyMap<string, readonly string[]>): boolean | 'unknown' {
  if (condition === undefined) return true;
  if (typeof condition !== 'object' || condition === null) return 'unknown';
  let unknown = false;
  for (const [operator, block] of Object.entries(condition)) {
    if (typeof block !== 'object' || block === null) return 'unknown';
    for (const [key, wanted] of Object.entries(block as Record<string, unknown>)) {
      const result = keyHolds(operator, key.toLowerCase(), valuesOf(wanted).map(String).concat(booleans(wanted)), keys);
      if (result === false) return false;
      if (result === 'unknown') unknown = true;
    }
  }
  return unknown ? 'unknown' : true;
}

/** Bool and Null blocks may give JSON booleans. */
function booleans(value: unknown): string[] {
  const list = Array.isArray(value) ? value : [value];
  return list.filter((v): v is boolean => typeof v === 'boolean').map(String);
}

function keyHolds(
  operatorName: string,
  key: string,
  wanted: readonly string[],
  keys: ReadonlyMap<string, readonly string[]>,
): boolean | 'unknown' {
  if (!KNOWN_KEYS.some((known) => known.test(key))) return 'unknown';
  let operator = operatorName.toLowerCase();
  let set: 'any' | 'all' | undefined;
  if (operator.startsWith('foranyvalue:')) [set, operator] = ['any', operator.slice('foranyvalue:'.length)];
  else if (operator.startsWith('forallvalues:')) [set, operator] = ['all', operator.slice('forallvalues:'.length)];
  const ifExists = operator.endsWith('ifexists');
  if (ifExists) operator = operator.slice(0, -'ifexists'.length);
  const actual = keys.get(key);
  if (operator === 'null') {
    if (set !== undefined || ifExists || wanted.length === 0) return 'unknown';
    return wanted.some((w) => (w.toLowerCase() === 'true') === (actual === undefined));
  }
  const rule = TESTS[operator];
  if (rule === undefined || wanted.length === 0) return 'unknown';
  if (actual === undefined) return ifExists || rule.negated || set === 'all';
  const matches = (value: string): boolean => wanted.some((w) => rule.test(value, w));
  const holds = (value: string): boolean => (rule.negated ? !matches(value) : matches(value));
  if (set === 'all') return actual.every(holds);
  if (set === 'any') return actual.some(holds);
  // A single-valued operator over a multivalued key (kms:EncryptionContextKeys) is IAM's ambiguity: unknown.
  if (actual.length !== 1) return 'unknown';
  return holds(actual[0] as string);
}
