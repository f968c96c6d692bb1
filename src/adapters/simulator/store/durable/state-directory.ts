import { randomBytes } from 'node:crypto';
import {
  chmodSync,
  closeSync,
  fsyncSync,
  linkSync,
  mkdirSync,
  openSync,
  readFileSync,
  realpathSync,
  statSync,
  unlinkSync,
  writeSync,
  type Stats,
} from 'node:fs';
import { dirname, join } from 'node:path';
import { SimulatorStateError } from './state-errors.js';

/**
 * The state directory on disk: three files, all 0600 in a 0700 directory.
 *
 *   state.mdb       the lmdb environment (every account × Region of the directory)
 *   state.mdb-lock  lmdb's lock file (readers table, the write mutex shared by processes)
 *   state.key       the 32-byte master key (material encryption, pagination markers); never in the database
 *
 * An existing directory or file that group or others may read or write is refused, naming the path and the fix.
 */
export interface StateFiles {
  /** The directory as given. */
  readonly directory: string;
  /** Its real path: the identity of the state (symbolic links resolved). */
  readonly realDirectory: string;
  readonly dataFile: string;
  readonly lockFile: string;
  readonly keyFile: string;
}

export const MASTER_KEY_BYTES = 32;
const KEY_FILE_MAGIC = Buffer.from('KMSSIMK1', 'latin1');
const CHECK_MODES = process.platform !== 'win32';

/** Creates the directory (0700) or checks the existing one; resolves its real path. */
export function prepareDirectory(directory: string): StateFiles {
  let stats = statOrUndefined(directory);
  if (stats === undefined) {
    try {
      mkdirSync(directory, { recursive: true, mode: 0o700 });
      chmodSync(directory, 0o700);
    } catch (cause) {
      throw openError(directory, `the state directory ${directory} could not be created: ${String(cause)}`, cause);
    }
    stats = statSync(directory);
  }
  if (!stats.isDirectory()) {
    throw new SimulatorStateError('ERR_STATE_PERMISSIONS', directory, `SimulatedKms: the state directory ${directory} is not a directory`);
  }
  refuseOpenMode(directory, stats, 0o700, directory);
  const realDirectory = realpathSync(directory);
  return {
    directory,
    realDirectory,
    dataFile: join(realDirectory, 'state.mdb'),
    lockFile: join(realDirectory, 'state.mdb-lock'),
    keyFile: join(realDirectory, 'state.key'),
  };
}

/** True when the file exists (and is a regular file private to its owner). */
export function checkFile(directory: string, path: string): boolean {
  const stats = statOrUndefined(path, directory);
  if (stats === undefined) return false;
  if (!stats.isFile()) {
    throw new SimulatorStateError('ERR_STATE_PERMISSIONS', directory, `SimulatedKms: ${path} in the state directory is not a regular file`);
  }
  refuseOpenMode(path, stats, 0o600, directory);
  return true;
}

/** Creates the file empty with mode 0600 unless it exists (lmdb then opens it as it is: its mode stays 0600). */
export function ensurePrivateFile(directory: string, path: string): void {
  if (checkFile(directory, path)) return;
  try {
    closeSync(openSync(path, 'a', 0o600));
    chmodSync(path, 0o600);
    syncDirectory(dirname(path)); // the new directory entry is durable too
  } catch (cause) {
    throw openError(directory, `${path} could not be created: ${String(cause)}`, cause);
  }
}

/**
 * The master key: read from the key file, or (for a new directory) drawn at random and written atomically — a
 * private temporary file, fsynced, then hard-linked into place, so two processes creating the same directory
 * agree on one key. A database without its key file is refused: the key cannot be made up again.
 */
export function readOrCreateMasterKey(files: StateFiles): Uint8Array {
  if (!checkFile(files.directory, files.keyFile)) {
    const data = statOrUndefined(files.dataFile, files.directory);
    if (data !== undefined && data.size > 0) {
      throw new SimulatorStateError(
        'ERR_STATE_KEY',
        files.directory,
        `SimulatedKms: the state directory ${files.directory} has a database but no key file ${files.keyFile}: restore the key file (the key material cannot be decrypted without it) or use a new state directory`,
      );
    }
    writeKeyFile(files);
  }
  const bytes = readFileSync(files.keyFile);
  if (bytes.length !== KEY_FILE_MAGIC.length + MASTER_KEY_BYTES || !bytes.subarray(0, KEY_FILE_MAGIC.length).equals(KEY_FILE_MAGIC)) {
    throw new SimulatorStateError('ERR_STATE_KEY', files.directory, `SimulatedKms: ${files.keyFile} is not a simulator key file (wrong size or header)`);
  }
  const key = Uint8Array.from(bytes.subarray(KEY_FILE_MAGIC.length));
  bytes.fill(0);
  return key;
}

function writeKeyFile(files: StateFiles): void {
  const temporary = `${files.keyFile}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`;
  const content = Buffer.concat([KEY_FILE_MAGIC, randomBytes(MASTER_KEY_BYTES)]);
  try {
    const fd = openSync(temporary, 'wx', 0o600);
    try {
      writeSync(fd, content);
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    try {
      linkSync(temporary, files.keyFile);
    } catch (error) {
      if ((error as { code?: unknown }).code !== 'EEXIST') throw error; // another process made it first: use theirs
    }
    syncDirectory(files.realDirectory);
  } catch (cause) {
    throw openError(files.directory, `the key file ${files.keyFile} could not be written: ${String(cause)}`, cause);
  } finally {
    content.fill(0);
    try {
      unlinkSync(temporary);
    } catch {
      // never created
    }
  }
}

function syncDirectory(directory: string): void {
  if (process.platform === 'win32') return;
  const fd = openSync(directory, 'r');
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

function refuseOpenMode(path: string, stats: Stats, wanted: 0o700 | 0o600, directory: string): void {
  if (!CHECK_MODES || (stats.mode & 0o077) === 0) return;
  const mode = (stats.mode & 0o777).toString(8).padStart(4, '0');
  const kind = wanted === 0o700 ? 'the state directory' : 'the state file';
  throw new SimulatorStateError(
    'ERR_STATE_PERMISSIONS',
    directory,
    `SimulatedKms: ${kind} ${path} is accessible to group or others (mode ${mode}); it holds key material: run \`chmod ${wanted.toString(8)} ${path}\``,
  );
}

function statOrUndefined(path: string, directory = path): Stats | undefined {
  try {
    return statSync(path);
  } catch (error) {
    if ((error as { code?: unknown }).code === 'ENOENT') return undefined;
    throw openError(directory, `${path} cannot be read: ${String(error)}`, error);
  }
}

function openError(directory: string, detail: string, cause: unknown): SimulatorStateError {
  return new SimulatorStateError('ERR_STATE_OPEN', directory, `SimulatedKms: ${detail}`, { cause });
}
