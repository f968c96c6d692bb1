import { tagException } from '../model/exceptions.js';
import type { StoredTag } from '../store/simulator-store.js';
import type { KmsTag } from '../../../ports/kms.port.js';

/**
 * Tag rules beyond the shape (docs/kms-behaviour.md §11); lengths are checked by the request reader
 * (src/adapters/kms-model).
 * Recorded AWS texts: `Tags beginning with aws: are reserved` (any case), `Duplicate tag keys`, `Too many tags`.
 */

export const MAX_TAGS_PER_KEY = 50;

function isReserved(tagKey: string): boolean {
  return tagKey.toLowerCase().startsWith('aws:');
}

/** Refuses reserved and duplicated tag keys in one TagResource/CreateKey request. */
export function checkTagsToSet(tags: readonly KmsTag[]): void {
  if (tags.some((t) => isReserved(t.TagKey))) throw tagException('Tags beginning with aws: are reserved');
  if (new Set(tags.map((t) => t.TagKey)).size !== tags.length) throw tagException('Duplicate tag keys');
}

/** Refuses reserved tag keys in an UntagResource request (an `aws:` tag cannot be set, nor removed). */
export function checkTagKeysToRemove(tagKeys: readonly string[]): void {
  if (tagKeys.some(isReserved)) throw tagException('Tags beginning with aws: are reserved');
}

/**
 * Sets `incoming` on top of `existing`: an existing key keeps its position and takes the new value, a new key
 * goes last. More than 50 tags afterwards → `TagException: Too many tags`.
 */
export function setTags(
  existing: readonly StoredTag[],
  nextSeq: number,
  incoming: readonly KmsTag[],
): { tags: StoredTag[]; nextTagSeq: number } {
  const byKey = new Map(existing.map((t) => [t.key, t]));
  let seq = nextSeq;
  for (const { TagKey: key, TagValue: value } of incoming) {
    const current = byKey.get(key);
    byKey.set(key, { key, value, seq: current?.seq ?? seq++ });
  }
  if (byKey.size > MAX_TAGS_PER_KEY) throw tagException('Too many tags');
  return { tags: [...byKey.values()].sort((a, b) => a.seq - b.seq), nextTagSeq: seq };
}

export function removeTags(existing: readonly StoredTag[], tagKeys: readonly string[]): StoredTag[] {
  const removed = new Set(tagKeys);
  return existing.filter((t) => !removed.has(t.key));
}
