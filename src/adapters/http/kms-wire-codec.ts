import { isRecord } from '../../domain/validation.js';
import { KMS_MODEL, type PortMethod } from '../kms-model/kms-operations.js';
import type { Members, MemberShape, OperationModel } from '../kms-model/member-shape.js';
import { withoutStack } from './without-stack.js';

/**
 * The AWS KMS JSON 1.1 wire format of every KmsPort operation: which port method serves `TrentService.<Name>`, and
 * the shape of each input and output member, so that blobs (base64 strings on the wire, `Uint8Array` in the port)
 * and timestamps (epoch seconds as JSON numbers on the wire, `Date` in the port) convert both ways, nested ones
 * included. The shapes come from the one description of every operation, src/adapters/kms-model/kms-operations.ts.
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

/** A model member's wire type: what the JSON 1.1 codec needs of it (no constraints; the request reader checks those). */
function wireShape(shape: MemberShape): WireShape {
  switch (shape.type) {
    case 'list':
      return { list: wireShape(shape.member) };
    case 'map':
      return { map: wireShape(shape.value) };
    case 'struct':
      return { struct: wireMembers(shape.members) };
    default:
      return shape.type;
  }
}

function wireMembers(members: Members): WireMembers {
  return Object.fromEntries(Object.entries(members).map(([name, shape]) => [name, wireShape(shape)]));
}

/**
 * The codec is compiled once per shape (a WeakMap from each shape object to its functions), so a request walks
 * precomputed member lists instead of re-reading the shapes: no `Object.entries` of a shape, no dispatch on the
 * shape's kind per value. decodeMembers/encodeMembers/decodeValue/encodeValue are the same compiled functions.
 */
type Decoder = (value: unknown, path: string) => unknown;
type Encoder = (value: unknown, path: string) => unknown;
interface Compiled {
  readonly decode: Decoder;
  readonly encode: Encoder;
}

const compiled = new WeakMap<object, Compiled>();

/** The compiled codec of a members table (a struct), built on first use and kept with the table. */
function membersCodec(members: WireMembers): Compiled {
  let codec = compiled.get(members);
  if (codec !== undefined) return codec;
  const fields: Array<{ readonly name: string; readonly codec: Compiled }> = [];
  codec = {
    decode: (json, path) => {
      if (!isRecord(json)) throw mismatch(path === '' ? 'the request body' : path, 'a JSON object');
      const out: Record<string, unknown> = {};
      for (const { name, codec: member } of fields) {
        const value = Object.hasOwn(json, name) ? json[name] : undefined;
        if (value !== undefined && value !== null) out[name] = member.decode(value, path === '' ? name : `${path}.${name}`);
      }
      return out;
    },
    encode: (value, path) => {
      if (!isRecord(value)) throw new TypeError(`Expected an object at '${path || 'the output'}'`);
      const out: Record<string, unknown> = {};
      for (const { name, codec: member } of fields) {
        const item = value[name];
        if (item !== undefined && item !== null) out[name] = member.encode(item, path === '' ? name : `${path}.${name}`);
      }
      return out;
    },
  };
  compiled.set(members, codec); // before the members: a shape that contained itself would find this one
  for (const [name, shape] of Object.entries(members)) fields.push({ name, codec: shapeCodec(shape) });
  return codec;
}

function shapeCodec(shape: WireShape): Compiled {
  if (typeof shape === 'string') return SCALARS[shape];
  let codec = compiled.get(shape);
  if (codec !== undefined) return codec;
  if ('struct' in shape) codec = membersCodec(shape.struct);
  else if ('list' in shape) codec = listCodec(shapeCodec(shape.list));
  else codec = mapCodec(shapeCodec(shape.map));
  compiled.set(shape, codec);
  return codec;
}

function listCodec(item: Compiled): Compiled {
  return {
    decode: (value, path) => {
      if (!Array.isArray(value)) throw mismatch(path, 'a JSON array');
      const out = new Array<unknown>(value.length);
      for (let i = 0; i < value.length; i++) {
        const element: unknown = value[i];
        if (element === null) throw mismatch(`${path}[${i}]`, 'a value (lists hold no nulls)');
        out[i] = item.decode(element, `${path}[${i}]`);
      }
      return out;
    },
    encode: (value, path) => {
      if (!Array.isArray(value)) throw new TypeError(`Expected an array at '${path}'`);
      const out = new Array<unknown>(value.length);
      for (let i = 0; i < value.length; i++) out[i] = item.encode(value[i], `${path}[${i}]`);
      return out;
    },
  };
}

function mapCodec(entry: Compiled): Compiled {
  // Object.fromEntries defines own data properties: a key such as `__proto__` stays data.
  return {
    decode: (value, path) => {
      if (!isRecord(value)) throw mismatch(path, 'a JSON object');
      return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, entry.decode(v, join(path, k))]));
    },
    encode: (value, path) => {
      if (!isRecord(value)) throw new TypeError(`Expected an object at '${path}'`);
      return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, entry.encode(v, join(path, k))]));
    },
  };
}

const asIs: Encoder = (value) => value;

const SCALARS: Readonly<Record<Exclude<WireShape, object>, Compiled>> = {
  string: {
    decode: (value, path) => {
      if (typeof value !== 'string') throw mismatch(path, 'a string');
      return value;
    },
    encode: asIs,
  },
  boolean: {
    decode: (value, path) => {
      if (typeof value !== 'boolean') throw mismatch(path, 'a boolean');
      return value;
    },
    encode: asIs,
  },
  integer: {
    decode: (value, path) => {
      if (typeof value !== 'number' || !Number.isSafeInteger(value)) throw mismatch(path, 'an integer');
      return value;
    },
    encode: asIs,
  },
  blob: {
    decode: (value, path) => {
      if (typeof value !== 'string' || !isBase64(value)) throw mismatch(path, 'a base64 string');
      return base64ToBytes(value);
    },
    encode: (value, path) => {
      if (!(value instanceof Uint8Array)) throw new TypeError(`Expected a Uint8Array at '${path}'`);
      return Buffer.from(value.buffer, value.byteOffset, value.byteLength).toString('base64');
    },
  },
  timestamp: {
    decode: (value, path) => {
      if (typeof value !== 'number' || !Number.isFinite(value)) throw mismatch(path, 'a JSON number of epoch seconds');
      return epochSecondsToDate(value, path);
    },
    encode: (value, path) => {
      if (!(value instanceof Date) || Number.isNaN(value.getTime())) throw new TypeError(`Expected a valid Date at '${path}'`);
      return value.getTime() / 1000;
    },
  },
};

/**
 * An operation as the endpoint serves it: its shapes, and their codecs compiled once. `decodeInput` is the
 * request's members (decodeMembers of `input`); `encodeOutput` the response body as JSON text (`{}` without output).
 */
export interface ServedOperation extends WireOperation {
  readonly target: string;
  decodeInput(json: unknown): Record<string, unknown>;
  encodeOutput(value: unknown): string;
}

function servedOperation(name: string, method: PortMethod, model: OperationModel): ServedOperation {
  const input = wireMembers(model.input);
  const output = model.output === undefined ? undefined : wireMembers(model.output);
  const inputCodec = membersCodec(input);
  const outputCodec = output === undefined ? undefined : membersCodec(output);
  return {
    name,
    method,
    input,
    output,
    target: `${TARGET_PREFIX}${name}`,
    decodeInput: (json) => inputCodec.decode(json, '') as Record<string, unknown>,
    encodeOutput: (value) => (outputCodec === undefined ? '{}' : JSON.stringify(outputCodec.encode(value, ''))),
  };
}

/** The operations by wire name (`CreateKey`, …), derived from the KMS model (every KmsPort method). */
export const KMS_OPERATIONS: ReadonlyMap<string, ServedOperation> = new Map(
  (Object.keys(KMS_MODEL) as PortMethod[]).map((method) => {
    const name = method.charAt(0).toUpperCase() + method.slice(1);
    return [name, servedOperation(name, method, KMS_MODEL[method] as OperationModel)];
  }),
);

/** The same operations by their whole `X-Amz-Target` value: one lookup per request. */
const BY_TARGET: ReadonlyMap<string, ServedOperation> = new Map([...KMS_OPERATIONS.values()].map((op) => [op.target, op]));

/** The operation an `X-Amz-Target` header names, or undefined. */
export function operationForTarget(target: string | undefined): ServedOperation | undefined {
  return target === undefined ? undefined : BY_TARGET.get(target);
}

/**
 * JSON (as parsed from the wire) → port values. Members absent from the shape are dropped, JSON `null` members are
 * treated as absent (as AWS does); a member of the wrong JSON type throws WireSerializationError naming its path.
 */
export function decodeMembers(members: WireMembers, json: unknown, path = ''): Record<string, unknown> {
  return membersCodec(members).decode(json, path) as Record<string, unknown>;
}

/**
 * Port values → JSON-ready values: blobs become base64, dates epoch seconds; members outside the shape are dropped.
 * A value that does not fit its shape (a bug in the port) throws TypeError.
 */
export function encodeMembers(members: WireMembers, value: unknown, path = ''): Record<string, unknown> {
  return membersCodec(members).encode(value, path) as Record<string, unknown>;
}

export function decodeValue(shape: WireShape, value: unknown, path: string): unknown {
  return shapeCodec(shape).decode(value, path);
}

export function encodeValue(shape: WireShape, value: unknown, path: string): unknown {
  return shapeCodec(shape).encode(value, path);
}

const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}(?:==)?|[A-Za-z0-9+/]{3}=?)?$/;

/** Standard base64 (RFC 4648 §4), padding optional as in AWS's decoder; no whitespace, no URL-safe alphabet. */
export function isBase64(text: string): boolean {
  return BASE64.test(text);
}

/** Valid base64 → a plain Uint8Array of its own: decoded straight into it (no pooled Buffer, no second copy). */
function base64ToBytes(text: string): Uint8Array {
  const bytes = new Uint8Array(Buffer.byteLength(text, 'base64'));
  Buffer.from(bytes.buffer, 0, bytes.byteLength).write(text, 'base64');
  return bytes;
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
  return withoutStack(() => new WireSerializationError(`Expected ${expected} at ${where}`));
}
