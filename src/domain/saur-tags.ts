/**
 * The `saur:*` KMS tags of the Swarmauri wire contract: written at CreateKey (in this order) and read back to
 * rebuild KeyRefs. Caller tags are stored beside them under their own names.
 */

export const SAUR_KID = 'saur:kid';
export const SAUR_VERSION = 'saur:version';
export const SAUR_ALG = 'saur:alg';
export const SAUR_LABEL = 'saur:label';
/**
 * Not in the Python original (which ignores it): the highest version a kid ever had, set on the key the latest
 * alias moves back to when higher versions are destroyed, so version numbers are never reused.
 */
export const SAUR_MAX_VERSION = 'saur:max_version';
const DECIMAL = /^[1-9][0-9]{0,15}$/;

export interface KmsTagEntry {
  TagKey: string;
  TagValue: string;
}

export interface SaurTagValues {
  kid: string;
  version: number;
  alg: string;
  label?: string;
  callerTags: Readonly<Record<string, string>>;
}

/** `saur:kid`, `saur:version`, `saur:alg`, `saur:label` (only when non-empty), then the caller's tags. */
export function buildKmsTags(values: SaurTagValues): KmsTagEntry[] {
  const tags: KmsTagEntry[] = [
    { TagKey: SAUR_KID, TagValue: values.kid },
    { TagKey: SAUR_VERSION, TagValue: String(values.version) },
    { TagKey: SAUR_ALG, TagValue: values.alg },
  ];
  if (values.label) tags.push({ TagKey: SAUR_LABEL, TagValue: values.label });
  for (const [TagKey, TagValue] of Object.entries(values.callerTags)) tags.push({ TagKey, TagValue });
  return tags;
}

export interface ReadSaurTags {
  kid?: string;
  version?: number;
  alg?: string;
  label?: string;
  maxVersion?: number;
  /** Every tag that is not `saur:*` (and not `aws:*`, which KMS never lets a caller set). */
  callerTags: Record<string, string>;
}

export function readKmsTags(tags: readonly KmsTagEntry[]): ReadSaurTags {
  const out: ReadSaurTags = { callerTags: {} };
  for (const { TagKey, TagValue } of tags) {
    if (TagKey === SAUR_KID) out.kid = TagValue;
    else if (TagKey === SAUR_VERSION) {
      if (DECIMAL.test(TagValue)) out.version = Number(TagValue);
    } else if (TagKey === SAUR_MAX_VERSION) {
      if (DECIMAL.test(TagValue)) out.maxVersion = Number(TagValue);
    } else if (TagKey === SAUR_ALG) out.alg = TagValue;
    else if (TagKey === SAUR_LABEL) out.label = TagValue;
    else if (!TagKey.startsWith('saur:') && !TagKey.toLowerCase().startsWith('aws:')) out.callerTags[TagKey] = TagValue;
  }
  return out;
}
