import type { KmsCallOptions, KmsPort } from '../../ports/kms.port.js';
import { InvalidArgumentError } from '../../domain/errors.js';
import { cryptoBackend, type SimulatorCrypto } from './crypto/crypto-option.js';
import { KeyCrypto } from './crypto/signer.js';
import { EngineContext, type TransactionContext, type WriteRunner } from './engine-context.js';
import { ArnScope } from './model/identifiers.js';
import { MarkerCodec } from './model/pagination.js';
import { injectFaults } from './faults/fault-injection.js';
import { FaultPlan, type FaultOptions } from './faults/fault-plan.js';
import * as aliases from './operations/aliases.js';
import * as customKeyStores from './operations/custom-key-stores.js';
import { runDueWork, somethingDue } from './operations/clock-due.js';
import * as encryption from './operations/encryption.js';
import * as keyAgreement from './operations/key-agreement.js';
import * as keyUsage from './operations/key-usage.js';
import * as keyPolicies from './operations/key-policies.js';
import * as envelope from './operations/envelope.js';
import * as grants from './operations/grants.js';
import * as keys from './operations/keys.js';
import * as keyImport from './operations/key-import.js';
import * as macRandom from './operations/mac-random.js';
import * as multiRegion from './operations/multi-region.js';
import * as rotation from './operations/rotation.js';
import * as seeding from './operations/seeding.js';
import * as signing from './operations/signing.js';
import * as tags from './operations/tags.js';
import type { SeedCallOptions, SeedInput, SeedReport } from './seed/seed-types.js';
import type { LazyDurableStore } from './store/durable/lazy-durable-store.js';
import { InMemorySimulatorStore } from './store/in-memory-store.js';
import type { SimulatorStore, SimulatorStoreTransaction } from './store/simulator-store.js';
import { RegionLink } from './simulator-regions.js';

export type { SimulatorCrypto, WebCryptoImplementation } from './crypto/crypto-option.js';
/** A port method's request and response types (so that new operations need no import lines here). */
type Req<M extends keyof KmsPort> = KmsPort[M] extends (input: infer I, ...rest: never[]) => unknown ? I : never;
type Res<M extends keyof KmsPort> = KmsPort[M] extends (...args: never[]) => Promise<infer R> ? R : never;

import { type SimulatedKmsOptions, authorizerOf, durableStore, isStore } from './simulated-kms-options.js';
import { callerView } from './caller-view.js';
export type { SimulatedKmsOptions } from './simulated-kms-options.js';

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
  readonly #enforcing: boolean;

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
    const regions = new RegionLink(options, (o) => new SimulatedKms(o));
    const parts = { arns, crypto, clock, keyCrypto: this.#keyCrypto, markers, regions };
    const readBarrier = (o: KmsCallOptions | undefined) => this.#readBarrier(o, runWrite);
    const authorizer = authorizerOf(options); // enforcePolicies (docs/kms-behaviour.md §26)
    this.#enforcing = authorizer !== undefined;
    this.#ctx = new EngineContext({ ...parts, runWrite, readBarrier, ...(authorizer && { authorizer }) }, this.#store);
    regions.join(arns.region, arns.accountId, { kms: this, engine: this.#ctx });
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
  createKey(input: Req<'createKey'>, options?: KmsCallOptions): Promise<Res<'createKey'>> {
    return keys.createKey(this.#ctx, input, options);
  }
  describeKey(input: Req<'describeKey'>, options?: KmsCallOptions): Promise<Res<'describeKey'>> {
    return keys.describeKey(this.#ctx, input, options);
  }
  listKeys(input: Req<'listKeys'>, options?: KmsCallOptions): Promise<Res<'listKeys'>> {
    return keys.listKeys(this.#ctx, input, options);
  }
  enableKey(input: Req<'enableKey'>, options?: KmsCallOptions): Promise<void> {
    return keys.setKeyEnabled(this.#ctx, input, true, options);
  }
  disableKey(input: Req<'disableKey'>, options?: KmsCallOptions): Promise<void> {
    return keys.setKeyEnabled(this.#ctx, input, false, options);
  }
  scheduleKeyDeletion(input: Req<'scheduleKeyDeletion'>, options?: KmsCallOptions): Promise<Res<'scheduleKeyDeletion'>> {
    return keys.scheduleKeyDeletion(this.#ctx, input, options);
  }
  cancelKeyDeletion(input: Req<'cancelKeyDeletion'>, options?: KmsCallOptions): Promise<Res<'cancelKeyDeletion'>> {
    return keys.cancelKeyDeletion(this.#ctx, input, options);
  }

  // ---- aliases ------------------------------------------------------------------------------------------------
  createAlias(input: Req<'createAlias'>, options?: KmsCallOptions): Promise<void> {
    return aliases.createAlias(this.#ctx, input, options);
  }
  updateAlias(input: Req<'updateAlias'>, options?: KmsCallOptions): Promise<void> {
    return aliases.updateAlias(this.#ctx, input, options);
  }
  deleteAlias(input: Req<'deleteAlias'>, options?: KmsCallOptions): Promise<void> {
    return aliases.deleteAlias(this.#ctx, input, options);
  }
  listAliases(input: Req<'listAliases'>, options?: KmsCallOptions): Promise<Res<'listAliases'>> {
    return aliases.listAliases(this.#ctx, input, options);
  }

  // ---- tags ---------------------------------------------------------------------------------------------------
  tagResource(input: Req<'tagResource'>, options?: KmsCallOptions): Promise<void> {
    return tags.tagResource(this.#ctx, input, options);
  }
  untagResource(input: Req<'untagResource'>, options?: KmsCallOptions): Promise<void> {
    return tags.untagResource(this.#ctx, input, options);
  }
  listResourceTags(input: Req<'listResourceTags'>, options?: KmsCallOptions): Promise<Res<'listResourceTags'>> {
    return tags.listResourceTags(this.#ctx, input, options);
  }

  // ---- signing ------------------------------------------------------------------------------------------------
  getPublicKey(input: Req<'getPublicKey'>, options?: KmsCallOptions): Promise<Res<'getPublicKey'>> {
    return signing.getPublicKey(this.#ctx, input, options);
  }
  sign(input: Req<'sign'>, options?: KmsCallOptions): Promise<Res<'sign'>> {
    return signing.sign(this.#ctx, input, options);
  }
  verify(input: Req<'verify'>, options?: KmsCallOptions): Promise<Res<'verify'>> {
    return signing.verify(this.#ctx, input, options);
  }

  // ---- encryption, MAC and random -----------------------------------------------------------------------------
  encrypt(input: Req<'encrypt'>, options?: KmsCallOptions): Promise<Res<'encrypt'>> {
    return encryption.encrypt(this.#ctx, input, options);
  }
  decrypt(input: Req<'decrypt'>, options?: KmsCallOptions): Promise<Res<'decrypt'>> {
    return encryption.decrypt(this.#ctx, input, options);
  }
  generateDataKey(input: Req<'generateDataKey'>, options?: KmsCallOptions): Promise<Res<'generateDataKey'>> {
    return encryption.generateDataKey(this.#ctx, input, options);
  }
  generateMac(input: Req<'generateMac'>, options?: KmsCallOptions): Promise<Res<'generateMac'>> {
    return macRandom.generateMac(this.#ctx, input, options);
  }
  verifyMac(input: Req<'verifyMac'>, options?: KmsCallOptions): Promise<Res<'verifyMac'>> {
    return macRandom.verifyMac(this.#ctx, input, options);
  }
  generateRandom(input: Req<'generateRandom'>, options?: KmsCallOptions): Promise<Res<'generateRandom'>> {
    return macRandom.generateRandom(this.#ctx, input, options);
  }

  // ---- shared secrets (operations/key-agreement.ts), key last usage (operations/key-usage.ts) -------------------
  decapsulate(input: Req<'decapsulate'>, options?: KmsCallOptions): Promise<Res<'decapsulate'>> {
    return keyAgreement.decapsulate(this.#ctx, input, options);
  }
  deriveSharedSecret(input: Req<'deriveSharedSecret'>, options?: KmsCallOptions): Promise<Res<'deriveSharedSecret'>> {
    return keyAgreement.deriveSharedSecret(this.#ctx, input, options);
  }
  encapsulate(input: Req<'encapsulate'>, options?: KmsCallOptions): Promise<Res<'encapsulate'>> {
    return keyAgreement.encapsulate(this.#ctx, input, options);
  }
  getKeyLastUsage(input: Req<'getKeyLastUsage'>, options?: KmsCallOptions): Promise<Res<'getKeyLastUsage'>> {
    return keyUsage.getKeyLastUsage(this.#ctx, input, options);
  }
  // ---- key rotation (operations/rotation.ts) -----------------------------------------------------------------
  disableKeyRotation(input: Req<'disableKeyRotation'>, options?: KmsCallOptions): Promise<void> {
    return rotation.disableKeyRotation(this.#ctx, input, options);
  }
  enableKeyRotation(input: Req<'enableKeyRotation'>, options?: KmsCallOptions): Promise<void> {
    return rotation.enableKeyRotation(this.#ctx, input, options);
  }
  getKeyRotationStatus(input: Req<'getKeyRotationStatus'>, options?: KmsCallOptions): Promise<Res<'getKeyRotationStatus'>> {
    return rotation.getKeyRotationStatus(this.#ctx, input, options);
  }
  listKeyRotations(input: Req<'listKeyRotations'>, options?: KmsCallOptions): Promise<Res<'listKeyRotations'>> {
    return rotation.listKeyRotations(this.#ctx, input, options);
  }
  rotateKeyOnDemand(input: Req<'rotateKeyOnDemand'>, options?: KmsCallOptions): Promise<Res<'rotateKeyOnDemand'>> {
    return rotation.rotateKeyOnDemand(this.#ctx, input, options);
  }
  // ---- key policies and description (operations/key-policies.ts) ---------------------------------------------
  getKeyPolicy(input: Req<'getKeyPolicy'>, options?: KmsCallOptions): Promise<Res<'getKeyPolicy'>> {
    return keyPolicies.getKeyPolicy(this.#ctx, input, options);
  }
  listKeyPolicies(input: Req<'listKeyPolicies'>, options?: KmsCallOptions): Promise<Res<'listKeyPolicies'>> {
    return keyPolicies.listKeyPolicies(this.#ctx, input, options);
  }
  putKeyPolicy(input: Req<'putKeyPolicy'>, options?: KmsCallOptions): Promise<Res<'putKeyPolicy'>> {
    return keyPolicies.putKeyPolicy(this.#ctx, input, options);
  }
  updateKeyDescription(input: Req<'updateKeyDescription'>, options?: KmsCallOptions): Promise<Res<'updateKeyDescription'>> {
    return keyPolicies.updateKeyDescription(this.#ctx, input, options);
  }
  // ---- envelope encryption (operations/envelope.ts) --------------------------------------------------------------
  reEncrypt(input: Req<'reEncrypt'>, options?: KmsCallOptions): Promise<Res<'reEncrypt'>> {
    return envelope.reEncrypt(this.#ctx, input, options);
  }
  generateDataKeyWithoutPlaintext(input: Req<'generateDataKeyWithoutPlaintext'>, options?: KmsCallOptions): Promise<Res<'generateDataKeyWithoutPlaintext'>> {
    return envelope.generateDataKeyWithoutPlaintext(this.#ctx, input, options);
  }
  generateDataKeyPair(input: Req<'generateDataKeyPair'>, options?: KmsCallOptions): Promise<Res<'generateDataKeyPair'>> {
    return envelope.generateDataKeyPair(this.#ctx, input, options);
  }
  generateDataKeyPairWithoutPlaintext(
    input: Req<'generateDataKeyPairWithoutPlaintext'>,
    options?: KmsCallOptions,
  ): Promise<Res<'generateDataKeyPairWithoutPlaintext'>> {
    return envelope.generateDataKeyPairWithoutPlaintext(this.#ctx, input, options);
  }
  // ---- imported key material (operations/key-import.ts) ---------------------------------------------------------
  deleteImportedKeyMaterial(input: Req<'deleteImportedKeyMaterial'>, options?: KmsCallOptions): Promise<Res<'deleteImportedKeyMaterial'>> {
    return keyImport.deleteImportedKeyMaterial(this.#ctx, input, options);
  }
  getParametersForImport(input: Req<'getParametersForImport'>, options?: KmsCallOptions): Promise<Res<'getParametersForImport'>> {
    return keyImport.getParametersForImport(this.#ctx, input, options);
  }
  importKeyMaterial(input: Req<'importKeyMaterial'>, options?: KmsCallOptions): Promise<Res<'importKeyMaterial'>> {
    return keyImport.importKeyMaterial(this.#ctx, input, options);
  }

  // ---- grants (operations/grants.ts, docs/kms-behaviour.md §22) -----------------------------------------------
  createGrant(input: Req<'createGrant'>, options?: KmsCallOptions): Promise<Res<'createGrant'>> {
    return grants.createGrant(this.#ctx, input, options);
  }
  listGrants(input: Req<'listGrants'>, options?: KmsCallOptions): Promise<Res<'listGrants'>> {
    return grants.listGrants(this.#ctx, input, options);
  }
  listRetirableGrants(input: Req<'listRetirableGrants'>, options?: KmsCallOptions): Promise<Res<'listRetirableGrants'>> {
    return grants.listRetirableGrants(this.#ctx, input, options);
  }
  retireGrant(input: Req<'retireGrant'>, options?: KmsCallOptions): Promise<void> {
    return grants.retireGrant(this.#ctx, input, options);
  }
  revokeGrant(input: Req<'revokeGrant'>, options?: KmsCallOptions): Promise<void> {
    return grants.revokeGrant(this.#ctx, input, options);
  }

  // ---- custom key stores (operations/custom-key-stores.ts) -----------------------------------------------------
  connectCustomKeyStore(input: Req<'connectCustomKeyStore'>, options?: KmsCallOptions): Promise<void> {
    return customKeyStores.connectCustomKeyStore(this.#ctx, input, options);
  }
  createCustomKeyStore(input: Req<'createCustomKeyStore'>, options?: KmsCallOptions): Promise<Res<'createCustomKeyStore'>> {
    return customKeyStores.createCustomKeyStore(this.#ctx, input, options);
  }
  deleteCustomKeyStore(input: Req<'deleteCustomKeyStore'>, options?: KmsCallOptions): Promise<void> {
    return customKeyStores.deleteCustomKeyStore(this.#ctx, input, options);
  }
  describeCustomKeyStores(input: Req<'describeCustomKeyStores'>, options?: KmsCallOptions): Promise<Res<'describeCustomKeyStores'>> {
    return customKeyStores.describeCustomKeyStores(this.#ctx, input, options);
  }
  disconnectCustomKeyStore(input: Req<'disconnectCustomKeyStore'>, options?: KmsCallOptions): Promise<void> {
    return customKeyStores.disconnectCustomKeyStore(this.#ctx, input, options);
  }
  updateCustomKeyStore(input: Req<'updateCustomKeyStore'>, options?: KmsCallOptions): Promise<void> {
    return customKeyStores.updateCustomKeyStore(this.#ctx, input, options);
  }

  /** This simulator as `principal` (an IAM root, user or role ARN) calls it: caller-view.ts, needs `enforcePolicies`. */
  as(principal: string): KmsPort {
    return callerView(this, principal, this.accountId, this.#enforcing);
  }
  // ---- multi-Region keys (operations/multi-region.ts, docs/kms-behaviour.md §25) -----------------------------------
  replicateKey(input: Req<'replicateKey'>, options?: KmsCallOptions): Promise<Res<'replicateKey'>> { return multiRegion.replicateKey(this.#ctx, input, options); }
  updatePrimaryRegion(input: Req<'updatePrimaryRegion'>, options?: KmsCallOptions): Promise<void> { return multiRegion.updatePrimaryRegion(this.#ctx, input, options); }
  /** The SimulatedKms of this account in `region` (where ReplicateKey puts replicas): made on first use, these options but the Region. */
  inRegion(region: string): SimulatedKms { return this.#ctx.regions.registry.member(region).kms as SimulatedKms; }

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
    await this.#ctx.regions.close();
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
