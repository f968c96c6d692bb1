import { isRecord } from '../../domain/validation.js';
import { KMS_MODEL, type PortMethod } from '../kms-model/kms-operations.js';
import type { Members, MemberShape, OperationModel } from '../kms-model/member-shape.js';

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

/** The operations by wire name (`CreateKey`, …), derived from the KMS model (every KmsPort method). */
export const KMS_OPERATIONS: ReadonlyMap<string, WireOperation> = new Map(
  (Object.keys(KMS_MODEL) as PortMethod[]).map((method) => {
    const name = method.charAt(0).toUpperCase() + method.slice(1);
    const { input, output } = KMS_MODEL[method] as OperationModel;
    return [name, { name, method, input: wireMembers(input), output: output === undefined ? undefined : wireMembers(output) }];
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
