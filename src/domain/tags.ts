/** Caller tags and labels: what may be stored as KMS tags beside the Swarmauri `saur:*` tags. */
import { InvalidArgumentError } from './errors.js';
import { describe, isRecord } from './validation.js';

/** KMS allows 50 tags per key; the provider writes up to 4 `saur:*` tags of its own. */
export const MAX_CALLER_TAGS = 46;
/** KeyRef tag names the provider fills itself. */
const RESERVED_NAMES = new Set(['alg', 'label']);
const RESERVED_PREFIXES = ['aws:', 'saur:', 'kms:'];
/** KMS TagKey/TagValue character set: Unicode letters, digits, white space, `_ . : / = + - @`. */
const TAG_CHARS = /^[\p{L}\p{Z}\p{N}_.:/=+\-@]*$/u;

export function validateCallerTags(tags: unknown): Record<string, string> {
  if (tags === undefined) return {};
  if (!isRecord(tags)) throw new InvalidArgumentError(`tags must be an object of strings; got ${describe(tags)}`);
  const entries = Object.entries(tags);
  if (entries.length > MAX_CALLER_TAGS) {
    throw new InvalidArgumentError(`At most ${MAX_CALLER_TAGS} caller tags are allowed; got ${entries.length}`);
  }
  const out: Record<string, string> = {};
  for (const [key, value] of entries) {
    const lower = key.toLowerCase();
    if (RESERVED_NAMES.has(key) || RESERVED_PREFIXES.some((p) => lower.startsWith(p))) {
      throw new InvalidArgumentError(
        `Tag key '${key}' is reserved (alg, label and keys starting with aws:, saur: or kms: are set by the provider)`,
      );
    }
    if (key.length < 1 || key.length > 128 || !TAG_CHARS.test(key)) {
      throw new InvalidArgumentError(
        `Tag key ${describe(key)} must be 1–128 letters, digits, spaces or _ . : / = + - @`,
      );
    }
    if (typeof value !== 'string' || value.length > 256 || !TAG_CHARS.test(value)) {
      throw new InvalidArgumentError(
        `Tag '${key}' must have a string value of at most 256 letters, digits, spaces or _ . : / = + - @; got ${describe(value)}`,
      );
    }
    out[key] = value;
  }
  return out;
}

/** A label: a string of at most 256 characters (a KMS tag value); '' or undefined means no label. */
export function validateLabel(label: unknown): string | undefined {
  if (label === undefined || label === '') return undefined;
  if (typeof label !== 'string' || label.length > 256 || !TAG_CHARS.test(label)) {
    throw new InvalidArgumentError(
      `label must be a string of at most 256 letters, digits, spaces or _ . : / = + - @; got ${describe(label)}`,
    );
  }
  return label;
}
