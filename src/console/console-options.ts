/** The console's options of `startSimulatorServer` (`ui`, `uiActions`, `uiLogSize`), checked. */
import { isLoopbackHost } from '../adapters/http/host-guard.js';
import type { SigV4Credentials } from '../adapters/http/sigv4-verifier.js';
import { InvalidArgumentError } from '../domain/errors.js';
import { type ConsoleOptions, type ConsoleServer, createConsole } from './console-server.js';
import { DEFAULT_LOG_SIZE, MAX_LOG_SIZE } from './request-log.js';

export interface ConsoleServerOptions {
  /**
   * Serve the console at `/ui/` (docs/serve.md, "Console"); default true. On a non-loopback address it is refused
   * unless `credentials` are configured (then it asks for them).
   */
  ui?: boolean;
  /** Allow the console's actions (rotate, activate, retire, reinstate, schedule and cancel deletion); default false. */
  uiActions?: boolean;
  /** How many KMS requests the console's request log keeps (a ring buffer); default 1000. */
  uiLogSize?: number;
}

export interface ConsoleSettings {
  readonly enabled: boolean;
  readonly actions: boolean;
  readonly logSize: number;
}

export function readConsoleOptions(options: ConsoleServerOptions, api: string): ConsoleSettings {
  for (const name of ['ui', 'uiActions'] as const) {
    if (options[name] !== undefined && typeof options[name] !== 'boolean') throw new InvalidArgumentError(`${api}: ${name} must be a boolean`);
  }
  const logSize = options.uiLogSize ?? DEFAULT_LOG_SIZE;
  if (!Number.isSafeInteger(logSize) || logSize < 1 || logSize > MAX_LOG_SIZE) {
    throw new InvalidArgumentError(`${api}: uiLogSize must be an integer from 1 to ${MAX_LOG_SIZE}`);
  }
  return { enabled: options.ui !== false, actions: options.uiActions === true, logSize };
}

/** What the simulator server hands its console. */
export interface SimulatorConsoleParts {
  readonly host: string;
  readonly aliasPrefix: string;
  readonly accountId: string;
  readonly region: string;
  readonly kms: ConsoleOptions['kms'];
  /** The keys (`<account>/<region>`) of the partitions opened so far. */
  readonly partitionKeys: () => Iterable<string>;
  readonly jwks: ConsoleOptions['jwks'];
  readonly credentials: SigV4Credentials | readonly SigV4Credentials[] | undefined;
  readonly onInternalError: ((error: unknown, context: string) => void) | undefined;
}

/** The console of a simulator server, or undefined when `ui: false`. */
export function simulatorConsole(settings: ConsoleSettings, parts: SimulatorConsoleParts): ConsoleServer | undefined {
  if (!settings.enabled) return undefined;
  return createConsole({
    aliasPrefix: parts.aliasPrefix,
    defaultScope: { accountId: parts.accountId, region: parts.region },
    kms: parts.kms,
    partitions: () => [...parts.partitionKeys()].map((key) => ({ accountId: key.split('/')[0]!, region: key.split('/')[1]! })),
    jwks: parts.jwks,
    actions: settings.actions,
    credentials: parts.credentials === undefined ? undefined : [parts.credentials].flat(),
    loopback: isLoopbackHost(parts.host),
    logSize: settings.logSize,
    report: parts.onInternalError ?? ((error, context) => console.error(`kms-simulator-server: ${context} failed:`, error)),
  });
}
