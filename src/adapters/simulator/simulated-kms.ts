import { Crypto as PeculiarCrypto } from '@peculiar/webcrypto';
import type {
  AliasListEntry,
  CancelKeyDeletionResponse,
  CreateAliasRequest,
  CreateKeyRequest,
  CreateKeyResponse,
  DecryptRequest,
  DecryptResponse,
  DeleteAliasRequest,
  DescribeKeyRequest,
  DescribeKeyResponse,
  EncryptRequest,
  EncryptResponse,
  GenerateDataKeyRequest,
  GenerateDataKeyResponse,
  GenerateMacRequest,
  GenerateMacResponse,
  GenerateRandomRequest,
  GenerateRandomResponse,
  GetPublicKeyRequest,
  GetPublicKeyResponse,
  KeyIdRequest,
  KmsCallOptions,
  KmsDataKeySpec,
  KmsKeySpec,
  KmsMessageType,
  KmsOrigin,
  KmsPort,
  ListAliasesRequest,
  ListAliasesResponse,
  ListKeysRequest,
  ListKeysResponse,
  ListResourceTagsRequest,
  ListResourceTagsResponse,
  ScheduleKeyDeletionRequest,
  ScheduleKeyDeletionResponse,
  SignRequest,
  SignResponse,
  TagResourceRequest,
  UntagResourceRequest,
  UpdateAliasRequest,
  VerifyMacRequest,
  VerifyMacResponse,
  VerifyRequest,
  VerifyResponse,
} from '../../ports/kms.port.js';
import { toHex } from '../../codec/bytes.js';
import { InvalidArgumentError } from '../../domain/errors.js';
import { isRecord } from '../../domain/validation.js';
import { ALIAS_NAME_RULE, PREDEFINED_AWS_ALIASES, checkAliasName } from './rules/alias-rules.js';
import { computeMac, macEquals } from './crypto/hmac.js';
import { rsaOaepDecrypt, rsaOaepEncrypt } from './crypto/rsa-oaep.js';
import { IV_BYTES, ciphertextKeyId, openSymmetric, sealSymmetric } from './crypto/symmetric-blob.js';
import { ArnScope } from './model/identifiers.js';
import { generateKeyMaterial } from './crypto/key-generation.js';
import { KeyCrypto } from './crypto/signer.js';
import { algorithmsOf, toKeyMetadata } from './model/key-metadata.js';
import {
  ALL_ENCRYPTION_ALGORITHMS,
  ALL_KEY_USAGES,
  ALL_MAC_ALGORITHMS,
  ALL_SIGNING_ALGORITHMS,
  KEY_SPEC_RULES,
} from './model/key-spec-table.js';
import { requireEnableable, requireEnabled, requireNotPendingDeletion, requirePendingDeletion } from './rules/key-state-policy.js';
import {
  checkDataKeyKey,
  checkEncryptionKey,
  checkMacKey,
  checkRsaPlaintextLength,
  refuseAsymmetricContext,
  rsaAlgorithmOf,
} from './rules/key-usage-rules.js';
import { MARKER_RULE, MarkerCodec, PAGE_LIMITS, type PageLimit, cutPage } from './model/pagination.js';
import { checkMessageType, checkSigningKey } from './rules/signing-rules.js';
import {
  type AliasRecord,
  InMemorySimulatorStore,
  type KeyMaterial,
  type KeyRecord,
  type SimulatorStore,
} from './store/simulator-store.js';
import { codeUnitOrder } from './model/code-unit-order.js';
import { checkTagKeysToRemove, checkTagsToSet, removeTags, setTags } from './rules/tag-rules.js';
import { InputReader } from './validation.js';
import {
  aliasAlreadyExists,
  dryRun as dryRunException,
  incorrectKey,
  internal,
  invalidCiphertext,
  invalidGrantToken,
  invalidMac,
  invalidSignature,
  limitExceeded,
  malformedPolicy,
  unsupported,
  validationException,
} from './model/exceptions.js';

export interface SimulatedKmsOptions {
  /** Default `us-east-1`. */
  region?: string;
  /** 12 digits; default `111122223333`. */
  accountId?: string;
  /** The WebCrypto implementation for keys, signatures, random bytes and IDs; default `@peculiar/webcrypto`. */
  crypto?: Crypto;
  /** The time source; lazy key deletion follows it. Default `() => new Date()`. */
  clock?: () => Date;
  /** Where keys and aliases live; default a fresh in-memory store. */
  store?: SimulatorStore;
}

/** KeySpec enum, in the order the service lists it in validation messages. */
const KEY_SPECS: readonly KmsKeySpec[] = [
  'RSA_2048', 'RSA_3072', 'RSA_4096', 'ECC_NIST_P256', 'ECC_NIST_P384', 'ECC_NIST_P521', 'ECC_SECG_P256K1',
  'ECC_NIST_EDWARDS25519', 'SYMMETRIC_DEFAULT', 'HMAC_224', 'HMAC_256', 'HMAC_384', 'HMAC_512', 'SM2',
  'ML_DSA_44', 'ML_DSA_65', 'ML_DSA_87',
];
/** The deprecated CustomerMasterKeySpec enum never gained the 2025 specs (Edwards25519, ML-DSA). */
const CUSTOMER_MASTER_KEY_SPECS: readonly KmsKeySpec[] = KEY_SPECS.filter(
  (s) => s !== 'ECC_NIST_EDWARDS25519' && !s.startsWith('ML_DSA_'),
);
const ORIGINS: readonly KmsOrigin[] = ['AWS_KMS', 'EXTERNAL', 'AWS_CLOUDHSM', 'EXTERNAL_KEY_STORE'];
const MESSAGE_TYPES: readonly KmsMessageType[] = ['RAW', 'DIGEST', 'EXTERNAL_MU'];

const KEY_ID_RULE = { required: true, min: 1, max: 2048 } as const;
/** Plaintext of Encrypt, Message of Sign/Verify and GenerateMac/VerifyMac. */
const DATA_RULE = { required: true, min: 1, max: 4096 } as const;
/** CiphertextBlob of Decrypt, Signature of Verify, Mac of VerifyMac. */
const OUTPUT_BLOB_RULE = { required: true, min: 1, max: 6144 } as const;
const DATA_KEY_BYTES: Readonly<Record<KmsDataKeySpec, number>> = { AES_256: 32, AES_128: 16 };
const DATA_KEY_SPECS = Object.keys(DATA_KEY_BYTES) as KmsDataKeySpec[];
const POLICY_MAX_CHARS = 131_072;
/** The key policy quota (32 KB), stricter than the model's 131072 characters. */
const POLICY_QUOTA_BYTES = 32_768;
const DESCRIPTION_MAX_CHARS = 8192;
const MAX_ALIASES_PER_KEY = 50;
const DAY_MS = 86_400_000;

/**
 * An AWS KMS engine in process, implementing KmsPort with real WebCrypto keys. It refuses what AWS refuses, with
 * the same exception names and (where recorded) the same messages: docs/kms-behaviour.md is its
 * specification. One account in one Region; customer managed keys of Origin AWS_KMS only.
 *
 * Keys are deleted lazily: every operation first removes the keys whose DeletionDate the clock has passed,
 * with their aliases and tags. Writes are serialised; reads run concurrently. Nothing returned shares state
 * with the store, and no key material appears in any output, message or inspection of this object.
 */
export class SimulatedKms implements KmsPort {
  readonly region: string;
  readonly accountId: string;
  readonly #arns: ArnScope;
  readonly #crypto: Crypto;
  readonly #clock: () => Date;
  readonly #store: SimulatorStore;
  readonly #keyCrypto: KeyCrypto;
  readonly #markers: MarkerCodec;
  #writes: Promise<unknown> = Promise.resolve();

  constructor(options: SimulatedKmsOptions = {}) {
    if (typeof options !== 'object' || options === null) throw new InvalidArgumentError('SimulatedKms: options must be an object');
    this.#arns = new ArnScope(options.region ?? 'us-east-1', options.accountId ?? '111122223333');
    this.region = this.#arns.region;
    this.accountId = this.#arns.accountId;
    this.#crypto = options.crypto ?? new PeculiarCrypto();
    if (!isWebCrypto(this.#crypto)) {
      throw new InvalidArgumentError('SimulatedKms: crypto must be a WebCrypto Crypto (getRandomValues, randomUUID, subtle)');
    }
    this.#clock = options.clock ?? (() => new Date());
    if (typeof this.#clock !== 'function') throw new InvalidArgumentError('SimulatedKms: clock must be a function returning a Date');
    this.#store = options.store ?? new InMemorySimulatorStore();
    if (typeof this.#store?.getKey !== 'function' || typeof this.#store.listAliases !== 'function') {
      throw new InvalidArgumentError('SimulatedKms: store must implement SimulatorStore');
    }
    this.#keyCrypto = new KeyCrypto(this.#crypto);
    this.#markers = new MarkerCodec(this.#crypto.getRandomValues(new Uint8Array(32)));
  }

  // ---- keys ---------------------------------------------------------------------------------------------------

  async createKey(input: CreateKeyRequest, options?: KmsCallOptions): Promise<CreateKeyResponse> {
    options?.abortSignal?.throwIfAborted();
    const r = new InputReader(input);
    const policy = r.string('Policy', { min: 1, max: POLICY_MAX_CHARS });
    const description = r.string('Description', { min: 0, max: DESCRIPTION_MAX_CHARS });
    const keyUsage = r.enumValue('KeyUsage', ALL_KEY_USAGES);
    const keySpec = r.enumValue('KeySpec', KEY_SPECS);
    const customerMasterKeySpec = r.enumValue('CustomerMasterKeySpec', CUSTOMER_MASTER_KEY_SPECS);
    const origin = r.enumValue('Origin', ORIGINS);
    r.boolean('BypassPolicyLockoutSafetyCheck');
    const tags = r.tags('Tags') ?? [];
    const multiRegion = r.boolean('MultiRegion');
    r.done();

    if (keySpec !== undefined && customerMasterKeySpec !== undefined) {
      throw validationException(
        'You cannot specify KeySpec and CustomerMasterKeySpec in the same request. CustomerMasterKeySpec is deprecated.',
      );
    }
    const spec = keySpec ?? customerMasterKeySpec ?? 'SYMMETRIC_DEFAULT';
    if (keyUsage === undefined && spec !== 'SYMMETRIC_DEFAULT') {
      throw validationException('You must specify a KeyUsage value for all KMS keys except for symmetric encryption keys.');
    }
    const usage = keyUsage ?? 'ENCRYPT_DECRYPT';
    if (!KEY_SPEC_RULES[spec].usages.includes(usage)) {
      throw validationException(`KeyUsage ${usage} is not compatible with KeySpec ${spec}`);
    }
    if (origin !== undefined && origin !== 'AWS_KMS') {
      throw unsupported(`Origin ${origin} is not supported by the simulator: it creates keys with Origin AWS_KMS only.`);
    }
    if (multiRegion === true) {
      throw unsupported('MultiRegion keys are not supported by the simulator: it simulates a single Region.');
    }
    if (spec === 'SM2') {
      throw unsupported(
        'KeySpec SM2 is not supported: SM2 keys exist only in the China Regions, and the simulator cannot create them.',
      );
    }
    if (policy !== undefined) checkPolicy(policy);
    checkTagsToSet(tags);
    const tagged = setTags([], 1, tags);

    const material = await generateKeyMaterial(spec, this.#crypto);
    const now = this.#now();
    const record: KeyRecord = {
      keyId: this.#crypto.randomUUID(),
      creationDate: now,
      description: description ?? '',
      policy: policy ?? defaultKeyPolicy(this.#arns.partition, this.accountId),
      keySpec: spec,
      keyUsage: usage,
      origin: 'AWS_KMS',
      keyState: 'Enabled',
      ...(spec === 'SYMMETRIC_DEFAULT' ? { currentKeyMaterialId: toHex(this.#crypto.getRandomValues(new Uint8Array(32))) } : {}),
      tags: tagged.tags,
      nextTagSeq: tagged.nextTagSeq,
    };
    await this.#write(options, () => this.#store.insertKey(record, material));
    return { KeyMetadata: toKeyMetadata(record, this.accountId, this.#arns.keyArn(record.keyId)) };
  }

  async describeKey(input: DescribeKeyRequest, options?: KmsCallOptions): Promise<DescribeKeyResponse> {
    const r = new InputReader(input);
    const keyId = r.string('KeyId', KEY_ID_RULE) as string;
    readGrantTokens(r);
    r.done();
    await this.#beforeRead(options);
    const { record, arn } = await this.#resolveAny(keyId);
    return { KeyMetadata: toKeyMetadata(record, this.accountId, arn) };
  }

  async listKeys(input: ListKeysRequest, options?: KmsCallOptions): Promise<ListKeysResponse> {
    const r = new InputReader(input);
    const { limit, marker } = readPaging(r, PAGE_LIMITS.ListKeys);
    r.done();
    await this.#beforeRead(options);
    const scope = 'ListKeys';
    const after = marker === undefined ? undefined : this.#markers.decode(scope, marker);
    const fetched = await this.#store.listKeys({ ...(after === undefined ? {} : { after }), limit: limit + 1 });
    const page = cutPage(fetched, limit, (last) => this.#markers.encode(scope, last.keyId));
    return {
      Keys: page.items.map((k) => ({ KeyId: k.keyId, KeyArn: this.#arns.keyArn(k.keyId) })),
      ...pageTail(page),
    };
  }

  async enableKey(input: KeyIdRequest, options?: KmsCallOptions): Promise<void> {
    await this.#setEnabled(input, true, options);
  }

  async disableKey(input: KeyIdRequest, options?: KmsCallOptions): Promise<void> {
    await this.#setEnabled(input, false, options);
  }

  async scheduleKeyDeletion(input: ScheduleKeyDeletionRequest, options?: KmsCallOptions): Promise<ScheduleKeyDeletionResponse> {
    const r = new InputReader(input);
    const keyId = r.string('KeyId', KEY_ID_RULE) as string;
    // The model allows 1–365; the service enforces 7–30 (LocalStack's text for it).
    const days = r.integer('PendingWindowInDays', { min: 1, max: 365 }) ?? 30;
    r.done();
    if (days < 7 || days > 30) {
      throw validationException(`PendingWindowInDays should be between 7 and 30, but it is ${days}`);
    }
    return this.#write(options, async () => {
      const { record, arn } = await this.#resolveKeyOnly(keyId);
      requireNotPendingDeletion(record, arn);
      const deletionDate = new Date(this.#now().getTime() + days * DAY_MS);
      await this.#store.updateKey({ ...record, keyState: 'PendingDeletion', deletionDate });
      return {
        KeyId: arn,
        DeletionDate: new Date(deletionDate.getTime()),
        KeyState: 'PendingDeletion',
        PendingWindowInDays: days,
      };
    });
  }

  async cancelKeyDeletion(input: KeyIdRequest, options?: KmsCallOptions): Promise<CancelKeyDeletionResponse> {
    const keyId = readKeyIdOnly(input);
    return this.#write(options, async () => {
      const { record, arn } = await this.#resolveKeyOnly(keyId);
      requirePendingDeletion(record, arn);
      const { deletionDate: _removed, ...rest } = record;
      await this.#store.updateKey({ ...rest, keyState: 'Disabled' });
      return { KeyId: arn };
    });
  }

  // ---- aliases ------------------------------------------------------------------------------------------------

  async createAlias(input: CreateAliasRequest, options?: KmsCallOptions): Promise<void> {
    const { aliasName, targetKeyId } = readAliasRequest(input);
    await this.#write(options, async () => {
      const target = await this.#resolveAliasTarget(targetKeyId);
      requireNotPendingDeletion(target.record, target.arn);
      if ((await this.#store.getAlias(aliasName)) !== undefined) {
        throw aliasAlreadyExists(this.#arns.aliasArn(aliasName));
      }
      await this.#checkAliasQuota(target.record.keyId);
      const now = this.#now();
      await this.#store.putAlias({ aliasName, targetKeyId: target.record.keyId, creationDate: now, lastUpdatedDate: now });
    });
  }

  async updateAlias(input: UpdateAliasRequest, options?: KmsCallOptions): Promise<void> {
    const { aliasName, targetKeyId } = readAliasRequest(input);
    await this.#write(options, async () => {
      const alias = await this.#store.getAlias(aliasName);
      if (alias === undefined) throw this.#arns.aliasNotFound(aliasName);
      const target = await this.#resolveAliasTarget(targetKeyId);
      requireNotPendingDeletion(target.record, target.arn);
      const current = await this.#store.getKey(alias.targetKeyId);
      if (current !== undefined) checkSameKind(aliasName, current, target.record);
      if (target.record.keyId !== alias.targetKeyId) await this.#checkAliasQuota(target.record.keyId);
      await this.#store.putAlias({ ...alias, targetKeyId: target.record.keyId, lastUpdatedDate: this.#now() });
    });
  }

  async deleteAlias(input: DeleteAliasRequest, options?: KmsCallOptions): Promise<void> {
    const r = new InputReader(input);
    const aliasName = r.string('AliasName', ALIAS_NAME_RULE) as string;
    r.done();
    checkAliasName(aliasName);
    await this.#write(options, async () => {
      if (!(await this.#store.deleteAlias(aliasName))) throw this.#arns.aliasNotFound(aliasName);
    });
  }

  /**
   * Aliases in ascending name order (code units), the predefined AWS managed aliases (no TargetKeyId) included
   * when no KeyId filter is given. A KeyId filter takes a key ID or key ARN, in any key state.
   */
  async listAliases(input: ListAliasesRequest, options?: KmsCallOptions): Promise<ListAliasesResponse> {
    const r = new InputReader(input);
    const keyId = r.string('KeyId', { min: 1, max: 2048 });
    const { limit, marker } = readPaging(r, PAGE_LIMITS.ListAliases);
    r.done();
    await this.#beforeRead(options);
    const filterKeyId = keyId === undefined ? undefined : (await this.#resolveKeyOnly(keyId)).record.keyId;
    const scope = `ListAliases:${filterKeyId ?? '*'}`;
    const after = marker === undefined ? undefined : this.#markers.decode(scope, marker);
    const stored = await this.#store.listAliases({
      ...(after === undefined ? {} : { after }),
      ...(filterKeyId === undefined ? {} : { targetKeyId: filterKeyId }),
      limit: limit + 1,
    });
    const entries: AliasListEntry[] = stored.map((a) => this.#aliasEntry(a));
    if (filterKeyId === undefined) {
      for (const name of PREDEFINED_AWS_ALIASES) {
        if (after === undefined || name > after) entries.push({ AliasName: name, AliasArn: this.#arns.aliasArn(name) });
      }
      entries.sort((a, b) => codeUnitOrder(a.AliasName, b.AliasName));
    }
    const page = cutPage(entries.slice(0, limit + 1), limit, (last) => this.#markers.encode(scope, last.AliasName));
    return { Aliases: page.items, ...pageTail(page) };
  }

  // ---- tags ---------------------------------------------------------------------------------------------------

  async tagResource(input: TagResourceRequest, options?: KmsCallOptions): Promise<void> {
    const r = new InputReader(input);
    const keyId = r.string('KeyId', KEY_ID_RULE) as string;
    const tags = r.tags('Tags', true) ?? [];
    r.done();
    await this.#write(options, async () => {
      const { record, arn } = await this.#resolveKeyOnly(keyId);
      requireNotPendingDeletion(record, arn);
      checkTagsToSet(tags);
      const tagged = setTags(record.tags, record.nextTagSeq, tags);
      await this.#store.updateKey({ ...record, tags: tagged.tags, nextTagSeq: tagged.nextTagSeq });
    });
  }

  async untagResource(input: UntagResourceRequest, options?: KmsCallOptions): Promise<void> {
    const r = new InputReader(input);
    const keyId = r.string('KeyId', KEY_ID_RULE) as string;
    const tagKeys = r.stringList('TagKeys', { required: true }, { min: 1, max: 128 }) ?? [];
    r.done();
    await this.#write(options, async () => {
      const { record, arn } = await this.#resolveKeyOnly(keyId);
      requireNotPendingDeletion(record, arn);
      checkTagKeysToRemove(tagKeys);
      await this.#store.updateKey({ ...record, tags: removeTags(record.tags, tagKeys) });
    });
  }

  /** Tags in the order their keys were first set; every key state. */
  async listResourceTags(input: ListResourceTagsRequest, options?: KmsCallOptions): Promise<ListResourceTagsResponse> {
    const r = new InputReader(input);
    const keyId = r.string('KeyId', KEY_ID_RULE) as string;
    const { limit, marker } = readPaging(r, PAGE_LIMITS.ListResourceTags);
    r.done();
    await this.#beforeRead(options);
    const { record } = await this.#resolveKeyOnly(keyId);
    const scope = `ListResourceTags:${record.keyId}`;
    const after = marker === undefined ? 0 : Number(this.#markers.decode(scope, marker));
    const remaining = record.tags.filter((t) => t.seq > after);
    const page = cutPage(remaining.slice(0, limit + 1), limit, (last) => this.#markers.encode(scope, String(last.seq)));
    return { Tags: page.items.map((t) => ({ TagKey: t.key, TagValue: t.value })), ...pageTail(page) };
  }

  // ---- cryptography -------------------------------------------------------------------------------------------

  /**
   * The DER SubjectPublicKeyInfo of an asymmetric key. Symmetric and HMAC keys → UnsupportedOperationException.
   *
   * On a Disabled key this throws DisabledException. The reference calls it unsettled: the developer guide's
   * key-state table says Disabled keys refuse GetPublicKey (local-kms agrees), LocalStack's source says real AWS
   * answers. The simulator follows the documented rule, so that code proven here does not rely on a behaviour AWS
   * does not promise; code that works here also works if AWS does answer.
   */
  async getPublicKey(input: GetPublicKeyRequest, options?: KmsCallOptions): Promise<GetPublicKeyResponse> {
    const r = new InputReader(input);
    const keyId = r.string('KeyId', KEY_ID_RULE) as string;
    const grantTokens = readGrantTokens(r);
    r.done();
    await this.#beforeRead(options);
    const { record, arn } = await this.#usableKey(keyId, grantTokens);
    if (KEY_SPEC_RULES[record.keySpec].type !== 'asymmetric') {
      throw unsupported(`${arn} key spec is ${record.keySpec} which is not valid for GetPublicKey.`);
    }
    const material = await this.#material(record.keyId);
    const { MacAlgorithms: _none, ...algorithms } = algorithmsOf(record);
    return {
      KeyId: arn,
      PublicKey: Uint8Array.from(publicKeyOf(material, arn)),
      CustomerMasterKeySpec: record.keySpec,
      KeySpec: record.keySpec,
      KeyUsage: record.keyUsage,
      ...algorithms,
    };
  }

  async sign(input: SignRequest, options?: KmsCallOptions): Promise<SignResponse> {
    const req = await this.#prepareSignature('Sign', input, options);
    const signature = await this.#keyCrypto.sign(req.record.keyId, req.material, req.algorithm, req.messageType, req.message);
    return { KeyId: req.arn, Signature: Uint8Array.from(signature), SigningAlgorithm: req.algorithm };
  }

  /** A signature that does not verify throws KMSInvalidSignatureException with an empty message. */
  async verify(input: VerifyRequest, options?: KmsCallOptions): Promise<VerifyResponse> {
    const req = await this.#prepareSignature('Verify', input, options);
    const valid = await this.#keyCrypto.verify(
      req.record.keyId,
      req.material,
      req.algorithm,
      req.messageType,
      req.message,
      req.signature as Uint8Array,
    );
    if (!valid) throw invalidSignature();
    return { KeyId: req.arn, SignatureValid: true, SigningAlgorithm: req.algorithm };
  }

  async generateRandom(input: GenerateRandomRequest, options?: KmsCallOptions): Promise<GenerateRandomResponse> {
    options?.abortSignal?.throwIfAborted();
    const r = new InputReader(input);
    const n = r.integer('NumberOfBytes', { min: 1, max: 1024 });
    r.done();
    if (n === undefined) throw validationException('NumberOfBytes is required.');
    return { Plaintext: this.#crypto.getRandomValues(new Uint8Array(n)) };
  }

  // ---- encryption and MAC -------------------------------------------------------------------------------------

  /**
   * Symmetric keys: AES-256-GCM in the simulator's own blob format (cipher.ts), the EncryptionContext bound as
   * additional authenticated data. RSA keys: RSAES-OAEP; the blob is the raw OAEP ciphertext, as in AWS.
   */
  async encrypt(input: EncryptRequest, options?: KmsCallOptions): Promise<EncryptResponse> {
    const r = new InputReader(input);
    const keyId = r.string('KeyId', KEY_ID_RULE) as string;
    const plaintext = Uint8Array.from(r.blob('Plaintext', DATA_RULE) ?? []);
    const context = r.stringMap('EncryptionContext');
    const algorithm = r.enumValue('EncryptionAlgorithm', ALL_ENCRYPTION_ALGORITHMS) ?? 'SYMMETRIC_DEFAULT';
    const grantTokens = readGrantTokens(r);
    const dryRun = r.boolean('DryRun');
    r.done();
    await this.#beforeRead(options);
    const { record, arn } = await this.#usableKey(keyId, grantTokens);
    checkEncryptionKey(record, arn, 'Encrypt', algorithm);
    const rsa = rsaAlgorithmOf(record, algorithm);
    if (rsa !== undefined) {
      refuseAsymmetricContext(context);
      checkRsaPlaintextLength(record, rsa, plaintext.length);
    }
    if (dryRun === true) throw dryRunException();
    const material = await this.#material(record.keyId);
    const CiphertextBlob =
      rsa === undefined
        ? this.#seal(record.keyId, material, plaintext, context)
        : rsaOaepEncrypt(publicKeyOf(material, arn), rsa, plaintext);
    return { CiphertextBlob, KeyId: arn, EncryptionAlgorithm: algorithm };
  }

  /**
   * KeyId is optional for symmetric ciphertexts (the blob names its key) and required for RSA ones. A KeyId other
   * than the blob's key → IncorrectKeyException; a wrong context, a changed blob or one that names no symmetric key
   * of this account → InvalidCiphertextException with an empty message. DryRun decrypts, then refuses to answer:
   * AWS validates the ciphertext in a dry run unless told to ignore it (DryRunModifiers, not in the port).
   */
  async decrypt(input: DecryptRequest, options?: KmsCallOptions): Promise<DecryptResponse> {
    const r = new InputReader(input);
    const blob = Uint8Array.from(r.blob('CiphertextBlob', OUTPUT_BLOB_RULE) ?? []);
    const context = r.stringMap('EncryptionContext');
    const keyId = r.string('KeyId', { min: 1, max: 2048 });
    const algorithm = r.enumValue('EncryptionAlgorithm', ALL_ENCRYPTION_ALGORITHMS) ?? 'SYMMETRIC_DEFAULT';
    const grantTokens = readGrantTokens(r);
    const dryRun = r.boolean('DryRun');
    r.done();
    await this.#beforeRead(options);
    const blobKeyId = ciphertextKeyId(blob);
    const { record, arn } = keyId === undefined ? await this.#ciphertextKey(blobKeyId) : await this.#resolveAny(keyId);
    refuseGrantTokens(grantTokens);
    requireEnabled(record, arn);
    checkEncryptionKey(record, arn, 'Decrypt', algorithm);
    const rsa = rsaAlgorithmOf(record, algorithm);
    if (rsa !== undefined) refuseAsymmetricContext(context);
    else if (blobKeyId === undefined) throw invalidCiphertext();
    else if (blobKeyId !== record.keyId) throw incorrectKey();
    const material = await this.#material(record.keyId);
    const plaintext =
      rsa === undefined ? openSymmetric(material.secret, blob, context) : rsaOaepDecrypt(material.secret, rsa, blob);
    if (plaintext === undefined) throw invalidCiphertext();
    if (dryRun === true) throw dryRunException();
    return { KeyId: arn, Plaintext: plaintext, EncryptionAlgorithm: algorithm, ...keyMaterialIdOf(record) };
  }

  /** A fresh data key (exactly one of KeySpec and NumberOfBytes), in plaintext and encrypted as Encrypt would. */
  async generateDataKey(input: GenerateDataKeyRequest, options?: KmsCallOptions): Promise<GenerateDataKeyResponse> {
    const r = new InputReader(input);
    const keyId = r.string('KeyId', KEY_ID_RULE) as string;
    const context = r.stringMap('EncryptionContext');
    const numberOfBytes = r.integer('NumberOfBytes', { min: 1, max: 1024 });
    const keySpec = r.enumValue('KeySpec', DATA_KEY_SPECS);
    const grantTokens = readGrantTokens(r);
    const dryRun = r.boolean('DryRun');
    r.done();
    // The text AWS SDK users meet for both and for neither (moto and local-kms agree).
    if ((keySpec === undefined) === (numberOfBytes === undefined)) {
      throw validationException('Please specify either number of bytes or key spec.');
    }
    const length = numberOfBytes ?? DATA_KEY_BYTES[keySpec as KmsDataKeySpec];
    await this.#beforeRead(options);
    const { record, arn } = await this.#usableKey(keyId, grantTokens);
    checkDataKeyKey(record, arn);
    if (dryRun === true) throw dryRunException();
    const material = await this.#material(record.keyId);
    const plaintext = this.#crypto.getRandomValues(new Uint8Array(length));
    return {
      CiphertextBlob: this.#seal(record.keyId, material, plaintext, context),
      Plaintext: plaintext,
      KeyId: arn,
      ...keyMaterialIdOf(record),
    };
  }

  /** HMAC (RFC 2104) with an HMAC key whose spec matches MacAlgorithm. */
  async generateMac(input: GenerateMacRequest, options?: KmsCallOptions): Promise<GenerateMacResponse> {
    const req = await this.#prepareMac('GenerateMac', input, options);
    return { Mac: computeMac(req.algorithm, req.secret, req.message), MacAlgorithm: req.algorithm, KeyId: req.arn };
  }

  /** A MAC that does not verify throws KMSInvalidMacException with an empty message. */
  async verifyMac(input: VerifyMacRequest, options?: KmsCallOptions): Promise<VerifyMacResponse> {
    const req = await this.#prepareMac('VerifyMac', input, options);
    if (!macEquals(computeMac(req.algorithm, req.secret, req.message), req.mac as Uint8Array)) {
      throw invalidMac();
    }
    return { KeyId: req.arn, MacValid: true, MacAlgorithm: req.algorithm };
  }

  // ---- hygiene ------------------------------------------------------------------------------------------------

  /** Only the Region and account: no keys, no store, no material. */
  toJSON(): { region: string; accountId: string } {
    return { region: this.region, accountId: this.accountId };
  }

  toString(): string {
    return `SimulatedKms(${this.region}, ${this.accountId})`;
  }

  [Symbol.for('nodejs.util.inspect.custom')](): string {
    return `SimulatedKms { region: '${this.region}', accountId: '${this.accountId}' }`;
  }

  // ---- internals ----------------------------------------------------------------------------------------------

  async #setEnabled(input: KeyIdRequest, enabled: boolean, options: KmsCallOptions | undefined): Promise<void> {
    const keyId = readKeyIdOnly(input);
    await this.#write(options, async () => {
      const { record, arn } = await this.#resolveKeyOnly(keyId);
      requireEnableable(record, arn);
      const keyState = enabled ? 'Enabled' : 'Disabled';
      if (record.keyState !== keyState) await this.#store.updateKey({ ...record, keyState });
    });
  }

  async #prepareSignature(
    operation: 'Sign' | 'Verify',
    input: SignRequest | VerifyRequest,
    options: KmsCallOptions | undefined,
  ) {
    const r = new InputReader(input);
    const keyId = r.string('KeyId', KEY_ID_RULE) as string;
    // Copied now: the caller may reuse its buffers while this call is in flight.
    const message = Uint8Array.from(r.blob('Message', DATA_RULE) ?? []);
    const messageType = r.enumValue('MessageType', MESSAGE_TYPES) ?? 'RAW';
    const signatureInput = operation === 'Verify' ? r.blob('Signature', OUTPUT_BLOB_RULE) : undefined;
    const signature = signatureInput === undefined ? undefined : Uint8Array.from(signatureInput);
    const algorithm = r.enumValue('SigningAlgorithm', ALL_SIGNING_ALGORITHMS, true);
    const grantTokens = readGrantTokens(r);
    const dryRun = r.boolean('DryRun');
    r.done();
    if (algorithm === undefined) throw internal('SigningAlgorithm passed validation without a value.');
    await this.#beforeRead(options);
    const { record, arn } = await this.#usableKey(keyId, grantTokens);
    checkSigningKey(record, arn, operation, algorithm);
    checkMessageType(algorithm, messageType, message.length);
    // DryRun checks what the service checks before the cryptography (input, key, state, usage), then stops.
    if (dryRun === true) throw dryRunException();
    const material = await this.#material(record.keyId);
    return { record, arn, material, algorithm, messageType, message, signature };
  }

  async #prepareMac(
    operation: 'GenerateMac' | 'VerifyMac',
    input: GenerateMacRequest | VerifyMacRequest,
    options: KmsCallOptions | undefined,
  ) {
    const r = new InputReader(input);
    const keyId = r.string('KeyId', KEY_ID_RULE) as string;
    const message = Uint8Array.from(r.blob('Message', DATA_RULE) ?? []);
    const macInput = operation === 'VerifyMac' ? r.blob('Mac', OUTPUT_BLOB_RULE) : undefined;
    const mac = macInput === undefined ? undefined : Uint8Array.from(macInput);
    const algorithm = r.enumValue('MacAlgorithm', ALL_MAC_ALGORITHMS, true);
    const grantTokens = readGrantTokens(r);
    const dryRun = r.boolean('DryRun');
    r.done();
    if (algorithm === undefined) throw internal('MacAlgorithm passed validation without a value.');
    await this.#beforeRead(options);
    const { record, arn } = await this.#usableKey(keyId, grantTokens);
    checkMacKey(record, arn, operation, algorithm);
    // As Sign/Verify: DryRun stops before the cryptography.
    if (dryRun === true) throw dryRunException();
    const { secret } = await this.#material(record.keyId);
    return { arn, algorithm, message, mac, secret };
  }

  /** The key of a cryptographic operation: resolved from any KeyId form, no grant tokens, Enabled. */
  async #usableKey(keyId: string, grantTokens: readonly string[]): Promise<{ record: KeyRecord; arn: string }> {
    const resolved = await this.#resolveAny(keyId);
    refuseGrantTokens(grantTokens);
    requireEnabled(resolved.record, resolved.arn);
    return resolved;
  }

  /**
   * The key a symmetric ciphertext names. A blob that names none, a key that no longer exists (deleted) or a key
   * that is not a symmetric encryption key is not a ciphertext of this account: InvalidCiphertextException.
   */
  async #ciphertextKey(blobKeyId: string | undefined): Promise<{ record: KeyRecord; arn: string }> {
    const record = blobKeyId === undefined ? undefined : await this.#store.getKey(blobKeyId);
    if (record?.keySpec !== 'SYMMETRIC_DEFAULT') throw invalidCiphertext();
    return { record, arn: this.#arns.keyArn(record.keyId) };
  }

  #seal(
    keyId: string,
    material: KeyMaterial,
    plaintext: Uint8Array,
    context: Record<string, string> | undefined,
  ): Uint8Array {
    const iv = this.#crypto.getRandomValues(new Uint8Array(IV_BYTES));
    return sealSymmetric(keyId, material.secret, iv, plaintext, context);
  }

  /** Any KeyId form: key ID, key ARN, alias name or alias ARN. */
  async #resolveAny(value: string): Promise<{ record: KeyRecord; arn: string }> {
    const ref = this.#arns.parseKeyReference(value);
    if (ref.kind === 'key') return this.#resolveKey(ref);
    const alias = await this.#store.getAlias(ref.aliasName);
    const record = alias === undefined ? undefined : await this.#store.getKey(alias.targetKeyId);
    if (record === undefined) throw this.#arns.aliasNotFound(ref.aliasName);
    return { record, arn: this.#arns.keyArn(record.keyId) };
  }

  /** Key ID or key ARN only. */
  async #resolveKeyOnly(value: string): Promise<{ record: KeyRecord; arn: string }> {
    return this.#resolveKey(this.#arns.parseKeyOnlyReference(value));
  }

  async #resolveKey(ref: { keyId: string; arn?: string }): Promise<{ record: KeyRecord; arn: string }> {
    const record = await this.#store.getKey(ref.keyId);
    if (record === undefined) throw this.#arns.keyNotFound(ref);
    return { record, arn: this.#arns.keyArn(record.keyId) };
  }

  /** An alias target: a key ID or key ARN; an alias is refused with moto's text. */
  async #resolveAliasTarget(value: string): Promise<{ record: KeyRecord; arn: string }> {
    const ref = this.#arns.parseKeyReference(value);
    if (ref.kind === 'alias') throw validationException('Aliases must refer to keys. Not aliases');
    return this.#resolveKey(ref);
  }

  async #checkAliasQuota(keyId: string): Promise<void> {
    if ((await this.#store.countAliases(keyId)) >= MAX_ALIASES_PER_KEY) {
      throw limitExceeded(
        `Key ${this.#arns.keyArn(keyId)} already has ${MAX_ALIASES_PER_KEY} aliases, the most a KMS key can have.`,
      );
    }
  }

  async #material(keyId: string) {
    const material = await this.#store.getKeyMaterial(keyId);
    if (material === undefined) throw internal(`The key material of ${this.#arns.keyArn(keyId)} is missing.`);
    return material;
  }

  #aliasEntry(alias: AliasRecord): AliasListEntry {
    return {
      AliasName: alias.aliasName,
      AliasArn: this.#arns.aliasArn(alias.aliasName),
      TargetKeyId: alias.targetKeyId,
      CreationDate: new Date(alias.creationDate.getTime()),
      LastUpdatedDate: new Date(alias.lastUpdatedDate.getTime()),
    };
  }

  /** Reads see every deletion that is due. */
  async #beforeRead(options: KmsCallOptions | undefined): Promise<void> {
    await this.#write(options, async () => undefined);
  }

  /** Runs `fn` after every earlier write, having deleted the keys that are due first. */
  #write<T>(options: KmsCallOptions | undefined, fn: () => Promise<T>): Promise<T> {
    options?.abortSignal?.throwIfAborted();
    const run = this.#writes.then(async () => {
      await this.#purgeDueKeys();
      return fn();
    });
    this.#writes = run.then(
      () => undefined,
      () => undefined,
    );
    return run;
  }

  /** Lazy deletion: a key whose DeletionDate has passed is gone, with its aliases, tags and runtime handles. */
  async #purgeDueKeys(): Promise<void> {
    for (const keyId of await this.#store.keysDueForDeletion(this.#now())) {
      await this.#store.deleteKey(keyId);
      this.#keyCrypto.forget(keyId);
    }
  }

  #now(): Date {
    const now = this.#clock();
    if (!(now instanceof Date) || Number.isNaN(now.getTime())) {
      throw new InvalidArgumentError('SimulatedKms: clock() must return a valid Date');
    }
    return new Date(now.getTime());
  }
}

// ---- request readers and checks -----------------------------------------------------------------------------

function readKeyIdOnly(input: KeyIdRequest): string {
  const r = new InputReader(input);
  const keyId = r.string('KeyId', KEY_ID_RULE) as string;
  r.done();
  return keyId;
}

function readAliasRequest(input: CreateAliasRequest | UpdateAliasRequest): { aliasName: string; targetKeyId: string } {
  const r = new InputReader(input);
  const aliasName = r.string('AliasName', ALIAS_NAME_RULE) as string;
  const targetKeyId = r.string('TargetKeyId', KEY_ID_RULE) as string;
  r.done();
  checkAliasName(aliasName);
  return { aliasName, targetKeyId };
}

function readPaging(r: InputReader, limits: PageLimit): { limit: number; marker: string | undefined } {
  const limit = r.integer('Limit', { min: 1, max: limits.max }) ?? limits.default;
  const marker = r.string('Marker', MARKER_RULE);
  return { limit, marker };
}

/** GrantTokens: 0–10 tokens of 1–8192 characters. */
function readGrantTokens(r: InputReader): string[] {
  return r.stringList('GrantTokens', { maxItems: 10 }, { min: 1, max: 8192 }) ?? [];
}

/** The simulator has no grants (no CreateGrant), so any grant token is one AWS would not recognise. */
function refuseGrantTokens(tokens: readonly string[]): void {
  if (tokens.length > 0) throw invalidGrantToken();
}

function pageTail(page: { Truncated: boolean; NextMarker?: string }): { Truncated: boolean; NextMarker?: string } {
  const { Truncated, NextMarker } = page;
  return NextMarker === undefined ? { Truncated } : { Truncated, NextMarker };
}

const KEY_TYPE_NAMES = { symmetric: 'a symmetric key', asymmetric: 'an asymmetric key', hmac: 'an HMAC key' } as const;

/** UpdateAlias moves an alias only between keys of the same type (symmetric / asymmetric / HMAC) and usage. */
function checkSameKind(aliasName: string, from: KeyRecord, to: KeyRecord): void {
  const fromType = KEY_SPEC_RULES[from.keySpec].type;
  const toType = KEY_SPEC_RULES[to.keySpec].type;
  if (fromType !== toType) {
    throw validationException(
      `Alias ${aliasName} cannot be changed from ${KEY_TYPE_NAMES[fromType]} to ${KEY_TYPE_NAMES[toType]}.`,
    );
  }
  if (from.keyUsage !== to.keyUsage) {
    throw validationException(
      `Alias ${aliasName} cannot be changed from a key with key usage ${from.keyUsage} ` +
        `to a key with key usage ${to.keyUsage}.`,
    );
  }
}

/** The key policy quota (LimitExceededException) and JSON syntax (MalformedPolicyDocumentException). */
function checkPolicy(policy: string): void {
  if (Buffer.byteLength(policy, 'utf8') > POLICY_QUOTA_BYTES) {
    throw limitExceeded(`The key policy exceeds the quota of ${POLICY_QUOTA_BYTES} bytes.`);
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(policy);
  } catch {
    parsed = undefined;
  }
  if (!isRecord(parsed)) {
    throw malformedPolicy();
  }
}

/** The default key policy AWS gives a key created without one: the account may use the key through IAM. */
function defaultKeyPolicy(partition: string, accountId: string): string {
  return JSON.stringify({
    Version: '2012-10-17',
    Id: 'key-default-1',
    Statement: [
      {
        Sid: 'Enable IAM User Permissions',
        Effect: 'Allow',
        Principal: { AWS: `arn:${partition}:iam::${accountId}:root` },
        Action: 'kms:*',
        Resource: '*',
      },
    ],
  });
}

function isWebCrypto(crypto: unknown): crypto is Crypto {
  const c = crypto as Partial<Crypto> | null | undefined;
  return typeof c?.getRandomValues === 'function' && typeof c.randomUUID === 'function' && typeof c.subtle === 'object';
}

function keyMaterialIdOf(record: KeyRecord): { KeyMaterialId?: string } {
  return record.currentKeyMaterialId === undefined ? {} : { KeyMaterialId: record.currentKeyMaterialId };
}

function publicKeyOf(material: KeyMaterial, arn: string): Uint8Array {
  if (material.publicKey === undefined) throw internal(`The public key of ${arn} is missing.`);
  return material.publicKey;
}

