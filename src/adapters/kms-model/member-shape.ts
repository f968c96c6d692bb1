/**
 * How the KMS model describes a member of a request or response: its wire type and, for inputs, the constraints
 * the service checks before it looks at any key (required, enum values, lengths, ranges, a pattern). One
 * description per member serves both the wire codec (JSON 1.1 ⇄ port values) and the request reader (validation
 * with the service's messages); the TypeScript type of a read request is derived from it.
 */

export interface StringRule {
  readonly required?: true;
  readonly min?: number;
  readonly max?: number;
  /** A model pattern, reported as `Member must satisfy regular expression pattern: <source>`. */
  readonly pattern?: RegExp;
  /** The service's enum value set, in the order its validation messages list it. */
  readonly enum?: readonly string[];
  /** A secret (a password, a secret access key): its value is never echoed in a validation message. */
  readonly sensitive?: true;
}
export interface NumberRule {
  readonly required?: true;
  readonly min?: number;
  readonly max?: number;
}
export interface PresenceRule {
  readonly required?: true;
}
export interface ListRule {
  readonly required?: true;
  readonly maxItems?: number;
}

export type StringShape = { readonly type: 'string' } & StringRule;
export type IntegerShape = { readonly type: 'integer' } & NumberRule;
export type BooleanShape = { readonly type: 'boolean' } & PresenceRule;
/** Lengths count bytes; a blob's value is never echoed in a message. */
export type BlobShape = { readonly type: 'blob' } & NumberRule;
export type TimestampShape = { readonly type: 'timestamp' } & PresenceRule;
export type ListShape = { readonly type: 'list'; readonly member: MemberShape } & ListRule;
/** String keys to string values (EncryptionContext). */
export type MapShape = { readonly type: 'map'; readonly value: StringShape } & PresenceRule;
export type StructShape = {
  readonly type: 'struct';
  /** The structure's model name, used in messages (`Member must be a Tag object`). */
  readonly name: string;
  readonly members: Members;
} & PresenceRule;

export type MemberShape =
  | StringShape
  | IntegerShape
  | BooleanShape
  | BlobShape
  | TimestampShape
  | ListShape
  | MapShape
  | StructShape;

/** Members in the order the service checks them (for inputs) or writes them (for outputs). */
export type Members = { readonly [name: string]: MemberShape };

export interface OperationModel {
  readonly input: Members;
  /** Undefined for operations without output (`CreateAlias`, `EnableKey`, …). */
  readonly output: Members | undefined;
}

// ---- builders: literal types are kept, so that request types can be derived --------------------------------

export const string = <const R extends StringRule = {}>(rule?: R): { readonly type: 'string' } & R =>
  ({ type: 'string', ...rule }) as { readonly type: 'string' } & R;
export const integer = <const R extends NumberRule = {}>(rule?: R): { readonly type: 'integer' } & R =>
  ({ type: 'integer', ...rule }) as { readonly type: 'integer' } & R;
export const boolean = <const R extends PresenceRule = {}>(rule?: R): { readonly type: 'boolean' } & R =>
  ({ type: 'boolean', ...rule }) as { readonly type: 'boolean' } & R;
export const blob = <const R extends NumberRule = {}>(rule?: R): { readonly type: 'blob' } & R =>
  ({ type: 'blob', ...rule }) as { readonly type: 'blob' } & R;
export const timestamp = (): { readonly type: 'timestamp' } => ({ type: 'timestamp' });
export const list = <const M extends MemberShape, const R extends ListRule = {}>(
  member: M,
  rule?: R,
): { readonly type: 'list'; readonly member: M } & R => ({ type: 'list', member, ...rule }) as { readonly type: 'list'; readonly member: M } & R;
export const stringMap = (): { readonly type: 'map'; readonly value: { readonly type: 'string' } } => ({
  type: 'map',
  value: { type: 'string' },
});
export const struct = <const M extends Members, const R extends PresenceRule = {}>(
  name: string,
  members: M,
  rule?: R,
): { readonly type: 'struct'; readonly name: string; readonly members: M } & R =>
  ({ type: 'struct', name, members, ...rule }) as { readonly type: 'struct'; readonly name: string; readonly members: M } & R;

// ---- the TypeScript types a model describes -----------------------------------------------------------------

/** The port value of one member. */
export type ValueOf<S> = S extends { readonly type: 'string'; readonly enum: readonly (infer E)[] }
  ? E
  : S extends { readonly type: 'string' }
    ? string
    : S extends { readonly type: 'integer' }
      ? number
      : S extends { readonly type: 'boolean' }
        ? boolean
        : S extends { readonly type: 'blob' }
          ? Uint8Array
          : S extends { readonly type: 'timestamp' }
            ? Date
            : S extends { readonly type: 'list'; readonly member: infer M }
              ? ValueOf<M>[]
              : S extends { readonly type: 'map' }
                ? Record<string, string>
                : S extends { readonly type: 'struct'; readonly members: infer M }
                  ? ValuesOf<M>
                  : never;

type Simplify<T> = { [K in keyof T]: T[K] } & {};

/** The port object of a member list: required members present, the others optional (absent, never undefined). */
export type ValuesOf<M> = Simplify<
  { -readonly [K in keyof M as M[K] extends { readonly required: true } ? K : never]: ValueOf<M[K]> } & {
    -readonly [K in keyof M as M[K] extends { readonly required: true } ? never : K]?: ValueOf<M[K]>;
  }
>;
