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
