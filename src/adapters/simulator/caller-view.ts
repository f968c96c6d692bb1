import type { KmsPort } from '../../ports/kms.port.js';
import { InvalidArgumentError } from '../../domain/errors.js';
import { KMS_MODEL, type PortMethod } from '../kms-model/kms-operations.js';
import { parseCaller, runAs } from './model/caller.js';

/**
 * `SimulatedKms.as(principal)` (docs/kms-behaviour.md §26): a KmsPort whose every call runs with `caller` as the
 * calling principal, so that `enforcePolicies` decides its access by the key policies and grants.
 *
 * A principal of another account than the simulator's reaches this account's keys by key ARN or alias ARN only
 * (a key ID or alias name names a key of its own account, which this SimulatedKms does not hold). The operations
 * that act in the caller's own account and name no key of this one are refused in such a view: call them on the
 * caller's account's own SimulatedKms (over the wire, `serve` routes them there).
 */
const OWN_ACCOUNT_ONLY: ReadonlySet<PortMethod> = new Set<PortMethod>([
  'createKey', 'listKeys', 'listRetirableGrants', 'connectCustomKeyStore', 'createCustomKeyStore',
  'deleteCustomKeyStore', 'describeCustomKeyStores', 'disconnectCustomKeyStore', 'updateCustomKeyStore',
]);

export function callerView(kms: KmsPort, principal: string, accountId: string, enforcing: boolean): KmsPort {
  if (!enforcing) throw new InvalidArgumentError('SimulatedKms.as() needs the option enforcePolicies: true');
  const caller = parseCaller(principal, 'SimulatedKms.as');
  const view: Record<string, unknown> = { region: kms.region };
  for (const method of Object.keys(KMS_MODEL) as PortMethod[]) {
    view[method] = (input: unknown, options?: unknown): Promise<unknown> => {
      const keyless = method === 'listAliases' && (input as { KeyId?: unknown } | undefined)?.KeyId === undefined;
      if (caller.accountId !== accountId && (OWN_ACCOUNT_ONLY.has(method) || keyless)) {
        return Promise.reject(
          new InvalidArgumentError(
            `SimulatedKms.as(${caller.principal}): ${method} acts in the caller's own account ${caller.accountId}, which this ` +
              `SimulatedKms (account ${accountId}) does not hold: call it on account ${caller.accountId}'s SimulatedKms`,
          ),
        );
      }
      const operation = kms[method] as unknown as (input: unknown, options?: unknown) => Promise<unknown>;
      return runAs(caller, () => operation.call(kms, input, options));
    };
  }
  return view as unknown as KmsPort;
}
