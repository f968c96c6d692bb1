import { isRecord } from '../../domain/validation.js';
import type { KmsPort } from '../../ports/kms.port.js';

/**
 * The AWS KMS JSON 1.1 wire format of every KmsPort operation: which port method serves `TrentService.<Name>`, and
 * the shape of each input and output member, so that blobs (base64 strings on the wire, `Uint8Array` in the port)
 * and timestamps (epoch seconds as JSON numbers on the wire, `Date` in the port) convert both ways, nested ones
 * included. Member lists follow the KMS API model (kms-2014-11-01, as in @aws-sdk/client-kms 3.11xx), not only the
 * members the port declares: whatever an SDK can send is recognised and type-checked.
 */

export type WireShape =
  | 'string'
  | 'integer'
  | 'boolean'
  | 'blob'
  | 'timestamp'
  | { readonly list: WireShape }
  | { readonly map: WireShape }
  | { readonly struct: WireMembers };

export type WireMembers = Readonly<Record<string, WireShape>>;

export type PortMethod = Exclude<keyof KmsPort, 'region'>;

export interface WireOperation {
  /** The operation name on the wire, e.g. `CreateKey` (target `TrentService.CreateKey`). */
  readonly name: string;
  /** The KmsPort method, e.g. `createKey`. */
  readonly method: PortMethod;
  readonly input: WireMembers;
  /** Undefined for operations without output (`CreateAlias`, `EnableKey`, …). */
  readonly output: WireMembers | undefined;
}

/** Thrown for a request member that does not have the JSON type its shape requires; AWS's SerializationException. */
export class WireSerializationError extends Error {
  override readonly name = 'WireSerializationError';
}

export const TARGET_PREFIX = 'TrentService.';

const strings = { list: 'string' } as const;
const stringMap = { map: 'string' } as const;
const tagList = { list: { struct: { TagKey: 'string', TagValue: 'string' } } } as const;
const recipient = { struct: { KeyEncryptionAlgorithm: 'string', AttestationDocument: 'blob' } } as const;
const keyIdOnly: WireMembers = { KeyId: 'string' };
const aliasTarget: WireMembers = { AliasName: 'string', TargetKeyId: 'string' };
const keyLookup: WireMembers = { KeyId: 'string', GrantTokens: strings };
const paging: WireMembers = { Limit: 'integer', Marker: 'string' };
const pageTail: WireMembers = { NextMarker: 'string', Truncated: 'boolean' };

const keyMetadata = {
  struct: {
    AWSAccountId: 'string',
    KeyId: 'string',
    Arn: 'string',
    CreationDate: 'timestamp',
    Enabled: 'boolean',
    Description: 'string',
    KeyUsage: 'string',
    KeyState: 'string',
    DeletionDate: 'timestamp',
    ValidTo: 'timestamp',
    Origin: 'string',
    CustomKeyStoreId: 'string',
    CloudHsmClusterId: 'string',
    ExpirationModel: 'string',
    KeyManager: 'string',
    CustomerMasterKeySpec: 'string',
    KeySpec: 'string',
    EncryptionAlgorithms: strings,
    SigningAlgorithms: strings,
    KeyAgreementAlgorithms: strings,
    EncapsulationAlgorithms: strings,
    MultiRegion: 'boolean',
    MultiRegionConfiguration: {
      struct: {
        MultiRegionKeyType: 'string',
        PrimaryKey: { struct: { Arn: 'string', Region: 'string' } },
        ReplicaKeys: { list: { struct: { Arn: 'string', Region: 'string' } } },
      },
    },
    PendingDeletionWindowInDays: 'integer',
    MacAlgorithms: strings,
    XksKeyConfiguration: { struct: { Id: 'string' } },
    CurrentKeyMaterialId: 'string',
  },
} as const;

/** Every KmsPort method, keyed by method so that the compiler proves none is missing. */
const SHAPES: { readonly [M in PortMethod]: Pick<WireOperation, 'input' | 'output'> } = {
  createKey: {
    input: {
      Policy: 'string',
      Description: 'string',
      KeyUsage: 'string',
      CustomerMasterKeySpec: 'string',
      KeySpec: 'string',
      Origin: 'string',
      CustomKeyStoreId: 'string',
      BypassPolicyLockoutSafetyCheck: 'boolean',
      Tags: tagList,
      MultiRegion: 'boolean',
      XksKeyId: 'string',
    },
    output: { KeyMetadata: keyMetadata },
  },
  describeKey: { input: keyLookup, output: { KeyMetadata: keyMetadata } },
  listKeys: {
    input: paging,
    output: { Keys: { list: { struct: { KeyId: 'string', KeyArn: 'string' } } }, ...pageTail },
  },
  createAlias: { input: aliasTarget, output: undefined },
  updateAlias: { input: aliasTarget, output: undefined },
  deleteAlias: { input: { AliasName: 'string' }, output: undefined },
  listAliases: {
    input: { KeyId: 'string', ...paging },
    output: {
      Aliases: {
        list: {
          struct: {
            AliasName: 'string',
            AliasArn: 'string',
            TargetKeyId: 'string',
            CreationDate: 'timestamp',
            LastUpdatedDate: 'timestamp',
          },
        },
      },
      ...pageTail,
    },
  },
  getPublicKey: {
    input: keyLookup,
    output: {
      KeyId: 'string',
      PublicKey: 'blob',
      CustomerMasterKeySpec: 'string',
      KeySpec: 'string',
      KeyUsage: 'string',
      EncryptionAlgorithms: strings,
      SigningAlgorithms: strings,
      KeyAgreementAlgorithms: strings,
      EncapsulationAlgorithms: strings,
    },
  },
  tagResource: { input: { KeyId: 'string', Tags: tagList }, output: undefined },
  untagResource: { input: { KeyId: 'string', TagKeys: strings }, output: undefined },
  listResourceTags: { input: { KeyId: 'string', ...paging }, output: { Tags: tagList, ...pageTail } },
  enableKey: { input: keyIdOnly, output: undefined },
  disableKey: { input: keyIdOnly, output: undefined },
  scheduleKeyDeletion: {
    input: { KeyId: 'string', PendingWindowInDays: 'integer' },
    output: { KeyId: 'string', DeletionDate: 'timestamp', KeyState: 'string', PendingWindowInDays: 'integer' },
  },
  cancelKeyDeletion: { input: keyIdOnly, output: { KeyId: 'string' } },
  sign: {
    input: {
      KeyId: 'string',
      Message: 'blob',
      SigningAlgorithm: 'string',
      MessageType: 'string',
      GrantTokens: strings,
      DryRun: 'boolean',
    },
    output: { KeyId: 'string', Signature: 'blob', SigningAlgorithm: 'string' },
  },
  verify: {
    input: {
      KeyId: 'string',
      Message: 'blob',
      Signature: 'blob',
      SigningAlgorithm: 'string',
      MessageType: 'string',
      GrantTokens: strings,
      DryRun: 'boolean',
    },
    output: { KeyId: 'string', SignatureValid: 'boolean', SigningAlgorithm: 'string' },
  },
  generateRandom: {
    input: { NumberOfBytes: 'integer', CustomKeyStoreId: 'string', Recipient: recipient },
    output: { Plaintext: 'blob', CiphertextForRecipient: 'blob' },
  },
  encrypt: {
    input: {
      KeyId: 'string',
      Plaintext: 'blob',
      EncryptionContext: stringMap,
      GrantTokens: strings,
      EncryptionAlgorithm: 'string',
      DryRun: 'boolean',
    },
    output: { CiphertextBlob: 'blob', KeyId: 'string', EncryptionAlgorithm: 'string' },
  },
  decrypt: {
    input: {
      CiphertextBlob: 'blob',
      EncryptionContext: stringMap,
      GrantTokens: strings,
      KeyId: 'string',
      EncryptionAlgorithm: 'string',
      Recipient: recipient,
      DryRun: 'boolean',
      DryRunModifiers: strings,
    },
    output: {
      KeyId: 'string',
      Plaintext: 'blob',
      EncryptionAlgorithm: 'string',
      CiphertextForRecipient: 'blob',
      KeyMaterialId: 'string',
    },
  },
  generateDataKey: {
    input: {
      KeyId: 'string',
      EncryptionContext: stringMap,
      NumberOfBytes: 'integer',
      KeySpec: 'string',
      GrantTokens: strings,
      Recipient: recipient,
      DryRun: 'boolean',
    },
    output: {
      CiphertextBlob: 'blob',
      Plaintext: 'blob',
      KeyId: 'string',
      CiphertextForRecipient: 'blob',
      KeyMaterialId: 'string',
    },
  },
  generateMac: {
    input: { Message: 'blob', KeyId: 'string', MacAlgorithm: 'string', GrantTokens: strings, DryRun: 'boolean' },
    output: { Mac: 'blob', MacAlgorithm: 'string', KeyId: 'string' },
  },
  verifyMac: {
    input: {
      Message: 'blob',
      KeyId: 'string',
      MacAlgorithm: 'string',
      Mac: 'blob',
      GrantTokens: strings,
      DryRun: 'boolean',
    },
    output: { KeyId: 'string', MacValid: 'boolean', MacAlgorithm: 'string' },
  },
};

/** The operations by wire name (`CreateKey`, …). */
export const KMS_OPERATIONS: ReadonlyMap<string, WireOperation> = new Map(
  (Object.keys(SHAPES) as PortMethod[]).map((method) => {
    const name = method.charAt(0).toUpperCase() + method.slice(1);
    return [name, { name, method, ...SHAPES[method] }];
  }),
);

/** The operation an `X-Amz-Target` header names, or undefined. */
export function operationForTarget(target: string | undefined): WireOperation | undefined {
  if (target === undefined || !target.startsWith(TARGET_PREFIX)) return undefined;
  return KMS_OPERATIONS.get(target.slice(TARGET_PREFIX.length));
}

/**
 * JSON (as parsed from the wire) → port values. Members absent from the shape are dropped, JSON `null` members are
 * treated as absent (as AWS does); a member of the wrong JSON type throws WireSerializationError naming its path.
 */
export function decodeMembers(members: WireMembers, json: unknown, path = ''): Record<string, unknown> {
  if (!isRecord(json)) throw mismatch(path === '' ? 'the request body' : path, 'a JSON object');
  const out: Record<string, unknown> = {};
  for (const [name, shape] of Object.entries(members)) {
    const value = Object.hasOwn(json, name) ? json[name] : undefined;
    if (value !== undefined && value !== null) out[name] = decodeValue(shape, value, join(path, name));
  }
  return out;
}

/**
 * Port values → JSON-ready values: blobs become base64, dates epoch seconds; members outside the shape are dropped.
 * A value that does not fit its shape (a bug in the port) throws TypeError.
 */
export function encodeMembers(members: WireMembers, value: unknown, path = ''): Record<string, unknown> {
  if (!isRecord(value)) throw new TypeError(`Expected an object at '${path || 'the output'}'`);
  const out: Record<string, unknown> = {};
  for (const [name, shape] of Object.entries(members)) {
    const member = value[name];
    if (member !== undefined && member !== null) out[name] = encodeValue(shape, member, join(path, name));
  }
  return out;
}

export function decodeValue(shape: WireShape, value: unknown, path: string): unknown {
  switch (shape) {
    case 'string':
      if (typeof value !== 'string') throw mismatch(path, 'a string');
      return value;
    case 'boolean':
      if (typeof value !== 'boolean') throw mismatch(path, 'a boolean');
      return value;
    case 'integer':
      if (typeof value !== 'number' || !Number.isSafeInteger(value)) throw mismatch(path, 'an integer');
      return value;
    case 'blob':
      if (typeof value !== 'string' || !isBase64(value)) throw mismatch(path, 'a base64 string');
      return new Uint8Array(Buffer.from(value, 'base64'));
    case 'timestamp':
      if (typeof value !== 'number' || !Number.isFinite(value)) throw mismatch(path, 'a JSON number of epoch seconds');
      return epochSecondsToDate(value, path);
  }
  if ('list' in shape) {
    if (!Array.isArray(value)) throw mismatch(path, 'a JSON array');
    return value.map((item: unknown, i) => {
      if (item === null) throw mismatch(`${path}[${i}]`, 'a value (lists hold no nulls)');
      return decodeValue(shape.list, item, `${path}[${i}]`);
    });
  }
  if ('map' in shape) {
    if (!isRecord(value)) throw mismatch(path, 'a JSON object');
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, decodeValue(shape.map, v, join(path, k))]));
  }
  return decodeMembers(shape.struct, value, path);
}

export function encodeValue(shape: WireShape, value: unknown, path: string): unknown {
  switch (shape) {
    case 'blob':
      if (!(value instanceof Uint8Array)) throw new TypeError(`Expected a Uint8Array at '${path}'`);
      return Buffer.from(value.buffer, value.byteOffset, value.byteLength).toString('base64');
    case 'timestamp':
      if (!(value instanceof Date) || Number.isNaN(value.getTime())) {
        throw new TypeError(`Expected a valid Date at '${path}'`);
      }
      return value.getTime() / 1000;
    case 'string':
    case 'boolean':
    case 'integer':
      return value;
  }
  if ('list' in shape) {
    if (!Array.isArray(value)) throw new TypeError(`Expected an array at '${path}'`);
    return value.map((item: unknown, i) => encodeValue(shape.list, item, `${path}[${i}]`));
  }
  if ('map' in shape) {
    if (!isRecord(value)) throw new TypeError(`Expected an object at '${path}'`);
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, encodeValue(shape.map, v, join(path, k))]));
  }
  return encodeMembers(shape.struct, value, path);
}

/** Standard base64 (RFC 4648 §4), padding optional as in AWS's decoder; no whitespace, no URL-safe alphabet. */
export function isBase64(text: string): boolean {
  return /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}(?:==)?|[A-Za-z0-9+/]{3}=?)?$/.test(text);
}

function epochSecondsToDate(seconds: number, path: string): Date {
  const date = new Date(Math.round(seconds * 1000));
  if (Number.isNaN(date.getTime())) throw mismatch(path, 'epoch seconds within the range of a date');
  return date;
}

function join(path: string, name: string): string {
  return path === '' ? name : `${path}.${name}`;
}

function mismatch(path: string, expected: string): WireSerializationError {
  const where = path === 'the request body' ? path : `'${path}'`;
  return new WireSerializationError(`Expected ${expected} at ${where}`);
}
