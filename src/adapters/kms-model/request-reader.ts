/**
 * The request reader: a request's members checked against the KMS model the way the service checks them before it
 * looks at any key. Every violated constraint is collected, then reported together as one ValidationException:
 * `1 validation error detected: Value 'x' at 'keySpec' failed to satisfy constraint: Member must …`
 * (`N validation errors detected: …; …` when several fail). See docs/kms-behaviour.md §3.
 *
 * Member paths are the model's lowerCamelCase names (`keyId`, `tags.1.member.tagKey`). Blobs are reported without
 * their value, as AWS does. A member of the wrong JavaScript type is reported as a violation too (on the wire AWS
 * would answer SerializationException): never a TypeError. The result holds copies (blobs, lists, maps), so a
 * caller reusing its buffers while a call is in flight changes nothing.
 */
import { KmsException } from '../kms-exception.js';
import { KMS_MODEL, type KmsModel, type PortMethod } from './kms-operations.js';
import type { ListShape, MapShape, Members, MemberShape, StringShape, ValuesOf } from './member-shape.js';

/** The checked request of an operation, typed from the model. */
export type RequestOf<M extends PortMethod> = ValuesOf<KmsModel[M]['input']>;

function validationException(message: string): KmsException {
  return new KmsException('ValidationException', message);
}

/** Reads and checks `input` as a request of `operation`; throws one ValidationException naming every violation. */
export function readRequest<M extends PortMethod>(operation: M, input: unknown): RequestOf<M> {
  if (input !== undefined && input !== null && (typeof input !== 'object' || Array.isArray(input))) {
    throw validationException('1 validation error detected: The request must be an object of input members');
  }
  const violations: string[] = [];
  const request = readMembers(KMS_MODEL[operation].input, (input ?? {}) as Record<string, unknown>, '', violations);
  const n = violations.length;
  if (n > 0) {
    const detected = n === 1 ? '1 validation error detected' : `${n} validation errors detected`;
    throw validationException(`${detected}: ${violations.join('; ')}`);
  }
  return request as RequestOf<M>;
}

/** `KeyId` → `keyId`: the model's member names as the service reports them. */
export function memberPath(member: string): string {
  return member.charAt(0).toLowerCase() + member.slice(1);
}

function readMembers(members: Members, input: Record<string, unknown>, prefix: string, out: string[]) {
  const values: Record<string, unknown> = {};
  for (const [name, shape] of Object.entries(members)) {
    const path = prefix === '' ? memberPath(name) : `${prefix}.${memberPath(name)}`;
    const value = readValue(shape, input[name], path, out);
    if (value !== undefined) values[name] = value;
  }
  return values;
}

function readValue(shape: MemberShape, value: unknown, path: string, out: string[]): unknown {
  if (value === undefined || value === null) {
    if (shape.required === true) out.push(`Value null at '${path}' failed to satisfy constraint: Member must not be null`);
    return undefined;
  }
  switch (shape.type) {
    case 'string':
      if (typeof value !== 'string') return wrongType(out, path, shape);
      return readString(shape, value, path, out);
    case 'integer':
      if (typeof value !== 'number' || !Number.isSafeInteger(value)) return wrongType(out, path, shape);
      if (shape.min !== undefined && value < shape.min) {
        violation(out, path, String(value), `Member must have value greater than or equal to ${shape.min}`);
      } else if (shape.max !== undefined && value > shape.max) {
        violation(out, path, String(value), `Member must have value less than or equal to ${shape.max}`);
      }
      return value;
    case 'boolean':
      return typeof value === 'boolean' ? value : wrongType(out, path, shape);
    case 'blob':
      if (!(value instanceof Uint8Array)) return wrongType(out, path, shape);
      checkLength(out, path, undefined, value.length, shape);
      return Uint8Array.from(value);
    case 'timestamp':
      return value instanceof Date && !Number.isNaN(value.getTime()) ? new Date(value.getTime()) : wrongType(out, path, shape);
    case 'map':
      return readStringMap(shape, value, path, out);
    case 'struct':
      if (typeof value !== 'object' || Array.isArray(value)) return wrongType(out, path, shape);
      return readMembers(shape.members, value as Record<string, unknown>, path, out);
    case 'list':
      return readList(shape, value, path, out);
  }
}

function readString(shape: StringShape, value: string, path: string, out: string[]): string | undefined {
  if (shape.enum !== undefined) {
    if (shape.enum.includes(value)) return value;
    violation(out, path, value, `Member must satisfy enum value set: [${shape.enum.join(', ')}]`);
    return undefined;
  }
  const shown = shape.sensitive === true ? undefined : value;
  checkLength(out, path, shown, value.length, shape);
  if (shape.pattern !== undefined && !shape.pattern.test(value)) {
    violation(out, path, shown, `Member must satisfy regular expression pattern: ${shape.pattern.source}`);
  }
  return value;
}

/** A plain object whose own enumerable values are all strings; keys and values are never echoed. */
function readStringMap(shape: MapShape, value: unknown, path: string, out: string[]): Record<string, string> | undefined {
  const prototype: unknown = typeof value === 'object' ? Object.getPrototypeOf(value) : undefined;
  const plain = prototype === Object.prototype || prototype === null;
  if (!plain || !Object.values(value as object).every((v) => typeof v === 'string')) {
    return wrongType(out, path, shape);
  }
  return { ...(value as Record<string, string>) };
}

/** Items are `<path>.<n>.member`; a list of scalars holding a value of the wrong type is one violation. */
function readList(shape: ListShape, value: unknown, path: string, out: string[]): unknown[] | undefined {
  const { member, maxItems } = shape;
  if (!Array.isArray(value)) return wrongType(out, path, shape);
  if (member.type === 'string' && !value.every((item) => typeof item === 'string')) {
    return wrongType(out, `${path}.member`, member);
  }
  if (maxItems !== undefined && value.length > maxItems) {
    violation(out, path, `[${value.join(', ')}]`, `Member must have length less than or equal to ${maxItems}`);
  }
  return value.map((item: unknown, i) => {
    const itemPath = `${path}.${i + 1}.member`;
    // Lists hold no nulls: an absent item is one of the wrong type, not a missing member.
    return item === undefined || item === null ? wrongType(out, itemPath, member) : readValue(member, item, itemPath, out);
  });
}

function typeName(shape: MemberShape): string {
  switch (shape.type) {
    case 'string':
      return 'a string';
    case 'integer':
      return 'an integer';
    case 'boolean':
      return 'a boolean';
    case 'blob':
      return 'a Uint8Array';
    case 'timestamp':
      return 'a Date';
    case 'map':
      return 'a map of string keys to string values';
    case 'struct':
      return `a ${shape.name} object`;
    case 'list':
      return 'a list';
  }
}

/** `shown` undefined: the value is not echoed (blobs). */
function checkLength(
  out: string[],
  path: string,
  shown: string | undefined,
  length: number,
  rule: { min?: number; max?: number },
): void {
  if (rule.min !== undefined && length < rule.min) {
    violation(out, path, shown, `Member must have length greater than or equal to ${rule.min}`);
  } else if (rule.max !== undefined && length > rule.max) {
    violation(out, path, shown, `Member must have length less than or equal to ${rule.max}`);
  }
}

function wrongType(out: string[], path: string, shape: MemberShape): undefined {
  out.push(`Value at '${path}' failed to satisfy constraint: Member must be ${typeName(shape)}`);
  return undefined;
}

function violation(out: string[], path: string, shown: string | undefined, constraint: string): void {
  out.push(`${shown === undefined ? 'Value' : `Value '${shown}'`} at '${path}' failed to satisfy constraint: ${constraint}`);
}
