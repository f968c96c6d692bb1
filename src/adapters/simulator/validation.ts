import { KmsException } from '../kms-exception.js';

/**
 * Shape validation the way the KMS service does it before looking at any key: every violated model
 * constraint is collected, then reported together as one ValidationException:
 * `1 validation error detected: Value 'x' at 'keySpec' failed to satisfy constraint: Member must …`
 * (`N validation errors detected: …; …` when several fail).
 *
 * Member paths are the model's lowerCamelCase names (`keyId`, `tags.1.member.tagKey`). Sensitive members
 * (`message`) and blobs are reported without their value, as AWS does. A member of the wrong JavaScript
 * type is reported as a violation too (on the wire AWS would answer SerializationException): never a TypeError.
 */

export function validationException(message: string): KmsException {
  return new KmsException('ValidationException', message);
}

export interface LengthRule {
  required?: boolean;
  min?: number;
  max?: number;
  /** A model pattern, reported as `Member must satisfy regular expression pattern: <source>`. */
  pattern?: RegExp;
  /** Do not echo the value (sensitive members). */
  sensitive?: boolean;
}

export interface RangeRule {
  required?: boolean;
  min?: number;
  max?: number;
}

export interface TagInput {
  TagKey: string;
  TagValue: string;
}

/** Reads the members of one request, collecting violations; `done()` throws them. */
export class InputReader {
  readonly #input: Record<string, unknown>;
  readonly #violations: string[] = [];

  constructor(input: unknown) {
    if (input === undefined || input === null) {
      this.#input = {};
    } else if (typeof input === 'object' && !Array.isArray(input)) {
      this.#input = input as Record<string, unknown>;
    } else {
      throw validationException('1 validation error detected: The request must be an object of input members');
    }
  }

  /** A string member. */
  string(member: string, rule: LengthRule = {}): string | undefined {
    const value = this.#input[member];
    const path = memberPath(member);
    if (!this.#present(value, path, rule.required)) return undefined;
    if (typeof value !== 'string') return this.#wrongType(path, 'a string');
    this.#checkLength(path, value, value.length, rule);
    if (rule.pattern !== undefined && !rule.pattern.test(value)) {
      this.#violation(path, value, `Member must satisfy regular expression pattern: ${rule.pattern.source}`, rule.sensitive);
    }
    return value;
  }

  /** A string member that must be one of `values`. */
  enumValue<T extends string>(member: string, values: readonly T[], required = false): T | undefined {
    const value = this.#input[member];
    const path = memberPath(member);
    if (!this.#present(value, path, required)) return undefined;
    if (typeof value !== 'string') return this.#wrongType(path, 'a string');
    if (!(values as readonly string[]).includes(value)) {
      this.#violation(path, value, `Member must satisfy enum value set: [${values.join(', ')}]`);
      return undefined;
    }
    return value as T;
  }

  /** An integer member. */
  integer(member: string, rule: RangeRule = {}): number | undefined {
    const value = this.#input[member];
    const path = memberPath(member);
    if (!this.#present(value, path, rule.required)) return undefined;
    if (typeof value !== 'number' || !Number.isSafeInteger(value)) return this.#wrongType(path, 'an integer');
    if (rule.min !== undefined && value < rule.min) {
      this.#violation(path, String(value), `Member must have value greater than or equal to ${rule.min}`);
    } else if (rule.max !== undefined && value > rule.max) {
      this.#violation(path, String(value), `Member must have value less than or equal to ${rule.max}`);
    }
    return value;
  }

  /** A boolean member. */
  boolean(member: string): boolean | undefined {
    const value = this.#input[member];
    const path = memberPath(member);
    if (!this.#present(value, path, false)) return undefined;
    if (typeof value !== 'boolean') return this.#wrongType(path, 'a boolean');
    return value;
  }

  /** A blob member (`Uint8Array`, which includes `Buffer`). The value is never echoed. */
  blob(member: string, rule: RangeRule = {}): Uint8Array | undefined {
    const value = this.#input[member];
    const path = memberPath(member);
    if (!this.#present(value, path, rule.required)) return undefined;
    if (!(value instanceof Uint8Array)) return this.#wrongType(path, 'a Uint8Array');
    this.#checkLength(path, '', value.length, { ...rule, sensitive: true });
    return value;
  }

  /**
   * A map of strings to strings (`EncryptionContext`): a plain object whose own enumerable values are all
   * strings. Returned as a copy; keys and values are never echoed.
   */
  stringMap(member: string): Record<string, string> | undefined {
    const value = this.#input[member];
    const path = memberPath(member);
    if (!this.#present(value, path, false)) return undefined;
    const prototype: unknown = typeof value === 'object' ? Object.getPrototypeOf(value) : undefined;
    const plain = prototype === Object.prototype || prototype === null;
    if (!plain || !Object.values(value as object).every((v) => typeof v === 'string')) {
      return this.#wrongType(path, 'a map of string keys to string values');
    }
    return { ...(value as Record<string, string>) };
  }

  /** A list of strings (`GrantTokens`, `TagKeys`), each member checked with `memberRule`. */
  stringList(member: string, rule: { required?: boolean; maxItems?: number }, memberRule: LengthRule): string[] | undefined {
    const value = this.#input[member];
    const path = memberPath(member);
    if (!this.#present(value, path, rule.required)) return undefined;
    if (!Array.isArray(value)) return this.#wrongType(path, 'a list');
    if (!value.every((item): item is string => typeof item === 'string')) {
      return this.#wrongType(`${path}.member`, 'a string');
    }
    if (rule.maxItems !== undefined && value.length > rule.maxItems) {
      this.#violation(path, `[${value.join(', ')}]`, `Member must have length less than or equal to ${rule.maxItems}`);
    }
    value.forEach((item, i) => this.#checkLength(`${path}.${i + 1}.member`, item, item.length, memberRule));
    return [...value];
  }

  /** A `Tags` list: TagKey 1–128 and TagValue 0–256 characters, both required. */
  tags(member: string, required = false): TagInput[] | undefined {
    const value = this.#input[member];
    const path = memberPath(member);
    if (!this.#present(value, path, required)) return undefined;
    if (!Array.isArray(value)) return this.#wrongType(path, 'a list');
    const tags: TagInput[] = [];
    value.forEach((item: unknown, i) => {
      const itemPath = `${path}.${i + 1}.member`;
      if (typeof item !== 'object' || item === null || Array.isArray(item)) {
        this.#wrongType(itemPath, 'a Tag object');
        return;
      }
      const { TagKey: key, TagValue: tagValue } = item as Record<string, unknown>;
      const keyOk = this.#tagMember(`${itemPath}.tagKey`, key, 1, 128);
      const valueOk = this.#tagMember(`${itemPath}.tagValue`, tagValue, 0, 256);
      if (keyOk && valueOk) tags.push({ TagKey: key as string, TagValue: tagValue as string });
    });
    return tags;
  }

  /** Throws the collected violations, if any. */
  done(): void {
    const n = this.#violations.length;
    if (n === 0) return;
    const detected = n === 1 ? '1 validation error detected' : `${n} validation errors detected`;
    throw validationException(`${detected}: ${this.#violations.join('; ')}`);
  }

  #tagMember(path: string, value: unknown, min: number, max: number): boolean {
    if (!this.#present(value, path, true)) return false;
    if (typeof value !== 'string') {
      this.#wrongType(path, 'a string');
      return false;
    }
    return this.#checkLength(path, value, value.length, { min, max });
  }

  #present(value: unknown, path: string, required: boolean | undefined): boolean {
    if (value !== undefined && value !== null) return true;
    if (required === true) this.#violations.push(`Value null at '${path}' failed to satisfy constraint: Member must not be null`);
    return false;
  }

  #checkLength(path: string, shown: string, length: number, rule: LengthRule): boolean {
    if (rule.min !== undefined && length < rule.min) {
      this.#violation(path, shown, `Member must have length greater than or equal to ${rule.min}`, rule.sensitive);
      return false;
    }
    if (rule.max !== undefined && length > rule.max) {
      this.#violation(path, shown, `Member must have length less than or equal to ${rule.max}`, rule.sensitive);
      return false;
    }
    return true;
  }

  #wrongType(path: string, type: string): undefined {
    this.#violations.push(`Value at '${path}' failed to satisfy constraint: Member must be ${type}`);
    return undefined;
  }

  #violation(path: string, shown: string, constraint: string, sensitive = false): void {
    const value = sensitive ? 'Value' : `Value '${shown}'`;
    this.#violations.push(`${value} at '${path}' failed to satisfy constraint: ${constraint}`);
  }
}

/** `KeyId` → `keyId`: the model's member names as the service reports them. */
export function memberPath(member: string): string {
  return member.charAt(0).toLowerCase() + member.slice(1);
}
