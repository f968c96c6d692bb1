import { MarkerCodec } from '../../model/pagination.js';
import type {
  AliasRecord,
  CustomKeyStoreRecord,
  GrantRecord,
  KeyMaterial,
  KeyRecord,
  SimulatorStore,
  SimulatorStoreTransaction,
} from '../simulator-store.js';
import { openSimulatorState, type SimulatorState } from './simulator-state.js';
import { SimulatorStateError } from './state-errors.js';

/**
 * The marker codec of a SimulatedKms over a state directory: its secret comes from the directory's key file, so
 * it is known only once the directory is open. Every listing opens the store (its read barrier) before it
 * encodes or decodes a marker, so the codec is always set by then.
 */
export class DeferredMarkerCodec extends MarkerCodec {
  #codec: MarkerCodec | undefined;

  constructor() {
    super(new Uint8Array(32)); // never used: encode and decode below go to the directory's codec
  }

  set(secret: Uint8Array): void {
    this.#codec = new MarkerCodec(secret);
    secret.fill(0);
  }

  override encode(scope: string, position: string): string {
    return this.#ready().encode(scope, position);
  }

  override decode(scope: string, marker: string): string {
    return this.#ready().decode(scope, marker);
  }

  #ready(): MarkerCodec {
    if (this.#codec === undefined) throw new Error('SimulatedKms: a marker was used before the state directory was open');
    return this.#codec;
  }
}

/**
 * The store of a `SimulatedKms({ stateDir })`: the constructor is synchronous, so the directory is opened on the
 * first operation (or `ready()`); an open that fails is reported by that call (a SimulatorStateError) and tried
 * again by the next. `close()` releases the directory; afterwards every call rejects.
 */
export class LazyDurableStore implements SimulatorStore {
  readonly markers = new DeferredMarkerCodec();
  readonly #directory: string;
  readonly #accountId: string;
  readonly #region: string;
  #opening: Promise<{ state: SimulatorState; store: SimulatorStore }> | undefined;
  #closed: Promise<void> | undefined;

  constructor(directory: string, accountId: string, region: string) {
    this.#directory = directory;
    this.#accountId = accountId;
    this.#region = region;
  }

  async ready(): Promise<void> {
    await this.#store();
  }

  close(): Promise<void> {
    this.#closed ??= (async () => {
      const opening = this.#opening;
      if (opening === undefined) return;
      const opened = await opening.catch(() => undefined);
      await opened?.state.close();
    })();
    return this.#closed;
  }

  async transaction<T>(fn: (tx: SimulatorStoreTransaction) => Promise<T>): Promise<T> {
    return (await this.#store()).transaction(fn);
  }

  async getKey(keyId: string): Promise<KeyRecord | undefined> {
    return (await this.#store()).getKey(keyId);
  }

  async getKeyMaterial(keyId: string, keyMaterialId?: string): Promise<KeyMaterial | undefined> {
    return (await this.#store()).getKeyMaterial(keyId, keyMaterialId);
  }

  async listKeys(page: { after?: string; limit: number }): Promise<KeyRecord[]> {
    return (await this.#store()).listKeys(page);
  }

  async keysDueForDeletion(now: Date): Promise<string[]> {
    return (await this.#store()).keysDueForDeletion(now);
  }

  async keysDueForRotation(now: Date): Promise<string[]> {
    return (await this.#store()).keysDueForRotation(now);
  }

  async getAlias(aliasName: string): Promise<AliasRecord | undefined> {
    return (await this.#store()).getAlias(aliasName);
  }

  async listAliases(page: { after?: string; limit: number; targetKeyId?: string }): Promise<AliasRecord[]> {
    return (await this.#store()).listAliases(page);
  }

  async countAliases(targetKeyId: string): Promise<number> {
    return (await this.#store()).countAliases(targetKeyId);
  }

  async getGrant(keyId: string, grantId: string): Promise<GrantRecord | undefined> {
    return (await this.#store()).getGrant(keyId, grantId);
  }

  async listGrants(page: { keyId?: string; after?: string; limit: number }): Promise<GrantRecord[]> {
    return (await this.#store()).listGrants(page);
  }

  async getCustomKeyStore(customKeyStoreId: string): Promise<CustomKeyStoreRecord | undefined> {
    return (await this.#store()).getCustomKeyStore(customKeyStoreId);
  }

  async listCustomKeyStores(page: { after?: string; limit: number }): Promise<CustomKeyStoreRecord[]> {
    return (await this.#store()).listCustomKeyStores(page);
  }

  [Symbol.for('nodejs.util.inspect.custom')](): string {
    return `LazyDurableStore { directory: '${this.#directory}' }`;
  }

  toJSON(): { directory: string } {
    return { directory: this.#directory };
  }

  async #store(): Promise<SimulatorStore> {
    if (this.#closed !== undefined) {
      throw new SimulatorStateError('ERR_STATE_CLOSED', this.#directory, `SimulatedKms: closed (state directory ${this.#directory})`);
    }
    this.#opening ??= this.#open();
    const opening = this.#opening;
    try {
      return (await opening).store;
    } catch (error) {
      if (this.#opening === opening) this.#opening = undefined; // the next call tries again
      throw error;
    }
  }

  async #open(): Promise<{ state: SimulatorState; store: SimulatorStore }> {
    const state = await openSimulatorState(this.#directory);
    try {
      this.markers.set(state.markerSecret(this.#accountId, this.#region));
      return { state, store: state.partition(this.#accountId, this.#region) };
    } catch (error) {
      await state.close();
      throw error;
    }
  }
}
