import type {
  CreateGrantRequest,
  CreateGrantResponse,
  GrantListEntry,
  KmsCallOptions,
  KmsGrantOperation,
  ListGrantsRequest,
  ListGrantsResponse,
  ListRetirableGrantsRequest,
  RetireGrantRequest,
  RevokeGrantRequest,
} from '../../../ports/kms.port.js';
import { toHex } from '../../../codec/bytes.js';
import type { EngineContext } from '../engine-context.js';
import { grantTokenOf, parseGrantToken as parseToken } from '../model/grant-tokens.js';
import { accessDenied, dryRun as dryRunException, invalidGrantToken } from '../model/exceptions.js';
import { mayRetire } from '../rules/authorization-rules.js';
import { cutPage, pageTail } from '../model/pagination.js';
import { GRANT_ID, checkGrantRequest, grantNotFound, invalidGrantId, retireWithoutGrant } from '../rules/grant-rules.js';
import type { GrantRecord, SimulatorStoreReader } from '../store/simulator-store.js';
import { readRequest } from '../../kms-model/request-reader.js';

/**
 * Grants (docs/kms-behaviour.md §22): CreateGrant, ListGrants, ListRetirableGrants, RetireGrant, RevokeGrant, and
 * the grant tokens they hand out. What a grant allows is decided with the `enforcePolicies` option only
 * (operations/authorization.ts, §26); without it every caller is the key's own account.
 */

/** The page size of ListGrants and ListRetirableGrants without `Limit` (the model's documentation). */
const GRANTS_PAGE = 50;

export async function createGrant(
  ctx: EngineContext,
  input: CreateGrantRequest,
  options: KmsCallOptions | undefined,
): Promise<CreateGrantResponse> {
  const request = readRequest('createGrant', input);
  const { KeyId: keyId, Operations: operations, Constraints: constraints, Name: name, DryRun: dryRun } = request;
  const nonce = toHex(ctx.crypto.getRandomValues(new Uint8Array(16)));
  const freshId = toHex(ctx.crypto.getRandomValues(new Uint8Array(32)));
  return ctx.write(options, async (tx) => {
    const { record } = await tx.keyFor('CreateGrant', keyId, request.GrantTokens);
    checkGrantRequest(operations as KmsGrantOperation[], constraints, record);
    if (dryRun === true) throw dryRunException();
    const grant: GrantRecord = {
      keyId: record.keyId,
      grantId: freshId,
      grantToken: grantTokenOf(record.keyId, freshId, nonce),
      ...(name === undefined ? {} : { name }),
      creationDate: tx.now(),
      granteePrincipal: request.GranteePrincipal,
      ...(request.RetiringPrincipal === undefined ? {} : { retiringPrincipal: request.RetiringPrincipal }),
      issuingAccount: `arn:${tx.arns.partition}:iam::${tx.enforcedCaller?.accountId ?? tx.accountId}:root`,
      operations: [...operations],
      ...(constraints === undefined ? {} : { constraints: storedConstraints(constraints) }),
    };
    const same = name === undefined ? undefined : await sameNamedGrant(tx.store, grant);
    const grantId = same?.grantId ?? grant.grantId;
    const grantToken = grantTokenOf(record.keyId, grantId, nonce);
    if (same === undefined) await tx.store.putGrant({ ...grant, grantToken });
    return { GrantToken: grantToken, GrantId: grantId };
  });
}

export async function listGrants(
  ctx: EngineContext,
  input: ListGrantsRequest,
  options: KmsCallOptions | undefined,
): Promise<ListGrantsResponse> {
  const { KeyId: keyId, Limit: limit = GRANTS_PAGE, Marker: marker, GrantId: grantId, GranteePrincipal: grantee } =
    readRequest('listGrants', input);
  await ctx.beforeRead(options);
  const { record } = await ctx.keyFor('ListGrants', keyId);
  const scope = `ListGrants:${record.keyId}:${grantId ?? ''}:${grantee ?? ''}`;
  const after = marker === undefined ? undefined : ctx.markers.decode(scope, marker);
  const matches = (grant: GrantRecord): boolean =>
    (grantId === undefined || grant.grantId === grantId) && (grantee === undefined || grant.granteePrincipal === grantee);
  const fetched = await collect(ctx.store, record.keyId, after, limit + 1, matches);
  const page = cutPage(fetched, limit, (last) => ctx.markers.encode(scope, `${last.keyId}/${last.grantId}`));
  return { Grants: page.items.map((grant) => entry(ctx, grant)), ...pageTail(page) };
}

/** The grants of every key of this account and Region whose RetiringPrincipal is the one given. */
export async function listRetirableGrants(
  ctx: EngineContext,
  input: ListRetirableGrantsRequest,
  options: KmsCallOptions | undefined,
): Promise<ListGrantsResponse> {
  const { RetiringPrincipal: principal, Limit: limit = GRANTS_PAGE, Marker: marker } = readRequest('listRetirableGrants', input);
  await ctx.beforeRead(options);
  const scope = `ListRetirableGrants:${principal}`;
  const after = marker === undefined ? undefined : ctx.markers.decode(scope, marker);
  const fetched = await collect(ctx.store, undefined, after, limit + 1, (grant) => grant.retiringPrincipal === principal);
  const page = cutPage(fetched, limit, (last) => ctx.markers.encode(scope, `${last.keyId}/${last.grantId}`));
  return { Grants: page.items.map((grant) => entry(ctx, grant)), ...pageTail(page) };
}

/** By GrantToken, or by KeyId (key ARN) with GrantId; DryRun after the grant is found. */
export async function retireGrant(
  ctx: EngineContext,
  input: RetireGrantRequest,
  options: KmsCallOptions | undefined,
): Promise<void> {
  const { GrantToken: token, KeyId: keyId, GrantId: grantId, DryRun: dryRun } = readRequest('retireGrant', input);
  await ctx.write(options, async (tx) => {
    let grant: GrantRecord | undefined;
    if (token !== undefined) {
      const named = parseToken(token);
      grant = named === undefined ? undefined : await tx.store.getGrant(named.keyId, named.grantId);
      if (grant === undefined) throw invalidGrantToken();
    } else {
      if (keyId === undefined || grantId === undefined) throw retireWithoutGrant();
      const { record } = await tx.keyFor('RetireGrant', keyId);
      if (!GRANT_ID.test(grantId)) throw invalidGrantId();
      grant = await tx.store.getGrant(record.keyId, grantId);
      if (grant === undefined) throw grantNotFound(grantId);
    }
    checkRetire(tx, grant);
    if (dryRun === true) throw dryRunException();
    await tx.store.deleteGrant(grant.keyId, grant.grantId);
  });
}

export async function revokeGrant(
  ctx: EngineContext,
  input: RevokeGrantRequest,
  options: KmsCallOptions | undefined,
): Promise<void> {
  const { KeyId: keyId, GrantId: grantId, DryRun: dryRun } = readRequest('revokeGrant', input);
  await ctx.write(options, async (tx) => {
    const { record } = await tx.keyFor('RevokeGrant', keyId);
    if (!GRANT_ID.test(grantId)) throw invalidGrantId();
    if ((await tx.store.getGrant(record.keyId, grantId)) === undefined) throw grantNotFound(grantId);
    if (dryRun === true) throw dryRunException();
    await tx.store.deleteGrant(record.keyId, grantId);
  });
}

/** With enforcePolicies (§26): only the grant's retiring principal, its grantee (RetireGrant) or its issuing account. */
function checkRetire(ctx: EngineContext, grant: GrantRecord): void {
  const caller = ctx.enforcedCaller;
  if (caller === undefined || mayRetire(grant, caller)) return;
  throw accessDenied(caller.principal, 'kms:RetireGrant', ctx.arns.keyArn(grant.keyId), false);
}

/** Grants after `after` that match, up to `want` of them, one store page at a time. */
export async function collect(
  store: SimulatorStoreReader,
  keyId: string | undefined,
  after: string | undefined,
  want: number,
  matches: (grant: GrantRecord) => boolean,
): Promise<GrantRecord[]> {
  const found: GrantRecord[] = [];
  let position = after;
  for (;;) {
    const page = await store.listGrants({ ...(keyId === undefined ? {} : { keyId }), ...(position === undefined ? {} : { after: position }), limit: 100 });
    for (const grant of page) if (matches(grant) && found.length < want) found.push(grant);
    const last = page[page.length - 1];
    if (found.length >= want || last === undefined || page.length < 100) return found;
    position = `${last.keyId}/${last.grantId}`;
  }
}

/** A grant with the same Name on the same key and the same parameters: CreateGrant answers it again. */
async function sameNamedGrant(store: SimulatorStoreReader, grant: GrantRecord): Promise<GrantRecord | undefined> {
  const all = await collect(store, grant.keyId, undefined, Number.MAX_SAFE_INTEGER, (g) => g.name === grant.name);
  return all.find((g) => parameters(g) === parameters(grant));
}

function parameters(grant: GrantRecord): string {
  const { granteePrincipal, retiringPrincipal, operations, constraints } = grant;
  return JSON.stringify([granteePrincipal, retiringPrincipal ?? null, operations, constraints ?? null]);
}

function storedConstraints(constraints: NonNullable<CreateGrantRequest['Constraints']>): NonNullable<GrantRecord['constraints']> {
  const { EncryptionContextSubset: subset, EncryptionContextEquals: equals } = constraints;
  return {
    ...(subset === undefined ? {} : { encryptionContextSubset: { ...subset } }),
    ...(equals === undefined ? {} : { encryptionContextEquals: { ...equals } }),
  };
}

function entry(ctx: EngineContext, grant: GrantRecord): GrantListEntry {
  const { encryptionContextSubset: subset, encryptionContextEquals: equals } = grant.constraints ?? {};
  return {
    KeyId: ctx.arns.keyArn(grant.keyId),
    GrantId: grant.grantId,
    ...(grant.name === undefined ? {} : { Name: grant.name }),
    CreationDate: new Date(grant.creationDate.getTime()),
    GranteePrincipal: grant.granteePrincipal,
    ...(grant.retiringPrincipal === undefined ? {} : { RetiringPrincipal: grant.retiringPrincipal }),
    IssuingAccount: grant.issuingAccount,
    Operations: [...grant.operations] as KmsGrantOperation[],
    ...(grant.constraints === undefined
      ? {}
      : { Constraints: { ...(subset === undefined ? {} : { EncryptionContextSubset: { ...subset } }), ...(equals === undefined ? {} : { EncryptionContextEquals: { ...equals } }) } }),
  };
}
