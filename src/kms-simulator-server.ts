/**
 * The simulator as a local service: one KMS JSON 1.1 endpoint serving every Region and account, each request
 * going to the SimulatedKms of its partition (account × Region, from the SigV4 credential scope), plus the
 * JWKS of the key provider's keys at `GET /.well-known/jwks.json`. What `kms-keys serve` runs (docs/serve.md).
 *
 * A composition point: it wires the HTTP adapter (kms-server.ts, jwks-endpoint.ts), the simulator and the
 * provider together, so none of them knows the others.
 */
import { exposureCheck } from './adapters/http/host-guard.js';
import { JWKS_PATH, jwksEndpoint } from './adapters/http/jwks-endpoint.js';
import { type KmsCaller, REGION_NAME } from './adapters/http/kms-caller.js';
import { type KmsEndpoint, serveKms } from './adapters/http/kms-server.js';
import { KmsException } from './adapters/kms-exception.js';
import { readSeed, seedByPartition } from './adapters/simulator/operations/seeding.js';
import type { SeedEntry, SeedInput } from './adapters/simulator/seed/seed-types.js';
import { SimulatedKms } from './adapters/simulator/simulated-kms.js';
import { SimulatorRegions } from './adapters/simulator/simulator-regions.js';
import { openSimulatorState } from './adapters/simulator/store/durable/simulator-state.js';
import type { SimulatorStore } from './adapters/simulator/store/simulator-store.js';
import { FaultPlan, type FaultOptions } from './adapters/simulator/faults/fault-plan.js';
import { AwsKmsKeyProvider } from './aws-kms-key-provider.js';
import { InvalidArgumentError } from './domain/errors.js';
import { JWKS_INCLUDES, type JwksInclude } from './provider/key-reader.js';
import type { KmsPort } from './ports/kms.port.js';
import { type SimulatorCredentials, authorizingKms, principalOf, principalsOf } from './simulator-server-authorization.js';
import { type ConsoleServerOptions, readConsoleOptions, simulatorConsole } from './console/console-options.js';

/** The shared simulator state the server runs over: one store per partition, a global write counter. */
export interface SimulatorServerState {
  /** The store of one account in one Region. */
  partition(accountId: string, region: string): SimulatorStore;
  /**
   * A counter that every committed write bumps, by any process sharing the state: the JWKS is recomputed only
   * when it changed.
   */
  generation(): number | bigint | Promise<number | bigint>;
  close(): void | Promise<void>;
}

export interface SimulatorServerOptions extends ConsoleServerOptions {
  /**
   * A directory holding the durable simulator state (keys survive restarts and are shared with other processes
   * using the same directory). Default: in memory, lost on close.
   */
  stateDir?: string;
  /**
   * An already opened state to serve (instead of `stateDir`, say `openSimulatorState(dir)`); `close()` leaves it
   * open: its opener closes it.
   */
  state?: SimulatorServerState;
  /** The Region of unsigned requests and of the JWKS; default `us-east-1`. */
  region?: string;
  /** 12 digits: the account of requests whose access key ID is not 12 digits, and of the JWKS; default `111122223333`. */
  accountId?: string;
  /**
   * Default `127.0.0.1` (loopback only: only loopback `Host` headers are served). Another address (`0.0.0.0`)
   * needs `credentials` or `insecureNoAuth: true`.
   */
  host?: string;
  /**
   * Lets the server listen on a non-loopback address without `credentials` (refused otherwise, with
   * InvalidArgumentError); it then warns once through `onWarning`. Default false.
   */
  insecureNoAuth?: boolean;
  /** Receives the server's warnings (one line each); default stderr. */
  onWarning?: (message: string) => void;
  /**
   * Fault injection (docs/kms-behaviour.md §16.1): rules (or one FaultPlan) applied to every partition's
   * SimulatedKms — the JWKS's included — sharing one plan, so "the 3rd DescribeKey" counts the server's calls.
   */
  faults?: FaultOptions | FaultPlan;
  /** Default 4599; 0 = a free port (reported in `port` and `url`). */
  port?: number;
  /** The provider's alias prefix whose keys the JWKS publishes; default `swarmauri`. */
  aliasPrefix?: string;
  /** `Cache-Control: public, max-age=<n>` of the JWKS; default 300. */
  jwksMaxAgeSeconds?: number;
  /**
   * Which versions the JWKS publishes: `'latest'` (default), one key per kid, or `'enabled'`, every Enabled version
   * of every kid (rotation that never breaks a token: docs/rotation-runbook.md).
   */
  jwksInclude?: JwksInclude;
  /**
   * Publish `x5c`/`x5t#S256` in the JWKS: a self-signed certificate per signing key version, signed by KMS once
   * per key (see JwksOptions.x5c). Default false.
   */
  jwksX5c?: boolean;
  /**
   * Keys to create (or re-apply) at start (docs/kms-behaviour.md §17): a seed document's text (YAML or JSON) or
   * its entries. Each entry goes to the partition of its `Region` and `AccountId`, the defaults when absent.
   */
  seed?: SeedInput;
  /** How seed messages name the seed (a file name, say); default `seed`. */
  seedSource?: string;
  /**
   * When given, every KMS request must carry a valid SigV4 signature by these credentials, or one of them (any
   * Region). Give one per account to reach with a 12-digit access key ID each.
   */
  credentials?: SimulatorCredentials | readonly SimulatorCredentials[];
  /** Errors that are bugs (and server failures); default `console.error`. */
  onInternalError?: (error: unknown, context: string) => void;
  /**
   * Builds the KmsPort of one partition (called once per account × Region, lazily); default a SimulatedKms over
   * the partition's store of the state, or in memory.
   */
  simulatorFor?: (accountId: string, region: string) => KmsPort | Promise<KmsPort>;
  /**
   * Authorization (docs/kms-behaviour.md §26; simulator-server-authorization.ts): every partition enforces its key
   * policies and grants for the request's principal (a credentials entry's `principal`, else the 12-digit access
   * key ID's account root), and a key ARN of another account is served by that account. Default false.
   */
  enforcePolicies?: boolean;
}

export interface SimulatorServer extends KmsEndpoint {
  /** `<url>/.well-known/jwks.json`. */
  readonly jwksUrl: string;
  /** The seed of the fault plan in use (undefined without faults): a failing run replays with it. */
  readonly faultSeed: number | undefined;
  /** The default Region and account (those of unsigned requests and of the JWKS). */
  readonly region: string;
  readonly accountId: string;
  /**
   * The KmsPort serving one partition (default: the default one), created if needed: what requests of that
   * account and Region reach (writes through it refresh the JWKS too).
   */
  kms(accountId?: string, region?: string): Promise<KmsPort>;
}

export const DEFAULT_SIMULATOR_PORT = 4599;
export { JWKS_PATH };
const ACCOUNT_ID = /^\d{12}$/;
/** The port's operations that never write (any other one bumps the in-memory write counter). */
const READS: ReadonlySet<string> = new Set<keyof KmsPort>([
  'describeKey',
  'listKeys',
  'listAliases',
  'getPublicKey',
  'listResourceTags',
  'sign',
  'verify',
  'generateRandom',
  'encrypt',
  'decrypt',
  'generateDataKey',
  'generateMac',
  'verifyMac',
]);

/**
 * Starts the endpoint and resolves once it listens.
 *
 * Routing: a request signed with an access key ID of exactly 12 digits goes to that account, any other to
 * `accountId`; its Region is that of the credential scope, `region` for unsigned requests. Each partition's
 * SimulatedKms is made on first use and kept. Rejects with InvalidArgumentError for bad options and with the
 * listen error (such as EADDRINUSE).
 */
export async function startSimulatorServer(options: SimulatorServerOptions = {}): Promise<SimulatorServer> {
  const settings = readOptions(options);
  const consoleSettings = readConsoleOptions(options, 'startSimulatorServer');
  const faults = options.faults === undefined ? undefined : FaultPlan.from(options.faults, 'startSimulatorServer: faults');
  const faultOption = faults === undefined ? {} : { faults };
  const { region, accountId } = settings;
  const seed = options.seed === undefined ? undefined : seedByPartition(readSeed(options.seed, settings.seedSource), settings);
  // The state this server opened (and so closes); a given `state` belongs to its opener.
  const opened = options.stateDir === undefined ? undefined : await openSimulatorState(options.stateDir);
  const state: SimulatorServerState | undefined = options.state ?? opened;
  const built: Array<KmsPort & { close?: () => Promise<void> }> = [];
  const release = async (): Promise<void> => {
    try {
      await Promise.allSettled(built.map((kms) => kms.close?.()));
    } finally {
      await opened?.close();
    }
  };
  try {
    let writes = 0;
    const countWrites = (kms: KmsPort): KmsPort => (state === undefined ? countingWrites(kms, () => writes++) : kms);
    // The SimulatedKms of each partition, made on first use; the partitions of one account share one SimulatorRegions,
    // so that ReplicateKey and UpdatePrimaryRegion reach the other Regions' partitions (docs/kms-behaviour.md §25).
    const simulators = new Map<string, SimulatedKms>();
    const accounts = new Map<string, SimulatorRegions>();
    const simulatorOf = (account: string, partitionRegion: string): SimulatedKms => {
      let kms = simulators.get(`${account}/${partitionRegion}`);
      if (kms !== undefined) return kms;
      let regions = accounts.get(account);
      if (regions === undefined) accounts.set(account, (regions = new SimulatorRegions(account, (other) => simulatorOf(account, other))));
      const enforcing = options.enforcePolicies === true ? { enforcePolicies: true } : {};
      const scope = { region: partitionRegion, accountId: account, regions, ...faultOption, ...enforcing };
      if (options.stateDir !== undefined) kms = new SimulatedKms({ ...scope, stateDir: options.stateDir });
      else if (state !== undefined) kms = new SimulatedKms({ ...scope, store: state.partition(account, partitionRegion) });
      else kms = new SimulatedKms(scope);
      simulators.set(`${account}/${partitionRegion}`, kms);
      built.push(kms);
      return kms;
    };
    const build = async (account: string, partitionRegion: string): Promise<KmsPort> => {
      if (options.simulatorFor !== undefined) return options.simulatorFor(account, partitionRegion);
      const kms = simulatorOf(account, partitionRegion);
      await kms.ready();
      return kms;
    };

    const partitions = new Map<string, Promise<KmsPort>>();
    const partition = (account: string, partitionRegion: string): Promise<KmsPort> => {
      const key = `${account}/${partitionRegion}`;
      let kms = partitions.get(key);
      if (kms === undefined) {
        kms = build(account, partitionRegion).then(countWrites);
        partitions.set(key, kms);
        kms.catch(() => partitions.delete(key)); // a failure is not kept: the next request tries again
      }
      return kms;
    };

    const defaultKms = await partition(accountId, region);
    if (seed !== undefined) {
      for (const target of seed.partitions) {
        await seedPartition(await partition(target.accountId, target.region), seed.entries, settings.seedSource);
      }
    }
    // Reloaded after every write: alias resolutions and key states are never trusted (ttlMs 0), so a key disabled
    // or scheduled for deletion over the wire leaves the JWKS at once; public keys and tags never change and stay.
    const provider = new AwsKmsKeyProvider({ kms: defaultKms, aliasPrefix: settings.aliasPrefix, cache: { ttlMs: 0 } });
    const currentVersion = state === undefined ? () => writes : () => state.generation();
    const jwks = jwksEndpoint({
      maxAgeSeconds: settings.jwksMaxAgeSeconds,
      currentVersion,
      load: async () => {
        const version = await currentVersion(); // before reading: a write meanwhile means one more load, later
        return { body: await provider.jwks({ include: settings.jwksInclude, x5c: settings.jwksX5c }), version };
      },
      report: options.onInternalError ?? ((error) => console.error('kms-simulator-server: the JWKS failed:', error)),
    });

    const principals = principalsOf(options.credentials);
    const authorizing = async (caller: KmsCaller): Promise<KmsPort> => {
      const principal = principalOf(caller, principals, settings);
      const callerRegion = caller.region ?? settings.region;
      await partitionOf({ region: callerRegion, accessKeyId: principal.accountId }, settings, partition); // the Region checked
      return authorizingKms(principal, callerRegion, partition);
    };
    // The console at /ui/ (src/console/): the partitions, the JWKS as served, the request log of every KMS request.
    const ui = simulatorConsole(consoleSettings, { ...settings, kms: partition, partitionKeys: () => partitions.keys(), jwks: jwks.current,
      credentials: options.credentials, onInternalError: options.onInternalError });
    const endpoint = await serveKms({
      kmsFor: (caller: KmsCaller) => (settings.enforcePolicies ? authorizing(caller) : partitionOf(caller, settings, partition)),
      getRoutes: { [JWKS_PATH]: jwks },
      ...(ui === undefined ? {} : { routes: { '/ui': ui.route }, onKmsRequest: (r) => ui.record(r, partitionKey(r.caller, settings)) }),
      host: settings.host,
      port: settings.port,
      ...(options.credentials === undefined ? {} : { credentials: options.credentials }),
      ...(options.onInternalError === undefined ? {} : { onInternalError: options.onInternalError }),
      ...(options.insecureNoAuth === undefined ? {} : { insecureNoAuth: options.insecureNoAuth }),
      ...(options.onWarning === undefined ? {} : { onWarning: options.onWarning }),
    });

    let closing: Promise<void> | undefined;
    return {
      url: endpoint.url,
      host: endpoint.host,
      port: endpoint.port,
      jwksUrl: `${endpoint.url}${JWKS_PATH}`,
      faultSeed: faults?.seed,
      region,
      accountId,
      kms: (account = accountId, partitionRegion = region) => partition(account, partitionRegion),
      close() {
        closing ??= (async () => {
          try {
            ui?.close();
            await endpoint.close();
          } finally {
            await release();
          }
        })();
        return closing;
      },
    };
  } catch (error) {
    await release();
    throw error;
  }
}

interface Settings {
  readonly region: string;
  readonly accountId: string;
  readonly host: string;
  readonly port: number;
  readonly aliasPrefix: string;
  readonly jwksMaxAgeSeconds: number;
  readonly jwksInclude: JwksInclude;
  readonly jwksX5c: boolean;
  readonly seedSource: string;
  readonly enforcePolicies: boolean;
}

function readOptions(options: SimulatorServerOptions): Settings {
  if (typeof options !== 'object' || options === null) {
    throw new InvalidArgumentError('startSimulatorServer: options must be an object');
  }
  const accountId = options.accountId ?? '111122223333';
  if (typeof accountId !== 'string' || !ACCOUNT_ID.test(accountId)) {
    throw new InvalidArgumentError('startSimulatorServer: accountId must be 12 digits');
  }
  const region = options.region ?? 'us-east-1';
  if (typeof region !== 'string' || !REGION_NAME.test(region)) {
    throw new InvalidArgumentError("startSimulatorServer: region must look like 'us-east-1'");
  }
  const jwksMaxAgeSeconds = options.jwksMaxAgeSeconds ?? 300;
  if (!Number.isSafeInteger(jwksMaxAgeSeconds) || jwksMaxAgeSeconds < 0) {
    throw new InvalidArgumentError('startSimulatorServer: jwksMaxAgeSeconds must be a non-negative integer');
  }
  const jwksInclude = options.jwksInclude === undefined ? 'latest' : options.jwksInclude;
  if (!JWKS_INCLUDES.includes(jwksInclude)) {
    throw new InvalidArgumentError(`startSimulatorServer: jwksInclude must be one of ${JWKS_INCLUDES.join(', ')}`);
  }
  const jwksX5c = options.jwksX5c ?? false;
  if (typeof jwksX5c !== 'boolean') throw new InvalidArgumentError('startSimulatorServer: jwksX5c must be a boolean');
  if (options.state !== undefined && options.stateDir !== undefined) {
    throw new InvalidArgumentError('startSimulatorServer: give stateDir or state, not both');
  }
  if (options.simulatorFor !== undefined && typeof options.simulatorFor !== 'function') {
    throw new InvalidArgumentError('startSimulatorServer: simulatorFor must be a function (accountId, region) => KmsPort');
  }
  const enforcePolicies = options.enforcePolicies ?? false;
  if (typeof enforcePolicies !== 'boolean') throw new InvalidArgumentError('startSimulatorServer: enforcePolicies must be true or false');
  const host = options.host ?? '127.0.0.1';
  if (typeof host !== 'string') throw new InvalidArgumentError('startSimulatorServer: host must be a string');
  // Before any state is opened: an exposed server without authentication is refused at once.
  exposureCheck('startSimulatorServer', host, options.credentials !== undefined, options.insecureNoAuth);
  return {
    region,
    accountId,
    host,
    port: options.port ?? DEFAULT_SIMULATOR_PORT,
    aliasPrefix: options.aliasPrefix ?? 'swarmauri',
    jwksMaxAgeSeconds,
    jwksInclude,
    jwksX5c,
    seedSource: options.seedSource ?? 'seed',
    enforcePolicies,
  };
}

/** The partition of a caller: a 12-digit access key ID is the account; the scope's Region, else the default. */
export function partitionKey(caller: KmsCaller, defaults: { accountId: string; region: string }): { accountId: string; region: string } {
  const accountId = caller.accessKeyId !== undefined && ACCOUNT_ID.test(caller.accessKeyId) ? caller.accessKeyId : defaults.accountId;
  return { accountId, region: caller.region ?? defaults.region };
}

async function partitionOf(
  caller: KmsCaller,
  settings: Settings,
  partition: (accountId: string, region: string) => Promise<KmsPort>,
): Promise<KmsPort> {
  const { accountId, region } = partitionKey(caller, settings);
  try {
    return await partition(accountId, region);
  } catch (error) {
    // The caller named a Region the simulator refuses: AWS's answer to a scope of an unknown Region.
    if (error instanceof InvalidArgumentError) {
      throw new KmsException('InvalidSignatureException', `Credential should be scoped to a valid region, not '${region}'.`);
    }
    throw error;
  }
}

/** `kms` whose write operations call `onWrite` once they settle (so the JWKS knows to recompute). */
function countingWrites(kms: KmsPort, onWrite: () => void): KmsPort {
  return new Proxy(kms, {
    get(target, property) {
      const value: unknown = Reflect.get(target, property, target);
      if (typeof value !== 'function') return value;
      if (property === 'as') return (principal: string) => countingWrites(value.call(target, principal) as KmsPort, onWrite);
      if (typeof property !== 'string' || READS.has(property)) return value.bind(target);
      return async (...args: unknown[]) => {
        try {
          return await (value as (...a: unknown[]) => Promise<unknown>).apply(target, args);
        } finally {
          onWrite();
        }
      };
    },
  });
}

/** Applies the seed's entries of one partition (the simulator skips those of the others). */
async function seedPartition(kms: KmsPort, entries: readonly SeedEntry[], source: string): Promise<void> {
  const seedable = kms as KmsPort & { seed?: SimulatedKms['seed'] };
  if (typeof seedable.seed !== 'function') {
    throw new InvalidArgumentError('startSimulatorServer: seed needs partitions that can be seeded (SimulatedKms); simulatorFor built another KmsPort');
  }
  await seedable.seed.call(kms, entries, { source });
}
