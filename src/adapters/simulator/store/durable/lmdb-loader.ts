import { SimulatorStateError } from './state-errors.js';

/**
 * The part of lmdb-js (lmdb@3) the durable store uses, declared here so that no declaration of this library
 * refers to lmdb's own types: lmdb is an optional dependency, loaded only when a state directory is opened.
 * Keys and values are bytes (`keyEncoding: 'binary'`, `encoding: 'binary'`).
 */
export interface LmdbReadTransaction {
  done(): void;
}

export interface LmdbRangeOptions {
  start: Uint8Array;
  end: Uint8Array;
  exclusiveStart?: boolean;
  limit?: number;
  transaction?: LmdbReadTransaction;
}

export interface LmdbDatabase {
  get(key: Uint8Array, options?: { transaction?: LmdbReadTransaction }): Uint8Array | undefined;
  getRange(options: LmdbRangeOptions): Iterable<{ key: Uint8Array; value: Uint8Array }>;
  putSync(key: Uint8Array, value: Uint8Array): void;
  removeSync(key: Uint8Array): boolean;
  /** Runs `action` in one write transaction (the environment's write lock, all processes); commits synchronously. */
  transactionSync<T>(action: () => T): T;
  /** The next read sees the latest commit (of any process). */
  resetReadTxn(): void;
  /** A read transaction on the latest commit, held until `done()`: one consistent snapshot. */
  useReadTransaction(): LmdbReadTransaction;
  close(): Promise<void>;
}

export interface LmdbOpenOptions {
  path: string;
  noSubdir: true;
  encoding: 'binary';
  keyEncoding: 'binary';
  /** false: a commit returns only once it is on disk (fsync), never later. */
  overlappingSync: false;
  /** The size of the memory map in bytes (address space, not disk). */
  mapSize: number;
}

export interface LmdbModule {
  open(options: LmdbOpenOptions): LmdbDatabase;
}

/** How lmdb is imported; a test passes its own to see what happens when it is missing. */
export type ModuleImporter = (specifier: string) => Promise<unknown>;

const importModule: ModuleImporter = (specifier) => import(specifier);

let loaded: Promise<LmdbModule> | undefined;

/**
 * lmdb, imported on first use (a user of the AWS adapter alone never loads it). A missing package is a
 * SimulatorStateError (ERR_STATE_LMDB_MISSING) that names the fix.
 */
export function loadLmdb(directory: string, importer: ModuleImporter = importModule): Promise<LmdbModule> {
  if (importer !== importModule) return importLmdb(directory, importer);
  loaded ??= importLmdb(directory, importer).catch((error: unknown) => {
    loaded = undefined;
    throw error;
  });
  return loaded;
}

async function importLmdb(directory: string, importer: ModuleImporter): Promise<LmdbModule> {
  let module: unknown;
  try {
    module = await importer('lmdb');
  } catch (cause) {
    const code = (cause as { code?: unknown } | null)?.code;
    const missing = code === 'ERR_MODULE_NOT_FOUND' || code === 'MODULE_NOT_FOUND';
    throw new SimulatorStateError(
      missing ? 'ERR_STATE_LMDB_MISSING' : 'ERR_STATE_OPEN',
      directory,
      missing
        ? `SimulatedKms: a state directory (${directory}) needs the optional dependency lmdb, which is not installed: run \`npm install lmdb\``
        : `SimulatedKms: lmdb could not be loaded for the state directory ${directory}: ${String(cause)} (reinstall it: \`npm install lmdb\`)`,
      { cause },
    );
  }
  const open = (module as { open?: unknown } | null)?.open;
  if (typeof open !== 'function') {
    throw new SimulatorStateError(
      'ERR_STATE_LMDB_MISSING',
      directory,
      `SimulatedKms: the installed lmdb has no open(): install lmdb 3 (\`npm install lmdb@3\`) for the state directory ${directory}`,
    );
  }
  return module as LmdbModule;
}
