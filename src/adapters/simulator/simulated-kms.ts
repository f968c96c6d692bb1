import type {
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
import type * as Port from '../../ports/kms.port.js';
import type { EnableKeyRotationRequest, GetKeyRotationStatusResponse, ListKeyRotationsRequest } from '../../ports/kms.port.js';
import type { ListKeyRotationsResponse, RotateKeyOnDemandResponse } from '../../ports/kms.port.js';
import { InvalidArgumentError } from '../../domain/errors.js';
import { cryptoBackend, type SimulatorCrypto } from './crypto/crypto-option.js';
import { KeyCrypto } from './crypto/signer.js';
import { EngineContext, type TransactionContext, type WriteRunner } from './engine-context.js';
import { ArnScope } from './model/identifiers.js';
import { MarkerCodec } from './model/pagination.js';
import { injectFaults } from './faults/fault-injection.js';
import { FaultPlan, type FaultOptions } from './faults/fault-plan.js';
import * as aliases from './operations/aliases.js';
import { runDueWork, somethingDue } from './operations/clock-due.js';
import * as encryption from './operations/encryption.js';
import * as keyAgreement from './operations/key-agreement.js';
import * as keyUsage from './operations/key-usage.js';
import * as keyPolicies from './operations/key-policies.js';
import * as envelope from './operations/envelope.js';
import * as keys from './operations/keys.js';
import * as macRandom from './operations/mac-random.js';
import * as rotation from './operations/rotation.js';
import * as seeding from './operations/seeding.js';
import * as signing from './operations/signing.js';
import * as tags from './operations/tags.js';
import type { SeedCallOptions, SeedInput, SeedReport } from './seed/seed-types.js';
import { LazyDurableStore } from './store/durable/lazy-durable-store.js';
import { InMemorySimulatorStore } from './store/in-memory-store.js';
import type { SimulatorStore, SimulatorStoreTransaction } from './store/simulator-store.js';

export type { SimulatorCrypto, WebCryptoImplementation } from './crypto/crypto-option.js';
/** A port method's request and response types (so that new operations need no import lines here). */
type Req<M extends keyof KmsPort> = KmsPort[M] extends (input: infer I, ...rest: never[]) => unknown ? I : never;
type Res<M extends keyof KmsPort> = KmsPort[M] extends (...args: never[]) => Promise<infer R> ? R : never;

export interface SimulatedKmsOptions {
  /** Default `us-east-1`. */
  region?: string;
  /** 12 digits; default `111122223333`. */
  accountId?: string;
  /**
   * The cryptography (docs/kms-behaviour.md §16): `'node'` (the default) for native node:crypto — key pairs
   * generated off the event loop, RAW signatures through cached KeyObjects, node:crypto's random bytes and UUIDs —
   * or a WebCrypto implementation (`@peculiar/webcrypto`'s `Crypto`, `globalThis.crypto`, node:crypto's
   * `webcrypto`) used for key pairs, RAW signatures, random bytes and key IDs. Both read and write the same key
   * material, so keys made with one sign with the other. Anything else throws InvalidArgumentError.
   */
  crypto?: SimulatorCrypto;
  /** The time source; lazy key deletion follows it. Default `() => new Date()`. */
  clock?: () => Date;
  /** Where keys and aliases live; default a fresh in-memory store. */
  store?: SimulatorStore;
  /**
   * A state directory (created 0700 if absent): keys, aliases and tags persist there, key material encrypted,
   * shared with every other SimulatedKms and process on the same directory (docs/architecture.md, "Durable
   * state"). Needs the optional dependency lmdb. Opened on the first operation (or `ready()`); `close()` releases it.
   * Not together with `store`.
   */
  stateDir?: string;
  /**
   * Keys to seed (docs/kms-behaviour.md §17): a seed document's text (YAML or JSON) or its entries. Checked here
   * (an invalid seed throws InvalidArgumentError), applied before the first operation; if applying it fails (a
   * conflict with the store's keys), every operation rejects with that error.
   */
  seed?: SeedInput;
  /** How seed messages name `seed` (a file name, say); default `options.seed`. */
  seedSource?: string;
  /**
   * Fault injection for tests (docs/kms-behaviour.md §16): per-operation rules that throw a KMS exception before
   * the operation runs (`rate` from a seeded PRNG, or the `nth` call) and add `latencyMs`. Off without it.
   */
  faults?: FaultOptions | FaultPlan;
}

/**
 * An AWS KMS engine in process, implementing KmsPort with real WebCrypto keys. It refuses what AWS refuses, with
 * the same exception names and (where recorded) the same messages: docs/kms-behaviour.md is its specification.
 * One account in one Region; customer managed keys of Origin AWS_KMS only.
 *
 * This class is the facade: it checks its options, serialises writes, purges due keys, and hands each operation
 * to its module under operations/ over one EngineContext. Each write runs as one store transaction, the lazy
 * deletion of the keys whose DeletionDate the clock has passed (with their aliases and tags) included; reads
 * wait for earlier writes and that purge, then run concurrently. Nothing returned shares state with the store,
 * and no key material appears in any output, message or inspection of this object.
 */
export class SimulatedKms implements KmsPort {
  readonly region: string;
  readonly accountId: string;
  /** The seed of the `faults` PRNG (undefined without faults): give it back as `faults.seed` to replay a run. */
  readonly faultSeed: number | undefined;
  readonly #store: SimulatorStore;
  readonly #durable: LazyDurableStore | undefined;
  readonly #keyCrypto: KeyCrypto;
  readonly #ctx: EngineContext;
  #writes: Promise<unknown> = Promise.resolve();
  /** The seed of the options: every write (and so every read) waits for it. */
  #seeded: Promise<SeedReport | undefined> = Promise.resolve(undefined);
  #ready: Promise<unknown> | undefined;
  /** Writes called and not yet settled: while there are any, a read waits for them (the slow barrier). */
  #pendingWrites = 0;
  /** False until the seed of the options has been applied (forever, if applying it failed). */
  #seedApplied = true;

  constructor(options: SimulatedKmsOptions = {}) {
    if (typeof options !== 'object' || options === null) throw new InvalidArgumentError('SimulatedKms: options must be an object');
    const arns = new ArnScope(options.region ?? 'us-east-1', options.accountId ?? '111122223333');
    this.region = arns.region;
    this.accountId = arns.accountId;
    const crypto = cryptoBackend(options.crypto);
    const faults = options.faults === undefined ? undefined : FaultPlan.from(options.faults, 'SimulatedKms: faults');
    this.faultSeed = faults?.seed;
    const clock = options.clock ?? (() => new Date());
    if (typeof clock !== 'function') throw new InvalidArgumentError('SimulatedKms: clock must be a function returning a Date');
    this.#durable = durableStore(options, arns);
    this.#store = this.#durable ?? options.store ?? new InMemorySimulatorStore();
    if (!isStore(this.#store)) throw new InvalidArgumentError('SimulatedKms: store must implement SimulatorStore');
    this.#keyCrypto = new KeyCrypto(crypto);
    const markers = this.#durable?.markers ?? new MarkerCodec(crypto.getRandomValues(new Uint8Array(32)));
    const write = <T>(o: KmsCallOptions | undefined, fn: (tx: TransactionContext) => Promise<T>) => this.#write(o, fn);
    const runWrite = <T>(o: KmsCallOptions | undefined, fn: (tx: TransactionContext) => Promise<T>) =>
      this.#ready === undefined ? write(o, fn) : this.#ready.then(() => write(o, fn));
    const parts = { arns, crypto, clock, keyCrypto: this.#keyCrypto, markers };
    const readBarrier = (o: KmsCallOptions | undefined) => this.#readBarrier(o, runWrite);
    this.#ctx = new EngineContext({ ...parts, runWrite, readBarrier }, this.#store);
    keyUsage.trackKeyUsage(this, this.#store, this.#ctx);
    if (faults !== undefined) injectFaults(this, faults);
    if (options.seed !== undefined) {
      const source = options.seedSource ?? 'options.seed';
      const entries = seeding.readSeed(options.seed, source);
      this.#seedApplied = false;
      this.#seeded = seeding.applySeed(new EngineContext({ ...parts, runWrite: write }, this.#store), entries, source, undefined);
      this.#ready = this.#seeded;
      this.#seeded.then(
        () => void (this.#seedApplied = true),
        () => undefined, // reported by every operation and by seeded()
      );
    }
  }

  // ---- keys ---------------------------------------------------------------------------------------------------

  createKey(input: CreateKeyRequest, options?: KmsCallOptions): Promise<CreateKeyResponse> {
    return keys.createKey(this.#ctx, input, options);
  }

  describeKey(input: DescribeKeyRequest, options?: KmsCallOptions): Promise<DescribeKeyResponse> {
    return keys.describeKey(this.#ctx, input, options);
  }

  listKeys(input: ListKeysRequest, options?: KmsCallOptions): Promise<ListKeysResponse> {
    return keys.listKeys(this.#ctx, input, options);
  }

  enableKey(input: KeyIdRequest, options?: KmsCallOptions): Promise<void> {
    return keys.setKeyEnabled(this.#ctx, input, true, options);
  }

  disableKey(input: KeyIdRequest, options?: KmsCallOptions): Promise<void> {
    return keys.setKeyEnabled(this.#ctx, input, false, options);
  }

  scheduleKeyDeletion(input: ScheduleKeyDeletionRequest, options?: KmsCallOptions): Promise<ScheduleKeyDeletionResponse> {
    return keys.scheduleKeyDeletion(this.#ctx, input, options);
  }

  cancelKeyDeletion(input: KeyIdRequest, options?: KmsCallOptions): Promise<CancelKeyDeletionResponse> {
    return keys.cancelKeyDeletion(this.#ctx, input, options);
  }

  // ---- aliases ------------------------------------------------------------------------------------------------

  createAlias(input: CreateAliasRequest, options?: KmsCallOptions): Promise<void> {
    return aliases.createAlias(this.#ctx, input, options);
  }

  updateAlias(input: UpdateAliasRequest, options?: KmsCallOptions): Promise<void> {
    return aliases.updateAlias(this.#ctx, input, options);
  }

  deleteAlias(input: DeleteAliasRequest, options?: KmsCallOptions): Promise<void> {
    return aliases.deleteAlias(this.#ctx, input, options);
  }

  listAliases(input: ListAliasesRequest, options?: KmsCallOptions): Promise<ListAliasesResponse> {
    return aliases.listAliases(this.#ctx, input, options);
  }

  // ---- tags ---------------------------------------------------------------------------------------------------

  tagResource(input: TagResourceRequest, options?: KmsCallOptions): Promise<void> {
    return tags.tagResource(this.#ctx, input, options);
  }

  untagResource(input: UntagResourceRequest, options?: KmsCallOptions): Promise<void> {
    return tags.untagResource(this.#ctx, input, options);
  }

  listResourceTags(input: ListResourceTagsRequest, options?: KmsCallOptions): Promise<ListResourceTagsResponse> {
    return tags.listResourceTags(this.#ctx, input, options);
  }

  // ---- signing ------------------------------------------------------------------------------------------------

  getPublicKey(input: GetPublicKeyRequest, options?: KmsCallOptions): Promise<GetPublicKeyResponse> {
    return signing.getPublicKey(this.#ctx, input, options);
  }

  sign(input: SignRequest, options?: KmsCallOptions): Promise<SignResponse> {
    return signing.sign(this.#ctx, input, options);
  }

  verify(input: VerifyRequest, options?: KmsCallOptions): Promise<VerifyResponse> {
    return signing.verify(this.#ctx, input, options);
  }

  // ---- encryption, MAC and random -----------------------------------------------------------------------------

  encrypt(input: EncryptRequest, options?: KmsCallOptions): Promise<EncryptResponse> {
    return encryption.encrypt(this.#ctx, input, options);
  }

  decrypt(input: DecryptRequest, options?: KmsCallOptions): Promise<DecryptResponse> {
    return encryption.decrypt(this.#ctx, input, options);
  }

  generateDataKey(input: GenerateDataKeyRequest, options?: KmsCallOptions): Promise<GenerateDataKeyResponse> {
    return encryption.generateDataKey(this.#ctx, input, options);
  }

  generateMac(input: GenerateMacRequest, options?: KmsCallOptions): Promise<GenerateMacResponse> {
    return macRandom.generateMac(this.#ctx, input, options);
  }

  verifyMac(input: VerifyMacRequest, options?: KmsCallOptions): Promise<VerifyMacResponse> {
    return macRandom.verifyMac(this.#ctx, input, options);
  }

  generateRandom(input: GenerateRandomRequest, options?: KmsCallOptions): Promise<GenerateRandomResponse> {
    return macRandom.generateRandom(this.#ctx, input, options);
  }

  // ---- shared secrets (operations/key-agreement.ts), key last usage (operations/key-usage.ts) -------------------
  decapsulate(input: Port.DecapsulateRequest, options?: KmsCallOptions): Promise<Port.DecapsulateResponse> {
    return keyAgreement.decapsulate(this.#ctx, input, options);
  }
  deriveSharedSecret(input: Port.DeriveSharedSecretRequest, options?: KmsCallOptions): Promise<Port.DeriveSharedSecretResponse> {
    return keyAgreement.deriveSharedSecret(this.#ctx, input, options);
  }
  encapsulate(input: Port.EncapsulateRequest, options?: KmsCallOptions): Promise<Port.EncapsulateResponse> {
    return keyAgreement.encapsulate(this.#ctx, input, options);
  }
  getKeyLastUsage(input: Port.GetKeyLastUsageRequest, options?: KmsCallOptions): Promise<Port.GetKeyLastUsageResponse> {
    return keyUsage.getKeyLastUsage(this.#ctx, input, options);
  }
  // ---- key rotation (operations/rotation.ts) -----------------------------------------------------------------
  disableKeyRotation(input: KeyIdRequest, options?: KmsCallOptions): Promise<void> {
    return rotation.disableKeyRotation(this.#ctx, input, options);
  }
  enableKeyRotation(input: EnableKeyRotationRequest, options?: KmsCallOptions): Promise<void> {
    return rotation.enableKeyRotation(this.#ctx, input, options);
  }
  getKeyRotationStatus(input: KeyIdRequest, options?: KmsCallOptions): Promise<GetKeyRotationStatusResponse> {
    return rotation.getKeyRotationStatus(this.#ctx, input, options);
  }
  listKeyRotations(input: ListKeyRotationsRequest, options?: KmsCallOptions): Promise<ListKeyRotationsResponse> {
    return rotation.listKeyRotations(this.#ctx, input, options);
  }
  rotateKeyOnDemand(input: KeyIdRequest, options?: KmsCallOptions): Promise<RotateKeyOnDemandResponse> {
    return rotation.rotateKeyOnDemand(this.#ctx, input, options);
  }
  // ---- key policies and description (one line each: this file is near its 400-line limit) -------------------

  getKeyPolicy(input: Req<'getKeyPolicy'>, options?: KmsCallOptions): Promise<Res<'getKeyPolicy'>> { return keyPolicies.getKeyPolicy(this.#ctx, input, options); }
  listKeyPolicies(input: Req<'listKeyPolicies'>, options?: KmsCallOptions): Promise<Res<'listKeyPolicies'>> { return keyPolicies.listKeyPolicies(this.#ctx, input, options); }
  putKeyPolicy(input: Req<'putKeyPolicy'>, options?: KmsCallOptions): Promise<Res<'putKeyPolicy'>> { return keyPolicies.putKeyPolicy(this.#ctx, input, options); }
  updateKeyDescription(input: Req<'updateKeyDescription'>, options?: KmsCallOptions): Promise<Res<'updateKeyDescription'>> { return keyPolicies.updateKeyDescription(this.#ctx, input, options); }
  // ---- envelope encryption (operations/envelope.ts; typed by the port, to keep this file under 400 lines) -----

  readonly reEncrypt: KmsPort['reEncrypt'] = (input, options) => envelope.reEncrypt(this.#ctx, input, options);
  readonly generateDataKeyWithoutPlaintext: KmsPort['generateDataKeyWithoutPlaintext'] = (input, options) =>
    envelope.generateDataKeyWithoutPlaintext(this.#ctx, input, options);
  readonly generateDataKeyPair: KmsPort['generateDataKeyPair'] = (input, options) =>
    envelope.generateDataKeyPair(this.#ctx, input, options);
  readonly generateDataKeyPairWithoutPlaintext: KmsPort['generateDataKeyPairWithoutPlaintext'] = (input, options) =>
    envelope.generateDataKeyPairWithoutPlaintext(this.#ctx, input, options);

  // ---- seeding ------------------------------------------------------------------------------------------------

  /**
   * Creates (or re-applies) the keys of a seed (docs/kms-behaviour.md §17): a seed document's text (YAML or JSON)
   * or its entries. One transaction: all of it or nothing. Entries of another Region or account are skipped.
   */
  seed(input: SeedInput, options?: SeedCallOptions): Promise<SeedReport> {
    return seeding.seed(this.#ctx, input, options);
  }

  /** The report of the `seed` option (undefined without one); rejects with its failure. */
  seeded(): Promise<SeedReport | undefined> {
    return this.#seeded;
  }

  // ---- lifecycle ----------------------------------------------------------------------------------------------

  /**
   * Resolves once the state directory (`stateDir`) is open; rejects with the SimulatorStateError that says why it
   * cannot be (lmdb missing, permissions, schema, key file). In memory: resolves at once.
   */
  async ready(): Promise<void> {
    await this.#durable?.ready();
  }

  /**
   * Waits for the seed of the options and the writes under way, then releases the state directory; later calls
   * reject. In memory: nothing to release.
   */
  async close(): Promise<void> {
    await this.#seeded.catch(() => undefined);
    await this.#writes;
    await this.#durable?.close();
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

  // ---- writes -------------------------------------------------------------------------------------------------

  /**
   * Runs `fn` after every earlier write, as one store transaction that first deletes the keys that are due and
   * rotates the keys that are due (operations/clock-due.ts). The runtime handles of the deleted keys are dropped
   * once that transaction has committed.
   */
  #write<T>(options: KmsCallOptions | undefined, fn: (tx: TransactionContext) => Promise<T>): Promise<T> {
    try {
      options?.abortSignal?.throwIfAborted();
    } catch (e) {
      return Promise.reject(e);
    }
    this.#pendingWrites += 1;
    const run = this.#writes.then(async () => {
      let purged: string[] = [];
      const result = await this.#store.transaction(async (tx) => {
        purged = await runDueWork(this.#ctx.within(tx));
        return fn(this.#ctx.within(tx));
      });
      for (const keyId of purged) this.#keyCrypto.forget(keyId);
      return result;
    });
    const settled = (): void => void (this.#pendingWrites -= 1);
    this.#writes = run.then(settled, settled);
    return run;
  }

  /**
   * Before a read: every earlier write has committed and every deletion and rotation that is due has happened.
   * With no write pending and nothing due (two index reads), that holds already and no transaction is needed;
   * otherwise the read waits for an empty write, which does what is due.
   */
  async #readBarrier(options: KmsCallOptions | undefined, runWrite: WriteRunner): Promise<void> {
    options?.abortSignal?.throwIfAborted();
    if (this.#pendingWrites === 0 && this.#seedApplied) {
      if (!(await somethingDue(this.#store, this.#ctx.now()))) return;
    }
    await runWrite(options, async () => undefined);
  }
}

/** The store of the `stateDir` option, if given (checked: a non-empty string, not together with `store`). */
function durableStore(options: SimulatedKmsOptions, arns: ArnScope): LazyDurableStore | undefined {
  const { stateDir } = options;
  if (stateDir === undefined) return undefined;
  if (typeof stateDir !== 'string' || stateDir === '') {
    throw new InvalidArgumentError('SimulatedKms: stateDir must be a non-empty string (a directory path)');
  }
  if (options.store !== undefined) throw new InvalidArgumentError('SimulatedKms: give either stateDir or store, not both');
  return new LazyDurableStore(stateDir, arns.accountId, arns.region);
}

function isStore(store: unknown): store is SimulatorStore {
  const s = store as Partial<SimulatorStore> | null | undefined;
  return typeof s?.getKey === 'function' && typeof s.listAliases === 'function' && typeof s.transaction === 'function';
}
