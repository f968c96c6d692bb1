import type { KmsPort } from '../../ports/kms.port.js';
import { InvalidArgumentError } from '../../domain/errors.js';
import type { EngineContext } from './engine-context.js';
import type { SimulatedKmsOptions } from './simulated-kms-options.js';

/**
 * The Regions of one simulated account (docs/kms-behaviour.md §25): one SimulatedKms per Region, each with its own
 * store, so that ReplicateKey and UpdatePrimaryRegion reach the key's other Regions. A SimulatedKms constructed
 * with `regions` joins the registry; the registry makes the SimulatedKms of a Region it does not have yet with its
 * factory. Nothing here holds key material: members are reached only through their engines and their stores.
 */

/** One Region's simulator: the port users call and the engine the multi-Region operations write through. */
export interface RegionMember {
  readonly kms: KmsPort & { close?: () => Promise<void> };
  readonly engine: EngineContext;
}

export class SimulatorRegions {
  readonly accountId: string;
  readonly #members = new Map<string, RegionMember>();
  readonly #make: (region: string) => unknown;
  /** The members the factory made (and `close` closes). */
  readonly #made: RegionMember[] = [];

  /**
   * `make(region)` builds the SimulatedKms of `region`, constructed with `regions: this` (it joins on
   * construction). startSimulatorServer gives its partitions of one account one registry this way.
   */
  constructor(accountId: string, make: (region: string) => unknown) {
    if (typeof make !== 'function') throw new InvalidArgumentError('SimulatorRegions: make must be a function (region) => SimulatedKms');
    this.accountId = accountId;
    this.#make = make;
  }

  /** Called by the constructor of a SimulatedKms given this registry. */
  join(region: string, accountId: string, member: RegionMember): void {
    if (accountId !== this.accountId) {
      throw new InvalidArgumentError(`SimulatorRegions: a SimulatedKms of account ${accountId} cannot join the Regions of account ${this.accountId}`);
    }
    if (this.#members.has(region)) throw new InvalidArgumentError(`SimulatorRegions: the Region ${region} of account ${accountId} has a SimulatedKms already`);
    this.#members.set(region, member);
  }

  /** The member of `region`, made on first use. */
  member(region: string): RegionMember {
    const known = this.#members.get(region);
    if (known !== undefined) return known;
    this.#make(region);
    const made = this.#members.get(region);
    if (made === undefined) throw new InvalidArgumentError(`SimulatorRegions: make('${region}') did not build a SimulatedKms with these regions`);
    this.#made.push(made);
    return made;
  }

  /** Closes the members the factory made (a standalone SimulatedKms's siblings). */
  async close(): Promise<void> {
    await Promise.allSettled(this.#made.map((m) => m.kms.close?.()));
  }

  /** Only the account and the Regions: no keys, no stores. */
  toJSON(): { accountId: string; regions: string[] } {
    return { accountId: this.accountId, regions: [...this.#members.keys()] };
  }

  [Symbol.for('nodejs.util.inspect.custom')](): string {
    return `SimulatorRegions { accountId: '${this.accountId}', regions: ${JSON.stringify([...this.#members.keys()])} }`;
  }
}

/**
 * A SimulatedKms's link to the Regions of its account: the `regions` option, or (standalone) a registry made on
 * first use whose siblings are built with the same options (crypto, clock, accountId, stateDir, faults) but another
 * Region, no seed, and their own in-memory store when the options gave a `store`.
 */
export class RegionLink {
  readonly #options: SimulatedKmsOptions;
  readonly #build: (options: SimulatedKmsOptions) => unknown;
  #self: { region: string; accountId: string; member: RegionMember } | undefined;
  #owned: SimulatorRegions | undefined;

  constructor(options: SimulatedKmsOptions, build: (options: SimulatedKmsOptions) => unknown) {
    if (options.regions !== undefined && !(options.regions instanceof SimulatorRegions)) {
      throw new InvalidArgumentError('SimulatedKms: regions must be a SimulatorRegions');
    }
    this.#options = options;
    this.#build = build;
  }

  /** The facade joins once its engine exists; with a `regions` option, at once. */
  join(region: string, accountId: string, member: RegionMember): void {
    this.#self = { region, accountId, member };
    this.#options.regions?.join(region, accountId, member);
  }

  get registry(): SimulatorRegions {
    if (this.#options.regions !== undefined) return this.#options.regions;
    if (this.#owned === undefined) {
      const self = this.#self;
      if (self === undefined) throw new InvalidArgumentError('SimulatedKms: the Regions were used before construction ended');
      // A given store belongs to one Region: siblings get their own, in memory.
      const { seed: _seed, seedSource: _source, store: _store, regions: _regions, ...shared } = this.#options;
      const owned: SimulatorRegions = new SimulatorRegions(self.accountId, (region: string): unknown => this.#build({ ...shared, region, regions: owned }));
      owned.join(self.region, self.accountId, self.member);
      this.#owned = owned;
      return owned;
    }
    return this.#owned;
  }

  /** Closes the siblings this link's own registry made. */
  async close(): Promise<void> {
    await this.#owned?.close();
  }
}
