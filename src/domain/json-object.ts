/**
 * What may go into a JOSE header or a JWT claims set: a plain JSON object whose members are JSON values —
 * strings, finite numbers, booleans, null, arrays and plain objects of those. Anything JSON.stringify would drop,
 * change or refuse silently or late (undefined, functions, symbols, bigint, NaN/Infinity, Dates, Maps, class
 * instances, cycles, symbol keys) is an InvalidArgumentError naming where it is.
 */
import { InvalidArgumentError } from './errors.js';
import { describe } from './validation.js';

/** Deeper nesting is refused (no JOSE header or claim needs it; a recursion limit well below the stack's). */
export const MAX_JSON_DEPTH = 64;

const ALLOWED = 'only JSON values are allowed (string, finite number, boolean, null, array, plain object)';

function isPlainObject(value: object): boolean {
  const prototype = Object.getPrototypeOf(value) as unknown;
  return prototype === Object.prototype || prototype === null;
}

/** `value` itself, checked to be a plain JSON object; `name` is how messages call it (`payload`, `headers`). */
export function checkJsonObject(value: unknown, name: string): Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value) || !isPlainObject(value)) {
    throw new InvalidArgumentError(`${name} must be a plain JSON object; got ${describe(value)}`);
  }
  checkValue(value, name, new Set(), 0);
  return value as Record<string, unknown>;
}

function checkValue(value: unknown, path: string, ancestors: Set<object>, depth: number): void {
  switch (typeof value) {
    case 'string':
    case 'boolean':
      return;
    case 'number':
      if (!Number.isFinite(value)) throw new InvalidArgumentError(`${path} is ${value}: ${ALLOWED}`);
      return;
    case 'object':
      if (value === null) return;
      break;
    default:
      throw new InvalidArgumentError(`${path} is ${describe(value)}: ${ALLOWED}`);
  }
  if (depth >= MAX_JSON_DEPTH) throw new InvalidArgumentError(`${path} is nested deeper than ${MAX_JSON_DEPTH} levels`);
  if (ancestors.has(value)) throw new InvalidArgumentError(`${path} refers back to an enclosing object (a cycle)`);
  if (!Array.isArray(value) && !isPlainObject(value)) {
    throw new InvalidArgumentError(`${path} is an instance of ${value.constructor?.name ?? 'a class'}: ${ALLOWED}`);
  }
  if (Object.getOwnPropertySymbols(value).length > 0) {
    throw new InvalidArgumentError(`${path} has symbol keys: JSON members are named by strings`);
  }
  ancestors.add(value);
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) checkValue(value[i], `${path}[${i}]`, ancestors, depth + 1);
  } else {
    for (const [key, member] of Object.entries(value)) checkValue(member, `${path}.${key}`, ancestors, depth + 1);
  }
  ancestors.delete(value);
}
