import { resolve } from 'node:path';
import { InvalidArgumentError } from '../../../../domain/errors.js';
import { ArnScope } from '../../model/identifiers.js';
import type { SimulatorStore } from '../simulator-store.js';
import { DurableSimulatorStore } from './durable-store.js';
import { PartitionSpace } from './key-space.js';
import { loadLmdb } from './lmdb-loader.js';
import { prepareDirectory } from './state-directory.js';
import { StateEnvironment } from './state-environment.js';
import { SimulatorStateError } from './state-errors.js';

/**
 * An open state directory: one lmdb environment for every account × Region, shared by every SimulatorState (and
 * every `SimulatedKms({ stateDir })`) of this process on the same directory, and by other processes.
 */
export interface SimulatorState {
  /** The directory as given to `openSimulatorState`. */
  readonly directory: string;
  /** The store of one account × Region (isolated like KMS: no read or listing crosses partitions). */
  partition(accountId: string, region: string): SimulatorStore;
  /**
   * The global write counter: incremented by every committed transaction of any process on this directory (one
   * read, cheap). A change means something may have changed — a key rotated by another process, say.
   */
  generation(): number;
  /**
   * The pagination-marker secret of one partition, derived from the directory's key file: NextMarkers stay valid
   * across processes and restarts on this directory. Secret: for a MarkerCodec only.
   */
  markerSecret(accountId: string, region: string): Uint8Array;
  /** Releases this handle; the environment closes with the last handle of the process. Idempotent. */
  close(): Promise<void>;
}

interface Entry {
  /** The environment, once open (an open that fails removes the entry). */
  readonly ready: Promise<StateEnvironment>;
  handles: number;
}

/** Open (or opening) environments of this process by real path. */
const registry = new Map<string, Entry>();
/** Environments being closed: a new open of the same directory waits for the close first. */
const closing = new Map<string, Promise<void>>();

/**
 * Opens (creating when absent: 0700, files 0600) the state directory `directory`. Throws SimulatorStateError
 * when lmdb is missing, the directory or a file is open to group/others, the schema is newer than this code
 * knows, or the key file does not belong to the database.
 */
export async function openSimulatorState(directory: string): Promise<SimulatorState> {
  if (typeof directory !== 'string' || directory === '') {
    throw new InvalidArgumentError('openSimulatorState: the state directory must be a non-empty string');
  }
  const lmdb = await loadLmdb(directory);
  for (;;) {
    const files = prepareDirectory(resolve(directory));
    const real = files.realDirectory;
    const pending = closing.get(real);
    if (pending !== undefined) {
      await pending;
      continue;
    }
    let entry = registry.get(real);
    if (entry === undefined) {
      const created: Entry = { ready: StateEnvironment.open(files, lmdb), handles: 0 };
      registry.set(real, created);
      created.ready.catch(() => {
        if (registry.get(real) === created) registry.delete(real);
      });
      entry = created;
    }
    entry.handles++;
    let environment: StateEnvironment;
    try {
      environment = await entry.ready;
    } catch (error) {
      entry.handles--;
      throw error;
    }
    return new OpenSimulatorState(directory, real, entry, environment);
  }
}

class OpenSimulatorState implements SimulatorState {
  readonly directory: string;
  readonly #realDirectory: string;
  readonly #entry: Entry;
  readonly #environment: StateEnvironment;
  #closed: Promise<void> | undefined;

  constructor(directory: string, realDirectory: string, entry: Entry, environment: StateEnvironment) {
    this.directory = directory;
    this.#realDirectory = realDirectory;
    this.#entry = entry;
    this.#environment = environment;
  }

  partition(accountId: string, region: string): SimulatorStore {
    const arns = new ArnScope(region, accountId);
    this.#check();
    return new DurableSimulatorStore(this.#environment, new PartitionSpace(arns.accountId, arns.region), () => this.#closed === undefined);
  }

  generation(): number {
    this.#check();
    return this.#environment.generation();
  }

  markerSecret(accountId: string, region: string): Uint8Array {
    const arns = new ArnScope(region, accountId);
    this.#check();
    return this.#environment.cipher.markerSecret(new PartitionSpace(arns.accountId, arns.region).name);
  }

  close(): Promise<void> {
    this.#closed ??= this.#release();
    return this.#closed;
  }

  [Symbol.for('nodejs.util.inspect.custom')](): string {
    return `SimulatorState { directory: '${this.directory}', ${this.#closed === undefined ? 'open' : 'closed'} }`;
  }

  toJSON(): { directory: string } {
    return { directory: this.directory };
  }

  async #release(): Promise<void> {
    const entry = this.#entry;
    if (--entry.handles > 0) return;
    registry.delete(this.#realDirectory);
    const done = this.#environment.close().finally(() => closing.delete(this.#realDirectory));
    closing.set(this.#realDirectory, done);
    await done;
  }

  #check(): void {
    if (this.#closed !== undefined) {
      throw new SimulatorStateError('ERR_STATE_CLOSED', this.directory, `SimulatorState: the state directory ${this.directory} was closed`);
    }
  }
}
