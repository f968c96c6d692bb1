/**
 * The `saur:*` KMS tags of the Swarmauri wire contract: written at CreateKey (in this order) and read back to
 * rebuild KeyRefs. Caller tags are stored beside them under their own names.
 */

export const SAUR_KID = 'saur:kid';
export const SAUR_VERSION = 'saur:version';
export const SAUR_ALG = 'saur:alg';
export const SAUR_LABEL = 'saur:label';

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
  /** Every tag that is not `saur:*` (and not `aws:*`, which KMS never lets a caller set). */
  callerTags: Record<string, string>;
}

export function readKmsTags(tags: readonly KmsTagEntry[]): ReadSaurTags {
  const out: ReadSaurTags = { callerTags: {} };
  for (const { TagKey, TagValue } of tags) {
    if (TagKey === SAUR_KID) out.kid = TagValue;
    else if (TagKey === SAUR_VERSION) {
      if (/^[1-9][0-9]{0,15}$/.test(TagValue)) out.version = Number(TagValue);
    } else if (TagKey === SAUR_ALG) out.alg = TagValue;
    else if (TagKey === SAUR_LABEL) out.label = TagValue;
    else if (!TagKey.startsWith('saur:') && !TagKey.toLowerCase().startsWith('aws:')) out.callerTags[TagKey] = TagValue;
  }
  return out;
}
