/**
 * Member shapes several operation families share (KMS_MODEL and the family models spread into it).
 */
import { integer, list, string } from './member-shape.js';

/** A key ID, key ARN, alias name or alias ARN: 1–2048 characters. */
export const KEY_ID = string({ required: true, min: 1, max: 2048 });
export const OPTIONAL_KEY_ID = string({ min: 1, max: 2048 });
export const MARKER = string({ min: 1, max: 1024 });
/** Limit of the listings that take 1–1000. */
export const LIMIT = integer({ min: 1, max: 1000 });
/** 0–10 tokens of 1–8192 characters. */
export const GRANT_TOKENS = list(string({ min: 1, max: 8192 }), { maxItems: 10 });

/**
 * A model pattern, matched against the whole value as the service does, and reported as the model writes it
 * (`Member must satisfy regular expression pattern: [\w]+`).
 */
export const modelPattern = (source: string): RegExp =>
  Object.defineProperty(new RegExp(`^(?:${source})$`), 'source', { value: source });

/** A key policy document: 1–131072 characters of tab, LF, CR and U+0020–U+00FF (the 32 KB quota is the service's). */
export const POLICY = string({ min: 1, max: 131_072, pattern: modelPattern('[\\u0009\\u000A\\u000D\\u0020-\\u00FF]+') });
