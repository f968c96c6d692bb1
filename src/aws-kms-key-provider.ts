/**
 * AwsKmsKeyProvider: the key provider as the Python original is used — `new AwsKmsKeyProvider({ region })` talks
 * to AWS KMS — and still open to any KmsPort through `kms`. A composition point: it wires the AWS SDK adapter
 * into the provider core (src/provider/kms-key-provider.ts), which knows only the port.
 *
 * - `{ kms, ...providerOptions }`: that KmsPort (a SimulatedKms, an AwsSdkKms of your own, …); the AWS client
 *   options below must then be absent.
 * - `{ region?, endpoint?, credentials?, maxAttempts?, retryMode?, ...providerOptions }`: an AwsSdkKms built from
 *   these (the Region defaults to AWS_REGION, then AWS_DEFAULT_REGION). Construction makes no network call.
 */
import { AwsSdkKms, regionFromEnvironment, type AwsSdkKmsOptions } from './adapters/aws/aws-sdk-kms.js';
import { InvalidArgumentError } from './domain/errors.js';
import { isRecord } from './domain/validation.js';
import { KmsKeyProvider, PROVIDER_OPTION_NAMES, type KmsKeyProviderOptions } from './provider/kms-key-provider.js';

/** The AwsSdkKms options the provider passes through when it builds the adapter itself. */
export type AwsKmsClientOptions = Pick<
  AwsSdkKmsOptions,
  'region' | 'endpoint' | 'credentials' | 'maxAttempts' | 'retryMode'
>;

export type AwsKmsKeyProviderOptions =
  | (KmsKeyProviderOptions & { [K in keyof AwsKmsClientOptions]?: never })
  | (Omit<KmsKeyProviderOptions, 'kms'> & AwsKmsClientOptions & { kms?: undefined });

const AWS_OPTIONS: readonly string[] = ['region', 'endpoint', 'credentials', 'maxAttempts', 'retryMode'] satisfies Array<
  keyof AwsKmsClientOptions
>;
/** Every provider option besides `kms`. */
const PROVIDER_OPTIONS: Readonly<Record<string, true>> = Object.fromEntries(
  Object.keys(PROVIDER_OPTION_NAMES)
    .filter((name) => name !== 'kms')
    .map((name) => [name, true]),
);

export class AwsKmsKeyProvider extends KmsKeyProvider {
  constructor(options: AwsKmsKeyProviderOptions) {
    super(withKms(options));
  }
}

/** The provider core's options: `kms` as given, or an AwsSdkKms built from the AWS client options. */
function withKms(options: AwsKmsKeyProviderOptions): KmsKeyProviderOptions {
  const given: unknown = options;
  if (!isRecord(given)) return options as KmsKeyProviderOptions; // the core refuses it with its own message
  const aws = AWS_OPTIONS.filter((name) => given[name] !== undefined);
  if (given['kms'] !== undefined) {
    if (aws.length > 0) {
      throw new InvalidArgumentError(
        `options.${aws.join(', options.')} configure the AWS KMS client built when options.kms is absent; ` +
          'configure the KmsPort you pass as options.kms instead',
      );
    }
    return options as KmsKeyProviderOptions;
  }
  // Building a client for real AWS: a misspelt option (say `endpiont`) must not silently reach it.
  const unknown = Object.keys(given).filter(
    (name) => name !== 'kms' && !AWS_OPTIONS.includes(name) && !Object.hasOwn(PROVIDER_OPTIONS, name),
  );
  if (unknown.length > 0) {
    const allowed = ['kms', ...Object.keys(PROVIDER_OPTIONS), ...AWS_OPTIONS].join(', ');
    throw new InvalidArgumentError(`Unknown option(s): ${unknown.join(', ')} (allowed: ${allowed})`);
  }
  if (given['region'] === undefined && regionFromEnvironment() === undefined) {
    throw new InvalidArgumentError(
      'options.kms must be a KmsPort (e.g. new SimulatedKms()), or options.region (or AWS_REGION / AWS_DEFAULT_REGION) ' +
        'must name the Region of AWS KMS',
    );
  }
  const clientOptions = Object.fromEntries(aws.map((name) => [name, given[name]])) as AwsSdkKmsOptions;
  const providerOptions = Object.fromEntries(
    Object.entries(given).filter(([name]) => Object.hasOwn(PROVIDER_OPTIONS, name)),
  );
  return { ...(providerOptions as Omit<KmsKeyProviderOptions, 'kms'>), kms: new AwsSdkKms(clientOptions) };
}
