/**
 * The Python original's algorithm (swarmauri_keyprovider_aws_kms 0.11.0.dev2, AwsKmsKeyProvider.py), re-implemented
 * over a KmsPort for the benchmark's "original" baseline: the same KMS calls with the same parameters in the same
 * order, strictly sequential, no caching (/work/shared/reference/swarmauri-contract.md §3). Not a provider anyone
 * should use: it exists to be counted and timed.
 *
 * - find alias (`_find_alias`): pages ListAliases with **no parameters** — so the service's default page size
 *   (50 in AWS and the simulator), every alias of the account — and stops at the first page holding the exact
 *   name with a TargetKeyId (the Python returns from inside the paginator loop). Missing → KeyError.
 * - ListResourceTags and ListAliases are followed page by page (Marker while Truncated), like boto3's paginators.
 * - create_key models the code at HEAD: CreateKey → create-or-update `/v1` → create-or-update latest →
 *   GetPublicKey, then `KeyUse.encrypt` raises AttributeError (defect B1) before DescribeKey; `createKey` throws
 *   OriginalDefectError there. The other methods follow §3's sequences, observed with B1's enum names patched
 *   (at HEAD get_key and rotate_key raise the same AttributeError, rotate_key before its CreateKey).
 */
import { createHash, createPublicKey } from 'node:crypto';
import type { AliasListEntry, CreateKeyRequest, KmsKeySpec, KmsPort } from '../src/index.js';

/** The error the original raises at HEAD where defect B1 stops it (`AttributeError: encrypt`). */
export class OriginalDefectError extends Error {
  override readonly name = 'OriginalDefectError';
}

/** Python's KeyError, raised by `_find_alias`. */
class PyKeyError extends Error {
  override readonly name = 'KeyError';
}

export type OriginalAlg = 'AES256_GCM' | 'RSA_OAEP_SHA256' | 'RSA_PSS_SHA256' | 'ECDSA_P256_SHA256';

export interface OriginalKeySpec {
  klass: 'sym' | 'asym' | 'opaque';
  alg: OriginalAlg;
  sizeBits?: number;
  label?: string;
}

/** The original's KeyRef (only what the benchmark looks at). */
export interface OriginalKeyRef {
  kid: string;
  version: number;
  uses: readonly string[];
  public?: string;
  tags: Record<string, string | undefined>;
  fingerprint: string;
}

export type OriginalJwk = Record<string, string>;

const UNSUPPORTED_PUBLIC_KEY = ['UnsupportedOperationException', 'NotFoundException', 'InvalidArnException', 'IncorrectKeySpecException'];
const OCT_STUB = ['UnsupportedOperationException', 'IncorrectKeySpecException'];

function errorCode(error: unknown): string | undefined {
  return typeof error === 'object' && error !== null && typeof (error as { name?: unknown }).name === 'string'
    ? (error as { name: string }).name
    : undefined;
}

/** Python's `int(text)` for the decimal strings of `saur:version` (raises on anything else). */
function pyInt(text: string): number {
  if (!/^\s*[+-]?\d+\s*$/.test(text)) throw new Error(`ValueError: invalid literal for int(): '${text}'`);
  return Number.parseInt(text, 10);
}

export class OriginalProvider {
  readonly #kms: KmsPort;
  readonly #prefix: string;

  constructor(kms: KmsPort, aliasPrefix = 'swarmauri') {
    this.#kms = kms;
    this.#prefix = aliasPrefix.replace(/^\/+|\/+$/g, '');
  }

  #aliasLatest(kid: string): string {
    return `alias/${this.#prefix}/${kid}`;
  }

  #aliasVersion(kid: string, version: number): string {
    return `alias/${this.#prefix}/${kid}/v${version}`;
  }

  /** `paginator.paginate()` over ListAliases with no parameters. */
  async *#allAliases(): AsyncGenerator<AliasListEntry> {
    let marker: string | undefined;
    do {
      const page = await this.#kms.listAliases(marker === undefined ? {} : { Marker: marker });
      yield* page.Aliases ?? [];
      marker = page.Truncated ? page.NextMarker : undefined;
    } while (marker !== undefined);
  }

  /** `_find_alias`: the first listed entry with that name and a target; stops paging there. */
  async #findAlias(aliasName: string): Promise<AliasListEntry & { TargetKeyId: string }> {
    for await (const alias of this.#allAliases()) {
      if (alias.AliasName === aliasName && alias.TargetKeyId !== undefined) {
        return alias as AliasListEntry & { TargetKeyId: string };
      }
    }
    throw new PyKeyError(`Alias not found or no target: ${aliasName}`);
  }

  /** `_get_tags`: every page of ListResourceTags. */
  async #getTags(keyId: string): Promise<Record<string, string>> {
    const out: Record<string, string> = {};
    let marker: string | undefined;
    do {
      const page = await this.#kms.listResourceTags(marker === undefined ? { KeyId: keyId } : { KeyId: keyId, Marker: marker });
      for (const tag of page.Tags ?? []) out[tag.TagKey] = tag.TagValue;
      marker = page.Truncated ? page.NextMarker : undefined;
    } while (marker !== undefined);
    return out;
  }

  /** `_create_or_update_alias`: CreateAlias, UpdateAlias on AlreadyExistsException. */
  async #createOrUpdateAlias(aliasName: string, targetKeyId: string): Promise<void> {
    try {
      await this.#kms.createAlias({ AliasName: aliasName, TargetKeyId: targetKeyId });
    } catch (error) {
      if (errorCode(error) !== 'AlreadyExistsException') throw error;
      await this.#kms.updateAlias({ AliasName: aliasName, TargetKeyId: targetKeyId });
    }
  }

  /** `_kms_spec_for_alg`. */
  #kmsSpec(spec: OriginalKeySpec): { KeySpec: KmsKeySpec; KeyUsage: 'ENCRYPT_DECRYPT' | 'SIGN_VERIFY' } {
    if (spec.klass === 'sym') {
      if (spec.alg !== 'AES256_GCM') throw new Error(`ValueError: Unsupported symmetric alg for AWS KMS: ${spec.alg}`);
      return { KeySpec: 'SYMMETRIC_DEFAULT', KeyUsage: 'ENCRYPT_DECRYPT' };
    }
    if (spec.alg === 'RSA_OAEP_SHA256' || spec.alg === 'RSA_PSS_SHA256') {
      const bits = spec.sizeBits || 3072;
      if (![2048, 3072, 4096].includes(bits)) throw new Error('ValueError: AWS KMS RSA supports 2048/3072/4096 bit sizes');
      return { KeySpec: `RSA_${bits}` as KmsKeySpec, KeyUsage: spec.alg === 'RSA_PSS_SHA256' ? 'SIGN_VERIFY' : 'ENCRYPT_DECRYPT' };
    }
    if (spec.alg === 'ECDSA_P256_SHA256') return { KeySpec: 'ECC_NIST_P256', KeyUsage: 'SIGN_VERIFY' };
    throw new Error(`ValueError: Unsupported alg for AWS KMS: KeyAlg.${spec.alg}`);
  }

  #createKeyRequest(spec: OriginalKeySpec, kid: string, version: number): CreateKeyRequest {
    const kmsSpec = this.#kmsSpec(spec);
    const tags = [
      { TagKey: 'saur:kid', TagValue: kid },
      { TagKey: 'saur:version', TagValue: String(version) },
      { TagKey: 'saur:alg', TagValue: spec.alg },
    ];
    if (spec.label) tags.push({ TagKey: 'saur:label', TagValue: spec.label });
    return { KeyUsage: kmsSpec.KeyUsage, KeySpec: kmsSpec.KeySpec, Tags: tags };
  }

  /** `_keyref_from_key_id`: GetPublicKey, then DescribeKey (`atHead`: B1's AttributeError between the two). */
  async #keyRef(kid: string, version: number, keyId: string, tags: Record<string, string>, atHead: boolean): Promise<OriginalKeyRef> {
    let pem: string | undefined;
    try {
      const der = (await this.#kms.getPublicKey({ KeyId: keyId })).PublicKey;
      if (der && der.length > 0) {
        pem = createPublicKey({ key: Buffer.from(der), format: 'der', type: 'spki' }).export({ type: 'spki', format: 'pem' }) as string;
      }
    } catch (error) {
      if (!UNSUPPORTED_PUBLIC_KEY.includes(errorCode(error) ?? '')) throw error;
    }
    if (atHead) throw new OriginalDefectError('AttributeError: encrypt (defect B1: KeyUse.encrypt does not exist)');
    let uses = ['encrypt', 'decrypt'];
    try {
      const md = (await this.#kms.describeKey({ KeyId: keyId })).KeyMetadata;
      if (md.KeyUsage === 'SIGN_VERIFY') uses = ['sign', 'verify'];
    } catch {
      // every DescribeKey error leaves the default uses
    }
    const fingerprint = createHash('sha256').update(pem ?? kid, 'utf8').digest('hex');
    return {
      kid,
      version,
      uses,
      ...(pem === undefined ? {} : { public: pem }),
      tags: { alg: tags['saur:alg'], 'kms:key_id': keyId, 'kms:region': this.#kms.region, label: tags['saur:label'] },
      fingerprint,
    };
  }

  /** create_key at HEAD: four KMS calls, then OriginalDefectError (B1). */
  async createKey(spec: OriginalKeySpec): Promise<OriginalKeyRef> {
    const kid = createHash('sha256').update(globalThis.crypto.getRandomValues(new Uint8Array(16))).digest('hex').slice(0, 16);
    const request = this.#createKeyRequest(spec, kid, 1);
    const keyId = (await this.#kms.createKey(request)).KeyMetadata.KeyId;
    await this.#createOrUpdateAlias(this.#aliasVersion(kid, 1), keyId);
    await this.#createOrUpdateAlias(this.#aliasLatest(kid), keyId);
    const tags = Object.fromEntries((request.Tags ?? []).map((t) => [t.TagKey, t.TagValue]));
    return this.#keyRef(kid, 1, keyId, tags, true);
  }

  /** rotate_key (no overrides): the size is not inherited (B4), N = max(list_versions) + 1. */
  async rotateKey(kid: string): Promise<OriginalKeyRef> {
    let current: AliasListEntry & { TargetKeyId: string };
    try {
      current = await this.#findAlias(this.#aliasLatest(kid));
    } catch (error) {
      if (error instanceof PyKeyError) throw new PyKeyError(`Unknown kid: ${kid}`);
      throw error;
    }
    const currentTags = await this.#getTags(current.TargetKeyId);
    const alg = currentTags['saur:alg'] as OriginalAlg | undefined;
    if (!alg) throw new Error("RuntimeError: Missing 'saur:alg' tag on current KMS key");
    const label = currentTags['saur:label'];
    const spec: OriginalKeySpec = { klass: alg === 'AES256_GCM' ? 'sym' : 'asym', alg, ...(label ? { label } : {}) };
    let next: number;
    try {
      const versions = await this.listVersions(kid);
      next = versions.length > 0 ? Math.max(...versions) + 1 : 2;
    } catch {
      next = pyInt(currentTags['saur:version'] ?? '1') + 1;
    }
    const request = this.#createKeyRequest(spec, kid, next);
    const newKeyId = (await this.#kms.createKey(request)).KeyMetadata.KeyId;
    await this.#createOrUpdateAlias(this.#aliasVersion(kid, next), newKeyId);
    await this.#createOrUpdateAlias(this.#aliasLatest(kid), newKeyId);
    const tags = Object.fromEntries((request.Tags ?? []).map((t) => [t.TagKey, t.TagValue]));
    return this.#keyRef(kid, next, newKeyId, tags, false);
  }

  /** destroy_key: every error → false; ScheduleKeyDeletion with the fixed 7-day window. */
  async destroyKey(kid: string, version?: number): Promise<boolean> {
    try {
      const versions = version === undefined ? await this.listVersions(kid) : [version];
      for (const v of versions) {
        const alias = await this.#findAlias(this.#aliasVersion(kid, v));
        await this.#kms.scheduleKeyDeletion({ KeyId: alias.TargetKeyId, PendingWindowInDays: 7 });
      }
      return true;
    } catch {
      return false;
    }
  }

  /** get_key: the version reported is `saur:version`, whatever was asked (B7). */
  async getKey(kid: string, version?: number): Promise<OriginalKeyRef> {
    const alias = await this.#findAlias(version ? this.#aliasVersion(kid, version) : this.#aliasLatest(kid));
    const tags = await this.#getTags(alias.TargetKeyId);
    const ver = pyInt(tags['saur:version'] || String(version || 1));
    return this.#keyRef(kid, ver, alias.TargetKeyId, tags, false);
  }

  /** list_versions: one full listing, then (no `/vN` at all) a find of the latest alias. */
  async listVersions(kid: string): Promise<number[]> {
    const prefix = `alias/${this.#prefix}/${kid}/v`;
    const out: number[] = [];
    for await (const alias of this.#allAliases()) {
      const name = alias.AliasName;
      if (!name || !name.startsWith(prefix)) continue;
      const tail = name.slice(prefix.length);
      if (/^\d+$/.test(tail)) out.push(Number.parseInt(tail, 10));
    }
    if (out.length === 0) {
      try {
        await this.#findAlias(this.#aliasLatest(kid));
        out.push(1);
      } catch (error) {
        if (!(error instanceof PyKeyError)) throw error;
      }
    }
    return out.sort((a, b) => a - b);
  }

  /** get_public_jwk: find alias → ListResourceTags → GetPublicKey; symmetric → the `oct` stub (B10). */
  async getPublicJwk(kid: string, version?: number): Promise<OriginalJwk> {
    const alias = await this.#findAlias(version ? this.#aliasVersion(kid, version) : this.#aliasLatest(kid));
    const tags = await this.#getTags(alias.TargetKeyId);
    const jwkKid = `${kid}.${pyInt(tags['saur:version'] || String(version || 1))}`;
    try {
      const der = (await this.#kms.getPublicKey({ KeyId: alias.TargetKeyId })).PublicKey;
      if (!der || der.length === 0) return { kty: 'oct', alg: 'A256GCM', kid: jwkKid };
      return publicJwkFromDer(der, jwkKid);
    } catch (error) {
      if (OCT_STUB.includes(errorCode(error) ?? '')) return { kty: 'oct', alg: 'A256GCM', kid: jwkKid };
      throw error;
    }
  }

  /** jwks: one listing; per latest alias under the prefix, ListResourceTags then get_public_jwk; errors drop the kid. */
  async jwks(prefixKids?: string): Promise<{ keys: OriginalJwk[] }> {
    const keys: OriginalJwk[] = [];
    const base = `alias/${this.#prefix}/`;
    const seen = new Set<string>();
    for await (const alias of this.#allAliases()) {
      const name = alias.AliasName ?? '';
      if (!name.startsWith(base)) continue;
      const kid = name.slice(base.length);
      if (kid.includes('/v')) continue;
      if (prefixKids && !kid.startsWith(prefixKids)) continue;
      if (seen.has(kid)) continue;
      seen.add(kid);
      try {
        if (alias.TargetKeyId === undefined) throw new PyKeyError('TargetKeyId');
        const tags = await this.#getTags(alias.TargetKeyId);
        keys.push(await this.getPublicJwk(kid, pyInt(tags['saur:version'] ?? '1')));
      } catch {
        continue;
      }
    }
    return { keys };
  }
}

/** `_public_jwk_from_der`: RSA `{kty,n,e,kid}`, P-256 `{kty,crv,x,y,kid}`, anything else a ValueError. */
function publicJwkFromDer(der: Uint8Array, kid: string): OriginalJwk {
  const key = createPublicKey({ key: Buffer.from(der), format: 'der', type: 'spki' });
  const jwk = key.export({ format: 'jwk' });
  if (key.asymmetricKeyType === 'rsa' && jwk.n && jwk.e) {
    return { kty: 'RSA', n: jwk.n, e: jwk.e, kid };
  }
  if (key.asymmetricKeyType === 'ec' && jwk.crv === 'P-256' && jwk.x && jwk.y) {
    return { kty: 'EC', crv: 'P-256', x: jwk.x, y: jwk.y, kid };
  }
  throw new Error('ValueError: Unsupported public key type returned by KMS');
}
