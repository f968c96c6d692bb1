/** The options of `new SimulatedKms(options)` (src/adapters/simulator/simulated-kms.ts). */
import { InvalidArgumentError } from '../../domain/errors.js';
import type { SimulatorCrypto } from './crypto/crypto-option.js';
import type { ArnScope } from './model/identifiers.js';
import type { KeyAuthorizer } from './engine-context.js';
import { POLICY_AUTHORIZER } from './operations/authorization.js';
import { LazyDurableStore } from './store/durable/lazy-durable-store.js';
import type { FaultOptions, FaultPlan } from './faults/fault-plan.js';
import type { SeedInput } from './seed/seed-types.js';
import type { SimulatorStore } from './store/simulator-store.js';
import type { SimulatorRegions } from './simulator-regions.js';

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
  /**
   * Authorization (docs/kms-behaviour.md §26): every key is used only when its key policy or a grant allows the
   * caller — the principal of an `as(principal)` view, else the account root —, an explicit Deny winning, refusals
   * AccessDeniedException naming the missing permission. Default false: no access decision at all.
   */
  enforcePolicies?: boolean;
  /**
   * The Regions of this account (docs/kms-behaviour.md §25), which this SimulatedKms joins: where ReplicateKey
   * finds the replica's Region. Default: its own registry, made on first use, whose siblings share these options
   * but the Region (`inRegion(region)`).
   */
  regions?: SimulatorRegions;
}

export /** The store of the `stateDir` option, if given (checked: a non-empty string, not together with `store`). */
function durableStore(options: SimulatedKmsOptions, arns: ArnScope): LazyDurableStore | undefined {
  const { stateDir } = options;
  if (stateDir === undefined) return undefined;
  if (typeof stateDir !== 'string' || stateDir === '') {
    throw new InvalidArgumentError('SimulatedKms: stateDir must be a non-empty string (a directory path)');
  }
  if (options.store !== undefined) throw new InvalidArgumentError('SimulatedKms: give either stateDir or store, not both');
  return new LazyDurableStore(stateDir, arns.accountId, arns.region);
}

export function isStore(store: unknown): store is SimulatorStore {
  const s = store as Partial<SimulatorStore> | null | undefined;
  return typeof s?.getKey === 'function' && typeof s.listAliases === 'function' && typeof s.transaction === 'function';
}

/** The authorizer of the `enforcePolicies` option (a boolean, default false): undefined without it. */
export function authorizerOf(options: SimulatedKmsOptions): KeyAuthorizer | undefined {
  const { enforcePolicies = false } = options;
  if (typeof enforcePolicies !== 'boolean') throw new InvalidArgumentError('SimulatedKms: enforcePolicies must be true or false');
  return enforcePolicies ? POLICY_AUTHORIZER : undefined;
}
