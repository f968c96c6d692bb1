/**
 * `startSimulatorServer({ enforcePolicies: true })` / `kms-keys serve --enforce-policies` (docs/kms-behaviour.md
 * §26, docs/serve.md): who calls, and which partition serves a request that names a key of another account.
 *
 * The principal of a request: the `principal` of the `credentials` entry whose access key ID signed it; else, for
 * a 12-digit access key ID, that account's root; else (unsigned, or any other access key ID) the default
 * account's root. A request whose KeyId (ReEncrypt: SourceKeyId, else DestinationKeyId) is a key ARN or alias ARN
 * of another account in the request's Region goes to that account's partition, with the caller's principal — the
 * key policy and grants there decide; every other request goes to the caller's own account.
 *
 * A composition point (it knows SimulatedKms and the wire caller), kept apart from kms-simulator-server.ts.
 */
import type { KmsCaller } from './adapters/http/kms-caller.js';
import type { SigV4Credentials } from './adapters/http/sigv4-verifier.js';
import { type Caller, accountRoot, parseCaller } from './adapters/simulator/model/caller.js';
import { partitionOf as arnPartitionOf } from './adapters/simulator/model/identifiers.js';
import { InvalidArgumentError } from './domain/errors.js';
import type { KmsPort } from './ports/kms.port.js';

/** A `credentials` entry of startSimulatorServer: SigV4 credentials, optionally with the principal they sign as. */
export interface SimulatorCredentials extends SigV4Credentials {
  /**
   * With `enforcePolicies`: the principal of requests signed with these credentials — `arn:aws:iam::<account>:root`,
   * `…:user/<name>`, `…:role/<name>` or `arn:aws:sts::<account>:assumed-role/<role>/<session>`. Its account is
   * the caller's account (a 12-digit accessKeyId must be that account). Default: the access key ID's account root.
   */
  principal?: string;
}

const ACCOUNT_ID = /^\d{12}$/;
const KEY_ARN = /^arn:[^:]+:kms:([^:]*):(\d{12}):(?:key|alias)\//;

/** The principals the credentials name, by access key ID (checked: InvalidArgumentError naming the forms). */
export function principalsOf(credentials: SimulatorCredentials | readonly SimulatorCredentials[] | undefined): ReadonlyMap<string, Caller> {
  const list: readonly SimulatorCredentials[] = credentials === undefined ? [] : Array.isArray(credentials) ? credentials : [credentials as SimulatorCredentials];
  const principals = new Map<string, Caller>();
  for (const entry of list) {
    if (typeof entry !== 'object' || entry === null || entry.principal === undefined) continue;
    const caller = parseCaller(entry.principal, `startSimulatorServer: credentials ${String(entry.accessKeyId)}`);
    if (ACCOUNT_ID.test(entry.accessKeyId) && entry.accessKeyId !== caller.accountId) {
      throw new InvalidArgumentError(
        `startSimulatorServer: credentials ${entry.accessKeyId}: the principal ${caller.principal} is of account ${caller.accountId}; ` +
          'a 12-digit access key ID is the account it signs for',
      );
    }
    principals.set(entry.accessKeyId, caller);
  }
  return principals;
}

/** The principal of a request (see the file comment). */
export function principalOf(caller: KmsCaller, principals: ReadonlyMap<string, Caller>, defaults: { accountId: string; region: string }): Caller {
  const { accessKeyId } = caller;
  const named = accessKeyId === undefined ? undefined : principals.get(accessKeyId);
  if (named !== undefined) return named;
  const account = accessKeyId !== undefined && ACCOUNT_ID.test(accessKeyId) ? accessKeyId : defaults.accountId;
  return accountRoot(arnPartitionOf(caller.region ?? defaults.region), account);
}

type Partition = (accountId: string, region: string) => Promise<KmsPort>;
type Operation = (input: unknown, options?: unknown) => Promise<unknown>;

/**
 * The KmsPort a request of `caller` is served by: each call goes to the partition of the key it names (another
 * account's, by ARN) or the caller's own, through that SimulatedKms's `as(principal)` view.
 */
export function authorizingKms(principal: Caller, region: string, partition: Partition): KmsPort {
  return new Proxy({} as KmsPort, {
    get(_target, method) {
      if (method === 'region') return region;
      if (typeof method !== 'string' || method === 'then') return undefined;
      return async (input: unknown, options?: unknown): Promise<unknown> => {
        const owner = ownerOf(input, region) ?? principal.accountId;
        const kms = (await partition(owner, region)) as KmsPort & { as?: (principal: string) => KmsPort };
        if (typeof kms.as !== 'function') {
          throw new InvalidArgumentError('startSimulatorServer: enforcePolicies needs SimulatedKms partitions; simulatorFor built another KmsPort');
        }
        const operation = kms.as(principal.principal)[method as keyof KmsPort] as unknown as Operation | undefined;
        if (typeof operation !== 'function') throw new InvalidArgumentError(`${method} is not a KMS operation`);
        return operation(input, options);
      };
    },
  });
}

/** The account of the key ARN or alias ARN a request names, when it is in `region`. */
function ownerOf(input: unknown, region: string): string | undefined {
  if (typeof input !== 'object' || input === null) return undefined;
  const { KeyId, SourceKeyId, DestinationKeyId } = input as Record<string, unknown>;
  for (const value of [KeyId, SourceKeyId, DestinationKeyId]) {
    const match = typeof value === 'string' ? KEY_ARN.exec(value) : null;
    if (match !== null) return match[1] === region ? match[2] : undefined;
  }
  return undefined;
}
