import type {
  AliasListEntry,
  CreateAliasRequest,
  DeleteAliasRequest,
  KmsCallOptions,
  ListAliasesRequest,
  ListAliasesResponse,
  UpdateAliasRequest,
} from '../../../ports/kms.port.js';
import type { EngineContext } from '../engine-context.js';
import { codeUnitOrder } from '../model/code-unit-order.js';
import { aliasAlreadyExists } from '../model/exceptions.js';
import type { ArnScope } from '../model/identifiers.js';
import { DEFAULT_PAGE_SIZE, cutPage, pageTail } from '../model/pagination.js';
import { PREDEFINED_AWS_ALIASES, checkAliasName, checkAliasQuota, checkSameKind } from '../rules/alias-rules.js';
import type { AliasRecord } from '../store/simulator-store.js';
import { readRequest } from '../../kms-model/request-reader.js';

/** Alias operations (docs/kms-behaviour.md §10, §12): CreateAlias, UpdateAlias, DeleteAlias, ListAliases. */

/** The predefined AWS managed aliases, in listing order. */
const PREDEFINED = [...PREDEFINED_AWS_ALIASES].sort(codeUnitOrder);

export async function createAlias(
  ctx: EngineContext,
  input: CreateAliasRequest,
  options: KmsCallOptions | undefined,
): Promise<void> {
  const { AliasName: aliasName, TargetKeyId: targetKeyId } = readRequest('createAlias', input);
  checkAliasName(aliasName);

  await ctx.write(options, async (tx) => {
    const target = await tx.keyFor('CreateAlias', targetKeyId);
    if ((await tx.store.getAlias(aliasName)) !== undefined) throw aliasAlreadyExists(tx.arns.aliasArn(aliasName));
    checkAliasQuota(await tx.store.countAliases(target.record.keyId), target.arn);
    const now = tx.now();
    await tx.store.putAlias({ aliasName, targetKeyId: target.record.keyId, creationDate: now, lastUpdatedDate: now });
  });
}

/** Moves an existing alias to a key of the same type and usage; the current target may be pending deletion. */
export async function updateAlias(
  ctx: EngineContext,
  input: UpdateAliasRequest,
  options: KmsCallOptions | undefined,
): Promise<void> {
  const { AliasName: aliasName, TargetKeyId: targetKeyId } = readRequest('updateAlias', input);
  checkAliasName(aliasName);

  await ctx.write(options, async (tx) => {
    const alias = await tx.store.getAlias(aliasName);
    if (alias === undefined) throw tx.arns.aliasNotFound(aliasName);
    const target = await tx.keyFor('UpdateAlias', targetKeyId);
    const current = await tx.store.getKey(alias.targetKeyId);
    if (current !== undefined) checkSameKind(aliasName, current, target.record);
    if (target.record.keyId !== alias.targetKeyId) {
      checkAliasQuota(await tx.store.countAliases(target.record.keyId), target.arn);
    }
    await tx.store.putAlias({ ...alias, targetKeyId: target.record.keyId, lastUpdatedDate: tx.now() });
  });
}

export async function deleteAlias(
  ctx: EngineContext,
  input: DeleteAliasRequest,
  options: KmsCallOptions | undefined,
): Promise<void> {
  const { AliasName: aliasName } = readRequest('deleteAlias', input);
  checkAliasName(aliasName);

  await ctx.write(options, async (tx) => {
    if (!(await tx.store.deleteAlias(aliasName))) throw tx.arns.aliasNotFound(aliasName);
  });
}

/**
 * Aliases in ascending name order (code units), the predefined AWS managed aliases (no TargetKeyId) included
 * when no KeyId filter is given. A KeyId filter takes a key ID or key ARN, in any key state. A page costs one
 * store page plus a merge with the short predefined list, never a pass over every alias.
 */
export async function listAliases(
  ctx: EngineContext,
  input: ListAliasesRequest,
  options: KmsCallOptions | undefined,
): Promise<ListAliasesResponse> {
  const { KeyId: keyId, Limit: limit = DEFAULT_PAGE_SIZE.ListAliases, Marker: marker } = readRequest('listAliases', input);

  await ctx.beforeRead(options);
  const filterKeyId = keyId === undefined ? undefined : (await ctx.keyFor('ListAliases', keyId)).record.keyId;
  const scope = `ListAliases:${filterKeyId ?? '*'}`;
  const after = marker === undefined ? undefined : ctx.markers.decode(scope, marker);
  const stored = await ctx.store.listAliases({
    ...(after === undefined ? {} : { after }),
    ...(filterKeyId === undefined ? {} : { targetKeyId: filterKeyId }),
    limit: limit + 1,
  });
  const entries = stored.map((a) => aliasEntry(ctx.arns, a));
  const merged = filterKeyId === undefined ? withPredefined(ctx.arns, entries, after, limit + 1) : entries;
  const page = cutPage(merged, limit, (last) => ctx.markers.encode(scope, last.AliasName));
  return { Aliases: page.items, ...pageTail(page) };
}

/** Merges the predefined aliases after `after` into `entries` (both ascending), keeping the first `max`. */
function withPredefined(
  arns: ArnScope,
  entries: readonly AliasListEntry[],
  after: string | undefined,
  max: number,
): AliasListEntry[] {
  const merged: AliasListEntry[] = [];
  let i = 0;
  let j = after === undefined ? 0 : PREDEFINED.findIndex((name) => name > after);
  if (j < 0) j = PREDEFINED.length;
  while (merged.length < max && (i < entries.length || j < PREDEFINED.length)) {
    const entry = entries[i];
    const name = PREDEFINED[j];
    if (name === undefined || (entry !== undefined && entry.AliasName < name)) {
      merged.push(entry as AliasListEntry);
      i += 1;
    } else {
      merged.push({ AliasName: name, AliasArn: arns.aliasArn(name) });
      j += 1;
    }
  }
  return merged;
}

function aliasEntry(arns: ArnScope, alias: AliasRecord): AliasListEntry {
  return {
    AliasName: alias.aliasName,
    AliasArn: arns.aliasArn(alias.aliasName),
    TargetKeyId: alias.targetKeyId,
    CreationDate: new Date(alias.creationDate.getTime()),
    LastUpdatedDate: new Date(alias.lastUpdatedDate.getTime()),
  };
}
