/**
 * The options of `new AwsSdkKms(options)`, checked: the Region (options, else the environment), an injected
 * KMSClient or the configuration of the one AwsSdkKms builds (endpoint, credentials, maxAttempts, retryMode).
 */
import { KMSClient, type KMSClientConfig } from '@aws-sdk/client-kms';
import { InvalidArgumentError } from '../../domain/errors.js';
import { describe, integerInRange, isRecord } from '../../domain/validation.js';

/** Static keys, or a function that resolves them (e.g. `fromIni()` of `@aws-sdk/credential-providers`). */
export type AwsSdkKmsCredentials = NonNullable<KMSClientConfig['credentials']>;

export interface AwsSdkKmsOptions {
  /**
   * The Region of the KMS, reported as `kms:region`. Default `AWS_REGION`, then `AWS_DEFAULT_REGION`; required
   * with `client` (a KMSClient's own region is only known asynchronously).
   */
  region?: string;
  /** A KMSClient to use as it is configured; then endpoint, credentials, maxAttempts and retryMode stay unset. */
  client?: KMSClient;
  /** An http(s) URL such as `http://localhost:4566`; default AWS (or the SDK's AWS_ENDPOINT_URL_KMS handling). */
  endpoint?: string | URL;
  /** Default: the SDK's default credential chain (environment, shared files, SSO, container, instance role). */
  credentials?: AwsSdkKmsCredentials;
  /** Attempts per call including the first, 1–100; default the SDK's (3). */
  maxAttempts?: number;
  /** The SDK retry strategy; default `standard`. */
  retryMode?: 'standard' | 'adaptive';
}

const OPTION_NAMES = ['region', 'client', 'endpoint', 'credentials', 'maxAttempts', 'retryMode'] as const;
const CLIENT_CONFIG_NAMES = ['endpoint', 'credentials', 'maxAttempts', 'retryMode'] as const;
/** What the SDK accepts as a region (a host label). */
const REGION_PATTERN = /^[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?$/;

/** The Region the environment names: `AWS_REGION`, then `AWS_DEFAULT_REGION`; undefined when neither is set. */
export function regionFromEnvironment(): string | undefined {
  return process.env['AWS_REGION'] || process.env['AWS_DEFAULT_REGION'] || undefined;
}

/** The client an AwsSdkKms talks through, its Region, and whether the adapter built it (and so may destroy it). */
export interface ResolvedClient {
  region: string;
  client: KMSClient;
  ownsClient: boolean;
}

/** Checks the options and builds (or takes) the client; InvalidArgumentError naming the problem otherwise. */
export function resolveClient(options: AwsSdkKmsOptions): ResolvedClient {
    const given: unknown = options;
    if (!isRecord(given)) throw new InvalidArgumentError(`AwsSdkKms: options must be an object; got ${describe(given)}`);
    const unknown = Object.keys(given).filter((name) => !(OPTION_NAMES as readonly string[]).includes(name));
    if (unknown.length > 0) {
      throw new InvalidArgumentError(
        `AwsSdkKms: unknown option(s) ${unknown.join(', ')} (allowed: ${OPTION_NAMES.join(', ')})`,
      );
    }
    const { client, region } = options;
    if (client !== undefined) {
      if (!hasSend(client)) {
        throw new InvalidArgumentError(`AwsSdkKms: options.client must be a KMSClient; got ${describe(client)}`);
      }
      const configured = CLIENT_CONFIG_NAMES.filter((name) => options[name] !== undefined);
      if (configured.length > 0) {
        throw new InvalidArgumentError(
          `AwsSdkKms: ${configured.join(', ')} configure the client AwsSdkKms builds; ` +
            'with options.client, configure that client instead',
        );
      }
      if (region === undefined) {
        throw new InvalidArgumentError(
          'AwsSdkKms: options.region is required with options.client (the Region that client talks to)',
        );
      }
      return { region: validRegion(region), client, ownsClient: false };
    }
    const resolved = region ?? regionFromEnvironment();
    if (resolved === undefined) {
      throw new InvalidArgumentError('AwsSdkKms: no Region: pass options.region or set AWS_REGION (or AWS_DEFAULT_REGION)');
    }
    const checked = validRegion(resolved);
    return { region: checked, client: new KMSClient(clientConfig(checked, options)), ownsClient: true };
  }

/** Enough of a KMSClient to use: an object with a send method (a real client, or a test double). */
function hasSend(client: unknown): boolean {
  return isRecord(client) && typeof client['send'] === 'function';
}

function validRegion(region: unknown): string {
  if (typeof region !== 'string' || !REGION_PATTERN.test(region)) {
    throw new InvalidArgumentError(
      `AwsSdkKms: region must be an AWS Region name such as 'us-east-1'; got ${describe(region)}`,
    );
  }
  return region;
}

/** The KMSClient configuration of the given options, each validated. */
function clientConfig(region: string, options: AwsSdkKmsOptions): KMSClientConfig {
  const config: KMSClientConfig = { region };
  const { endpoint, credentials, maxAttempts, retryMode } = options;
  if (endpoint !== undefined) config.endpoint = validEndpoint(endpoint);
  if (credentials !== undefined) config.credentials = validCredentials(credentials);
  if (maxAttempts !== undefined) config.maxAttempts = integerInRange(maxAttempts, 'AwsSdkKms: maxAttempts', 1, 100);
  if (retryMode !== undefined) {
    if (retryMode !== 'standard' && retryMode !== 'adaptive') {
      throw new InvalidArgumentError(`AwsSdkKms: retryMode must be 'standard' or 'adaptive'; got ${describe(retryMode)}`);
    }
    config.retryMode = retryMode;
  }
  return config;
}

function validEndpoint(endpoint: unknown): string {
  const text = endpoint instanceof URL ? endpoint.href : endpoint;
  if (typeof text === 'string' && URL.canParse(text)) {
    const { protocol } = new URL(text);
    if (protocol === 'http:' || protocol === 'https:') return text;
  }
  throw new InvalidArgumentError(
    `AwsSdkKms: endpoint must be an http(s) URL such as 'http://localhost:4566'; got ${describe(endpoint)}`,
  );
}

/** Static keys need a non-empty accessKeyId and secretAccessKey; their values never appear in messages. */
function validCredentials(credentials: unknown): AwsSdkKmsCredentials {
  if (typeof credentials === 'function') return credentials as AwsSdkKmsCredentials;
  if (isRecord(credentials)) {
    const { accessKeyId, secretAccessKey, sessionToken } = credentials;
    const filled = (value: unknown): boolean => typeof value === 'string' && value.length > 0;
    const tokenOk = sessionToken === undefined || typeof sessionToken === 'string';
    if (filled(accessKeyId) && filled(secretAccessKey) && tokenOk) {
      return credentials as unknown as AwsSdkKmsCredentials;
    }
  }
  throw new InvalidArgumentError(
    'AwsSdkKms: credentials must be { accessKeyId, secretAccessKey, sessionToken? } with non-empty strings, ' +
      'or a credential provider function',
  );
}
