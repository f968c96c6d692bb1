import { AsyncLocalStorage } from 'node:async_hooks';
import { InvalidArgumentError } from '../../../domain/errors.js';
import { describe } from '../../../domain/validation.js';

/**
 * Who calls the simulator (docs/kms-behaviour.md §26), for the `enforcePolicies` option: a principal ARN and its
 * account. `SimulatedKms.as(principal)` runs each call of its view inside `runAs`, and the engine reads the caller
 * with `currentCaller()`; outside a view there is none, and the engine takes the key's account root.
 */
export interface Caller {
  /** `arn:<partition>:iam::<account>:root`, `…:user/<path/name>`, `…:role/<path/name>`, or `arn:<partition>:sts::<account>:assumed-role/<role>/<session>`. */
  readonly principal: string;
  readonly accountId: string;
}

const PRINCIPAL =
  /^arn:(aws|aws-cn|aws-us-gov):(?:iam::(\d{12}):(?:root|(?:user|role)\/(?:[\w+=,.@-]+\/)*[\w+=,.@-]{1,128})|sts::(\d{12}):assumed-role\/[\w+=,.@-]{1,64}\/[\w+=,.@-]{2,64})$/;

/** The expected forms, for messages. */
export const PRINCIPAL_FORMS =
  'arn:aws:iam::<12-digit account>:root, arn:aws:iam::<account>:user/<name>, arn:aws:iam::<account>:role/<name> ' +
  'or arn:aws:sts::<account>:assumed-role/<role>/<session>';

/** A principal ARN checked: InvalidArgumentError naming the accepted forms otherwise. */
export function parseCaller(principal: unknown, what: string): Caller {
  const match = typeof principal === 'string' ? PRINCIPAL.exec(principal) : null;
  if (match === null) throw new InvalidArgumentError(`${what}: the principal must be one of ${PRINCIPAL_FORMS}; got ${describe(principal)}`);
  return { principal: principal as string, accountId: (match[2] ?? match[3]) as string };
}

const ROOT = /^arn:aws(?:-cn|-us-gov)?:iam::(\d{12}):root$/;
const ASSUMED_ROLE = /^arn:(aws(?:-cn|-us-gov)?):sts::(\d{12}):assumed-role\/([^/]+)\//;

/**
 * Whether a principal named in a key policy or a grant is the caller: its exact ARN; the account ID or the root ARN
 * of the caller's account (standing for every principal of the account: IAM is not modelled); or, for an STS
 * assumed-role session, the role's IAM ARN (with any path), as KMS matches role sessions.
 */
export function namesPrincipal(named: string, caller: Caller): boolean {
  if (named === caller.principal || named === caller.accountId || ROOT.exec(named)?.[1] === caller.accountId) return true;
  const session = ASSUMED_ROLE.exec(caller.principal);
  if (session === null) return false;
  const [, partition, account, role] = session as unknown as [string, string, string, string];
  return named.startsWith(`arn:${partition}:iam::${account}:role/`) && named.endsWith(`/${role}`);
}

/** The account root of an account: the caller of a request that names no principal. */
export function accountRoot(partition: string, accountId: string): Caller {
  return { principal: `arn:${partition}:iam::${accountId}:root`, accountId };
}

const scope = new AsyncLocalStorage<Caller>();

/** Runs `fn` (and everything it starts) with `caller` as the caller. */
export function runAs<T>(caller: Caller, fn: () => T): T {
  return scope.run(caller, fn);
}

/** The caller of the call under way, if it came through a view of `as()`. */
export function currentCaller(): Caller | undefined {
  return scope.getStore();
}
