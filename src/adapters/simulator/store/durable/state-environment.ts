import { setTimeout as sleep } from 'node:timers/promises';
import { META_GENERATION, META_KEY_CHECK, META_SCHEMA, spaceBytes, type SpaceKey } from './key-space.js';
import { CommittedView, StagedView, type KvReader } from './kv-view.js';
import type { LmdbDatabase, LmdbModule } from './lmdb-loader.js';
import { MaterialCipher } from './material-cipher.js';
import { decodeJson, encodeJson } from './record-codec.js';
import { ensurePrivateFile, readOrCreateMasterKey, type StateFiles } from './state-directory.js';
import { SimulatorStateError } from './state-errors.js';

/** The layout this code reads and writes (key-space.ts, record-codec.ts, material-cipher.ts). */
/**
 * The layout version. 2 added key rotation: the `rotation/` index, earlier materials at
 * `material/<keyId>/<keyMaterialId>`, and the record members `rotation` and `keyMaterials`. A schema-1 database
 * holds none of them and reads as it is, so its migration only records the new version (which keeps an older
 * aws-kms-keyprovider, which would not know rotated keys, from opening it afterwards).
 */
export const SCHEMA_VERSION = 2;

/** How often a transaction that keeps meeting other processes' commits is run again before giving up. */
export const MAX_ATTEMPTS = 64;

/**
 * One open state directory: its lmdb environment (every partition), the material cipher, the queue of this
 * process's transactions, the global generation. Shared, reference-counted, by every SimulatorState of this
 * process on the same directory (simulator-state.ts): lmdb must not open one environment twice in a process.
 *
 * Transactions (optimistic, see `transaction`): lmdb-js write transactions are synchronous, while a store
 * transaction runs an async function. So `fn` runs over a staged view — one read snapshot of the latest commit,
 * overlaid with `fn`'s own writes, which are buffered — and then, in ONE synchronous lmdb write transaction
 * (lmdb's write lock, shared by every process), the generation read at the start is compared with the current
 * one: unchanged, the buffered writes are applied and the generation incremented, and the commit is synced to
 * disk before the call returns; changed (another commit happened in between, in any process), nothing is
 * written and `fn` runs again on a fresh snapshot, after a jittered pause, up to MAX_ATTEMPTS times. Within one
 * process, transactions are queued (call order), so only other processes cause re-runs. A transaction that wrote
 * nothing commits nothing: its reads were one consistent snapshot.
 */
/** The lmdb map: 8 GiB of address space (not of disk), far more than a simulator's keys need. */
const MAP_SIZE_BYTES = 2 ** 33;
/** How many times opening is tried when lmdb fails to open (another process racing it). */
const OPEN_ATTEMPTS = 5;

export class StateEnvironment {
  readonly files: StateFiles;
  readonly cipher: MaterialCipher;
  readonly #db: LmdbDatabase;
  #queue: Promise<unknown> = Promise.resolve();
  #closed: Promise<void> | undefined;

  private constructor(files: StateFiles, db: LmdbDatabase, cipher: MaterialCipher) {
    this.files = files;
    this.#db = db;
    this.cipher = cipher;
  }

  /**
   * Opens (creating when new) the environment of a prepared directory; checks the schema and the key file. On a
   * refusal the environment is closed again before the promise rejects, so the directory can be reopened at once.
   */
  static async open(files: StateFiles, lmdb: LmdbModule): Promise<StateEnvironment> {
    const masterKey = readOrCreateMasterKey(files);
    const cipher = new MaterialCipher(masterKey);
    masterKey.fill(0);
    // Created 0600 before lmdb opens them, so that lmdb's own mode (0644 under the usual umask) never applies.
    ensurePrivateFile(files.directory, files.dataFile);
    ensurePrivateFile(files.directory, files.lockFile);
    let db: LmdbDatabase;
    for (let attempt = 1; ; attempt++) {
      try {
        db = lmdb.open({
          path: files.dataFile,
          noSubdir: true,
          encoding: 'binary',
          keyEncoding: 'binary',
          overlappingSync: false,
          // One fixed map size for every process: lmdb-js otherwise starts at 128 KiB and grows the map as the
          // data grows, and a map grown by one process makes the next transaction of another fail. The map is
          // address space only; the file grows with the data.
          mapSize: MAP_SIZE_BYTES,
        });
        break;
      } catch (cause) {
        // Opening races other processes opening, writing or closing the same environment (lmdb-js reports it as
        // "No transaction to renew"): try again shortly before giving up.
        if (attempt < OPEN_ATTEMPTS) {
          await sleep(10 * attempt + Math.random() * 20);
          continue;
        }
        throw new SimulatorStateError(
          'ERR_STATE_OPEN',
          files.directory,
          `SimulatedKms: the state directory ${files.directory} could not be opened: ${String(cause)}`,
          { cause },
        );
      }
    }
    const environment = new StateEnvironment(files, db, cipher);
    try {
      environment.#initialise();
    } catch (error) {
      await db.close().catch(() => undefined);
      throw error;
    }
    return environment;
  }

  get directory(): string {
    return this.files.directory;
  }

  /** The global write counter: one more for every committed transaction of any process. One read. */
  generation(): number {
    this.#checkOpen();
    this.#db.resetReadTxn();
    return readGeneration(new CommittedView(this.#db), this.directory);
  }

  /** A read of committed state, as of the latest commit of any process. */
  read<T>(fn: (view: KvReader) => T): T {
    this.#checkOpen();
    this.#db.resetReadTxn();
    return fn(new CommittedView(this.#db));
  }

  /** Runs `fn` as one transaction (see the class comment); `fn` may run more than once and must be re-runnable. */
  transaction<T>(fn: (staged: StagedView) => Promise<T>): Promise<T> {
    try {
      this.#checkOpen();
    } catch (error) {
      return Promise.reject(error);
    }
    const run = this.#queue.then(() => this.#run(fn));
    this.#queue = run.then(
      () => undefined,
      () => undefined,
    );
    return run;
  }

  /** Refuses new transactions, lets the queued ones finish, then closes lmdb. Idempotent. */
  close(): Promise<void> {
    this.#closed ??= this.#queue.then(() => this.#db.close());
    return this.#closed;
  }

  get isClosed(): boolean {
    return this.#closed !== undefined;
  }

  [Symbol.for('nodejs.util.inspect.custom')](): string {
    return `StateEnvironment { directory: '${this.directory}' }`;
  }

  async #run<T>(fn: (staged: StagedView) => Promise<T>): Promise<T> {
    for (let attempt = 1; ; attempt++) {
      this.#db.resetReadTxn();
      const snapshot = this.#db.useReadTransaction();
      let staged: StagedView;
      let generation: number;
      let result: T;
      try {
        const view = new CommittedView(this.#db, snapshot);
        generation = readGeneration(view, this.directory);
        staged = new StagedView(view);
        result = await fn(staged);
      } finally {
        snapshot.done();
      }
      if (staged.size === 0 || this.#commit(staged, generation)) return result;
      if (attempt >= MAX_ATTEMPTS) {
        throw new SimulatorStateError(
          'ERR_STATE_CONFLICT',
          this.directory,
          `SimulatedKms: a write to the state directory ${this.directory} met a write of another process ${MAX_ATTEMPTS} times in a row and was given up; nothing of it was written (retry it)`,
        );
      }
      await sleep(Math.random() * Math.min(50, 2 ** Math.min(attempt, 6)));
    }
  }

  /** One lmdb write transaction: applies the writes if no commit happened since the snapshot. */
  #commit(staged: StagedView, generation: number): boolean {
    try {
      return this.#db.transactionSync(() => {
        if (readGeneration(new CommittedView(this.#db), this.directory) !== generation) return false;
        for (const [key, value] of staged.writes()) {
          if (value === null) this.#db.removeSync(spaceBytes(key));
          else this.#db.putSync(spaceBytes(key), value);
        }
        this.#put(META_GENERATION, encodeJson(generation + 1));
        return true;
      });
    } catch (cause) {
      if (cause instanceof SimulatorStateError) throw cause;
      throw new SimulatorStateError(
        'ERR_STATE_OPEN',
        this.directory,
        `SimulatedKms: a write to the state directory ${this.directory} failed: ${String(cause)}`,
        { cause },
      );
    }
  }

  /** A new database gets the schema version, generation 0 and the key check; an existing one is checked. */
  #initialise(): void {
    const { directory } = this;
    this.#db.transactionSync(() => {
      const view = new CommittedView(this.#db);
      const schema = view.get(META_SCHEMA);
      if (schema === undefined) {
        this.#put(META_SCHEMA, encodeJson(SCHEMA_VERSION));
        this.#put(META_GENERATION, encodeJson(0));
        this.#put(META_KEY_CHECK, this.cipher.keyCheck());
        return;
      }
      const version = decodeJson(schema, directory);
      if (typeof version !== 'number' || !Number.isInteger(version) || version < 1) {
        throw new SimulatorStateError('ERR_STATE_SCHEMA', directory, `SimulatedKms: the state directory ${directory} has an unreadable schema version`);
      }
      if (version > SCHEMA_VERSION) {
        throw new SimulatorStateError(
          'ERR_STATE_SCHEMA',
          directory,
          `SimulatedKms: the state directory ${directory} has schema version ${version}, newer than schema version ${SCHEMA_VERSION} that this version of aws-kms-keyprovider knows: use a newer aws-kms-keyprovider, or another state directory`,
        );
      }
      const check = view.get(META_KEY_CHECK);
      if (check === undefined || !this.cipher.matches(check)) {
        throw new SimulatorStateError(
          'ERR_STATE_KEY',
          directory,
          `SimulatedKms: the key file ${this.files.keyFile} does not belong to the database of the state directory ${directory}: restore its own key file, or use a new state directory`,
        );
      }
      if (version < SCHEMA_VERSION) this.#put(META_SCHEMA, encodeJson(SCHEMA_VERSION)); // schema 1 → 2: nothing to rewrite
    });
  }

  #put(key: SpaceKey, value: Uint8Array): void {
    this.#db.putSync(spaceBytes(key), value);
  }

  #checkOpen(): void {
    if (this.#closed !== undefined) {
      throw new SimulatorStateError('ERR_STATE_CLOSED', this.directory, `SimulatedKms: the state directory ${this.directory} was closed`);
    }
  }
}

function readGeneration(view: KvReader, directory: string): number {
  const bytes = view.get(META_GENERATION);
  const generation = bytes === undefined ? 0 : decodeJson(bytes, directory);
  if (typeof generation !== 'number') {
    throw new SimulatorStateError('ERR_STATE_CORRUPT', directory, `SimulatedKms: the generation of the state directory ${directory} is unreadable`);
  }
  return generation;
}
