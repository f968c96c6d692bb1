import type { KmsCallOptions, KmsKeySpec, KmsKeyUsage, KmsTag } from '../../../ports/kms.port.js';

/**
 * The seed document of the simulator (docs/kms-behaviour.md §17): keys with fixed key IDs and key material, their
 * aliases and tags, created through the simulator's normal write path.
 */

/** Tags as a list of `{ TagKey, TagValue }` (the KMS shape) or as a mapping `{ key: value }`. */
export type SeedTags = readonly KmsTag[] | Readonly<Record<string, string>>;

/** One key of a seed, as a caller writes it (in a document under `Keys:`, or passed to `SimulatedKms.seed`). */
export interface SeedEntryInput {
  /** A lowercase UUID; absent → a fresh one (then the entry is idempotent only through its aliases). */
  readonly KeyId?: string;
  /** Applied only by a simulator of this Region; absent → any. */
  readonly Region?: string;
  /** 12 digits (a string); applied only by a simulator of this account; absent → any. */
  readonly AccountId?: string;
  readonly KeySpec: KmsKeySpec;
  readonly KeyUsage: KmsKeyUsage;
  /** 0–8192 characters; absent → '' for a new key, left as it is for an existing one. */
  readonly Description?: string;
  /** Set on top of the key's tags (never removes any). */
  readonly Tags?: SeedTags;
  /** The private key (PKCS#8, PKCS#1 or SEC1 PEM), asymmetric specs only; absent → generated. */
  readonly PrivateKeyPem?: string;
  /** Base64 of the raw secret, SYMMETRIC_DEFAULT (32 bytes) and HMAC (28/32/48/64 bytes) only; absent → generated. */
  readonly KeyMaterial?: string;
  /** `alias/…` names to point at the key. */
  readonly Aliases?: readonly string[];
  /** false → the key is Disabled; absent → Enabled for a new key, left as it is for an existing one. */
  readonly Enabled?: boolean;
}

/** A checked seed entry: what `parseSeed` returns (tags as a list; aliases and tags always present). */
export interface SeedEntry extends Omit<SeedEntryInput, 'Tags' | 'Aliases'> {
  readonly Tags: readonly KmsTag[];
  readonly Aliases: readonly string[];
}

/** A seed: a document's text (YAML or JSON) or its entries. */
export type SeedInput = string | readonly SeedEntryInput[];

/** The options of `SimulatedKms.seed`. */
export interface SeedCallOptions extends KmsCallOptions {
  /** How messages name the seed (a file name, say); default `seed`. */
  source?: string;
}

export type SeedStatus = 'created' | 'updated' | 'unchanged' | 'skipped';

/** What became of one entry. */
export interface SeedOutcome {
  /** Its position under `Keys`. */
  readonly index: number;
  /** `Keys[3] (KeyId …, alias/…)`: how messages name it. */
  readonly entry: string;
  /**
   * created: a new key; updated: the key existed and its description, state, tags or aliases changed;
   * unchanged: the key existed exactly as seeded; skipped: the entry is for another Region or account.
   */
  readonly status: SeedStatus;
  /** The key's ID (absent only when skipped without a KeyId). */
  readonly keyId?: string;
  /** The key's ARN (absent when skipped). */
  readonly keyArn?: string;
  /** Why it was skipped. */
  readonly reason?: string;
}

/** The result of a seed: every entry in document order, and the same outcomes by status. */
export interface SeedReport {
  readonly entries: readonly SeedOutcome[];
  readonly created: readonly SeedOutcome[];
  readonly updated: readonly SeedOutcome[];
  readonly unchanged: readonly SeedOutcome[];
  readonly skipped: readonly SeedOutcome[];
}
