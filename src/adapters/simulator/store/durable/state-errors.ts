import { KmsException } from '../../../kms-exception.js';

/** What went wrong with a state directory; stable, for programs that react to it. */
export type SimulatorStateErrorCode =
  /** The optional dependency lmdb is not installed (`npm install lmdb`). */
  | 'ERR_STATE_LMDB_MISSING'
  /** The directory or one of its files is open to group or others, or is not a directory / regular file. */
  | 'ERR_STATE_PERMISSIONS'
  /** The database was written by a newer version of this library (a newer schema). */
  | 'ERR_STATE_SCHEMA'
  /** The key file is missing, malformed, or does not belong to the database. */
  | 'ERR_STATE_KEY'
  /** The directory could not be opened (I/O, lmdb). */
  | 'ERR_STATE_OPEN'
  /** A write kept conflicting with writes of other processes and was given up. */
  | 'ERR_STATE_CONFLICT'
  /** The state was closed. */
  | 'ERR_STATE_CLOSED'
  /** A stored record could not be read back (corruption, or material that fails authentication). */
  | 'ERR_STATE_CORRUPT';

/**
 * An error of a simulator state directory. It is thrown through the KmsPort like every simulator error, so it is a
 * `KmsException` named `KMSInternalException` with `$fault: 'server'`; `code` says what went wrong and `directory`
 * which state directory. Messages name the path and the fix; they never contain key material.
 */
export class SimulatorStateError extends KmsException {
  readonly code: SimulatorStateErrorCode;
  readonly directory: string;

  constructor(code: SimulatorStateErrorCode, directory: string, message: string, options?: { cause?: unknown }) {
    super('KMSInternalException', message, 'server', options);
    this.code = code;
    this.directory = directory;
  }
}
