/**
 * The seed document (docs/kms-behaviour.md §17): `Keys: [ … ]` in YAML or JSON, every entry and field checked.
 * A problem is an InvalidArgumentError naming the source, the entry (`Keys[3] (KeyId …, alias/…)`) and the field,
 * with the valid choices where there is a list of them. Key material is checked (parsed, matched against the
 * spec) but never quoted: no message contains a key, a secret or a line of the document that could hold one.
 */
import { LineCounter, parseDocument } from 'yaml';
import { InvalidArgumentError } from '../../../domain/errors.js';
import { describe } from '../../../domain/validation.js';
import type { KmsKeySpec, KmsKeyUsage, KmsTag } from '../../../ports/kms.port.js';
import { KEY_USAGES } from '../../kms-model/kms-enums.js';
import { ArnScope } from '../model/identifiers.js';
import { KEY_SPEC_RULES } from '../model/key-spec-table.js';
import { MAX_ALIASES_PER_KEY, checkAliasName } from '../rules/alias-rules.js';
import { MAX_TAGS_PER_KEY, checkTagsToSet } from '../rules/tag-rules.js';
import { SECRET_LENGTHS, SeedMaterialError, privateKeyMaterial, secretMaterial, takesPrivateKeyPem } from './seed-key-material.js';
import type { SeedEntry } from './seed-types.js';

export const DEFAULT_SEED_SOURCE = 'seed';

const FIELDS = [
  'KeyId',
  'Region',
  'AccountId',
  'KeySpec',
  'KeyUsage',
  'Description',
  'Tags',
  'PrivateKeyPem',
  'KeyMaterial',
  'Aliases',
  'Enabled',
] as const;
type Field = (typeof FIELDS)[number];

/** The specs a seed may use, in the order of §7: every KMS KeySpec the simulator creates (SM2 is refused, §15). */
export const SEEDABLE_KEY_SPECS: readonly KmsKeySpec[] = (Object.keys(KEY_SPEC_RULES) as KmsKeySpec[]).filter((s) => s !== 'SM2');
const KEY_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const MAX_DESCRIPTION = 8192;

/** Parses and checks a seed document (YAML, or JSON, which is YAML too). `source` names it in messages. */
export function parseSeed(text: string, source: string = DEFAULT_SEED_SOURCE): SeedEntry[] {
  if (typeof text !== 'string') throw new InvalidArgumentError(`${source}: a seed document must be a string; got ${describe(text)}`);
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines, prettyErrors: false, uniqueKeys: true });
  const error = doc.errors[0];
  if (error !== undefined) {
    // The YAML library's message without its code frame: a frame could quote a line of key material.
    const { line, col } = lines.linePos(error.pos[0]);
    throw new InvalidArgumentError(`${source}: not a YAML or JSON document (line ${line}, column ${col}): ${error.message}`);
  }
  const value: unknown = doc.toJS({ maxAliasCount: 100 });
  if (!isPlainObject(value)) {
    throw new InvalidArgumentError(`${source}: a seed document must be a mapping with a Keys list; got ${kindOf(value)}`);
  }
  const unknown = Object.keys(value).filter((k) => k !== 'Keys');
  if (unknown.length > 0) {
    throw new InvalidArgumentError(`${source}: unknown top-level field ${unknown.join(', ')}; a seed document has only Keys`);
  }
  if (!('Keys' in value)) throw new InvalidArgumentError(`${source}: a seed document must have a Keys list`);
  return readSeedEntries(value['Keys'], source);
}

/** Checks seed entries (a parsed document's `Keys`, or entries given in code). */
export function readSeedEntries(value: unknown, source: string = DEFAULT_SEED_SOURCE): SeedEntry[] {
  if (!Array.isArray(value)) throw new InvalidArgumentError(`${source}: Keys must be a list of keys; got ${kindOf(value)}`);
  return value.map((entry: unknown, index) => readEntry(entry, index, source));
}

/** How messages name an entry: `Keys[3]`, with its KeyId and first alias when it has them. */
export function entryLabel(entry: unknown, index: number): string {
  const names: string[] = [];
  if (isPlainObject(entry)) {
    const keyId = entry['KeyId'];
    const aliases = entry['Aliases'];
    if (typeof keyId === 'string') names.push(`KeyId ${describe(keyId)}`);
    if (Array.isArray(aliases) && typeof aliases[0] === 'string') names.push(describe(aliases[0]));
  }
  return `Keys[${index}]${names.length === 0 ? '' : ` (${names.join(', ')})`}`;
}

function readEntry(entry: unknown, index: number, source: string): SeedEntry {
  const where = `${source}: ${entryLabel(entry, index)}`;
  const fail = (field: Field | undefined, message: string): never => {
    const separator = /^[[.:]/.test(message) ? '' : ' ';
    throw new InvalidArgumentError(`${where}: ${field === undefined ? '' : `${field}${separator}`}${message}`);
  };
  if (!isPlainObject(entry)) return fail(undefined, `must be a mapping of key fields; got ${kindOf(entry)}`);
  const unknown = Object.keys(entry).filter((k) => !(FIELDS as readonly string[]).includes(k));
  if (unknown.length > 0) {
    const hints = unknown.map((k) => {
      const near = FIELDS.find((f) => f.toLowerCase() === k.toLowerCase());
      return near === undefined ? k : `${k} (did you mean ${near}?)`;
    });
    fail(undefined, `has unknown field${unknown.length > 1 ? 's' : ''} ${hints.join(', ')}; the fields are ${FIELDS.join(', ')}`);
  }
  const get = (field: Field): unknown => entry[field];
  const optionalString = (field: Field): string | undefined => {
    const value = get(field);
    if (value === undefined) return undefined;
    if (typeof value !== 'string') {
      const hint = typeof value === 'number' || typeof value === 'boolean' ? ' (quote it in YAML)' : '';
      fail(field, `must be a string${hint}; got ${field === 'PrivateKeyPem' || field === 'KeyMaterial' ? kindOf(value) : describe(value)}`);
    }
    return value as string;
  };

  const keyId = optionalString('KeyId');
  if (keyId !== undefined && !KEY_ID.test(keyId)) {
    fail('KeyId', `must be a key ID: a lowercase UUID such as 1234abcd-12ab-34cd-56ef-1234567890ab; got ${describe(keyId)}`);
  }
  const region = optionalString('Region');
  if (region !== undefined && !isRegion(region)) fail('Region', `must look like 'us-east-1'; got ${describe(region)}`);
  const accountId = optionalString('AccountId');
  if (accountId !== undefined && !/^\d{12}$/.test(accountId)) fail('AccountId', `must be 12 digits; got ${describe(accountId)}`);

  const spec = optionalString('KeySpec');
  if (spec === undefined) return fail('KeySpec', `is required: one of ${SEEDABLE_KEY_SPECS.join(', ')}`);
  if (spec === 'SM2') fail('KeySpec', 'SM2 is not supported by the simulator (SM2 keys exist only in the China Regions)');
  if (!(SEEDABLE_KEY_SPECS as readonly string[]).includes(spec)) {
    fail('KeySpec', `must be one of ${SEEDABLE_KEY_SPECS.join(', ')}; got ${describe(spec)}`);
  }
  const keySpec = spec as KmsKeySpec;
  const allowed = KEY_SPEC_RULES[keySpec].usages;
  const usage = optionalString('KeyUsage');
  if (usage === undefined) return fail('KeyUsage', `is required: for ${keySpec}, ${allowed.join(' or ')}`);
  if (!(KEY_USAGES as readonly string[]).includes(usage)) {
    fail('KeyUsage', `must be one of ${KEY_USAGES.join(', ')}; got ${describe(usage)}`);
  }
  if (!(allowed as readonly string[]).includes(usage)) {
    fail('KeyUsage', `${usage} is not valid for KeySpec ${keySpec}; it takes ${allowed.join(' or ')}`);
  }

  const description = optionalString('Description');
  if (description !== undefined && description.length > MAX_DESCRIPTION) {
    fail('Description', `must be at most ${MAX_DESCRIPTION} characters; got ${description.length}`);
  }
  const tags = readTags(get('Tags'), (message) => fail('Tags', message));
  const aliases = readAliases(get('Aliases'), (message) => fail('Aliases', message));
  const enabled = get('Enabled');
  if (enabled !== undefined && typeof enabled !== 'boolean') fail('Enabled', `must be true or false; got ${describe(enabled)}`);

  const pem = optionalString('PrivateKeyPem');
  const secret = optionalString('KeyMaterial');
  if (pem !== undefined && secret !== undefined) {
    fail(undefined, 'has both PrivateKeyPem and KeyMaterial; give the one its KeySpec takes');
  }
  if (pem !== undefined) {
    if (!takesPrivateKeyPem(keySpec)) {
      fail('PrivateKeyPem', `is only for asymmetric keys, not ${keySpec} (give KeyMaterial, the base64 of the secret)`);
    }
    material(() => privateKeyMaterial(keySpec, pem), (message) => fail('PrivateKeyPem', message));
  }
  if (secret !== undefined) {
    if (SECRET_LENGTHS[keySpec] === undefined) {
      fail('KeyMaterial', `is only for SYMMETRIC_DEFAULT and HMAC keys, not ${keySpec} (give PrivateKeyPem)`);
    }
    material(() => secretMaterial(keySpec, secret), (message) => fail('KeyMaterial', message));
  }

  return {
    ...(keyId === undefined ? {} : { KeyId: keyId }),
    ...(region === undefined ? {} : { Region: region }),
    ...(accountId === undefined ? {} : { AccountId: accountId }),
    KeySpec: keySpec,
    KeyUsage: usage as KmsKeyUsage,
    ...(description === undefined ? {} : { Description: description }),
    Tags: tags,
    ...(pem === undefined ? {} : { PrivateKeyPem: pem }),
    ...(secret === undefined ? {} : { KeyMaterial: secret }),
    Aliases: aliases,
    ...(enabled === undefined ? {} : { Enabled: enabled as boolean }),
  };
}

function material(read: () => unknown, fail: (message: string) => never): void {
  try {
    read();
  } catch (e) {
    if (e instanceof SeedMaterialError) fail(e.message);
    throw e;
  }
}

/** `[{TagKey, TagValue}]` or `{key: value}`, both as KMS checks TagResource's Tags (§11). */
function readTags(value: unknown, fail: (message: string) => never): KmsTag[] {
  if (value === undefined) return [];
  let tags: KmsTag[];
  if (Array.isArray(value)) {
    tags = value.map((tag: unknown, i) => {
      if (!isPlainObject(tag)) return fail(`[${i}] must be a mapping { TagKey, TagValue }; got ${kindOf(tag)}`);
      const extra = Object.keys(tag).filter((k) => k !== 'TagKey' && k !== 'TagValue');
      if (extra.length > 0) fail(`[${i}] has unknown field ${extra.join(', ')}; a tag has TagKey and TagValue`);
      const { TagKey: key, TagValue: tagValue } = tag;
      if (typeof key !== 'string') fail(`[${i}].TagKey must be a string; got ${describe(key)}`);
      if (typeof tagValue !== 'string') fail(`[${i}].TagValue must be a string (quote it in YAML); got ${describe(tagValue)}`);
      return { TagKey: key as string, TagValue: tagValue as string };
    });
  } else if (isPlainObject(value)) {
    tags = Object.entries(value).map(([key, tagValue]) => {
      if (typeof tagValue !== 'string') fail(`.${key} must be a string (quote it in YAML); got ${describe(tagValue)}`);
      return { TagKey: key, TagValue: tagValue as string };
    });
  } else {
    return fail(`must be a list of { TagKey, TagValue } or a mapping of tag keys to values; got ${kindOf(value)}`);
  }
  for (const { TagKey: key, TagValue: tagValue } of tags) {
    if (key.length < 1 || key.length > 128) fail(`: a TagKey must be 1 to 128 characters; got ${describe(key)}`);
    if (tagValue.length > 256) fail(`.${key}: a TagValue must be at most 256 characters; got ${tagValue.length}`);
  }
  if (tags.length > MAX_TAGS_PER_KEY) fail(`: at most ${MAX_TAGS_PER_KEY} tags on a key; got ${tags.length}`);
  try {
    checkTagsToSet(tags);
  } catch (e) {
    fail(`: ${(e as Error).message}`);
  }
  return tags;
}

function readAliases(value: unknown, fail: (message: string) => never): string[] {
  if (value === undefined) return [];
  if (!Array.isArray(value)) return fail(`must be a list of alias names ('alias/…'); got ${kindOf(value)}`);
  const aliases = value.map((name: unknown, i) => {
    if (typeof name !== 'string') return fail(`[${i}] must be an alias name ('alias/…'); got ${describe(name)}`);
    if (name.length < 1 || name.length > 256) fail(`[${i}] must be 1 to 256 characters; got ${name.length}`);
    try {
      checkAliasName(name);
    } catch (e) {
      const reserved = name.startsWith('alias/aws/');
      fail(`[${i}] ${describe(name)}: ${reserved ? 'alias/aws/ names belong to AWS managed keys' : (e as Error).message}`);
    }
    return name;
  });
  const duplicate = aliases.find((name, i) => aliases.indexOf(name) !== i);
  if (duplicate !== undefined) fail(`lists ${describe(duplicate)} twice`);
  if (aliases.length > MAX_ALIASES_PER_KEY) fail(`: at most ${MAX_ALIASES_PER_KEY} aliases on a key; got ${aliases.length}`);
  return aliases;
}

function isRegion(region: string): boolean {
  try {
    return new ArnScope(region, '111122223333').region === region;
  } catch {
    return false;
  }
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const proto = Object.getPrototypeOf(value) as unknown;
  return proto === Object.prototype || proto === null;
}

/** What a value is, without quoting it (it may be key material). */
function kindOf(value: unknown): string {
  if (value === null || value === undefined) return 'nothing';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'a mapping';
  return `a ${typeof value}`;
}
