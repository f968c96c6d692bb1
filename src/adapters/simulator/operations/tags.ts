import type {
  KmsCallOptions,
  ListResourceTagsRequest,
  ListResourceTagsResponse,
  TagResourceRequest,
  UntagResourceRequest,
} from '../../../ports/kms.port.js';
import type { EngineContext } from '../engine-context.js';
import { DEFAULT_PAGE_SIZE, cutPage, pageTail } from '../model/pagination.js';
import { checkTagKeysToRemove, checkTagsToSet, removeTags, setTags } from '../rules/tag-rules.js';
import { readRequest } from '../../kms-model/request-reader.js';

/** Tag operations (docs/kms-behaviour.md §11, §12): TagResource, UntagResource, ListResourceTags. */

export async function tagResource(
  ctx: EngineContext,
  input: TagResourceRequest,
  options: KmsCallOptions | undefined,
): Promise<void> {
  const { KeyId: keyId, Tags: tags } = readRequest('tagResource', input);

  await ctx.write(options, async (tx) => {
    const { record } = await tx.keyFor('TagResource', keyId);
    checkTagsToSet(tags);
    const tagged = setTags(record.tags, record.nextTagSeq, tags);
    await tx.store.updateKey({ ...record, tags: tagged.tags, nextTagSeq: tagged.nextTagSeq });
  });
}

export async function untagResource(
  ctx: EngineContext,
  input: UntagResourceRequest,
  options: KmsCallOptions | undefined,
): Promise<void> {
  const { KeyId: keyId, TagKeys: tagKeys } = readRequest('untagResource', input);

  await ctx.write(options, async (tx) => {
    const { record } = await tx.keyFor('UntagResource', keyId);
    checkTagKeysToRemove(tagKeys);
    await tx.store.updateKey({ ...record, tags: removeTags(record.tags, tagKeys) });
  });
}

/** Tags in the order their keys were first set; every key state. */
export async function listResourceTags(
  ctx: EngineContext,
  input: ListResourceTagsRequest,
  options: KmsCallOptions | undefined,
): Promise<ListResourceTagsResponse> {
  const {
    KeyId: keyId,
    Limit: limit = DEFAULT_PAGE_SIZE.ListResourceTags,
    Marker: marker,
  } = readRequest('listResourceTags', input);

  await ctx.beforeRead(options);
  const { record } = await ctx.keyFor('ListResourceTags', keyId);
  const scope = `ListResourceTags:${record.keyId}`;
  const after = marker === undefined ? 0 : Number(ctx.markers.decode(scope, marker));
  const remaining = record.tags.filter((t) => t.seq > after);
  const page = cutPage(remaining.slice(0, limit + 1), limit, (last) => ctx.markers.encode(scope, String(last.seq)));
  return { Tags: page.items.map((t) => ({ TagKey: t.key, TagValue: t.value })), ...pageTail(page) };
}
