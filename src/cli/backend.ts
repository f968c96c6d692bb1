/**
 * The composition of the CLI: the global flags → one key provider over the chosen backend, and its closing.
 *
 * - `simulator` (default): a durable SimulatedKms in `--state-dir` (default `./.kms-sim`, or KMS_SIM_STATE_DIR)
 *   for `--region` (default us-east-1), closed after the command. The provider is the core `KmsKeyProvider` over
 *   it — exactly what `new AwsKmsKeyProvider({ kms, aliasPrefix })` is (that class only adds building an AWS
 *   adapter when `kms` is absent) — so that simulator commands never load the AWS SDK (a faster start).
 * - `aws`: `new AwsKmsKeyProvider({ region, endpoint, aliasPrefix })`, the provider's own AWS SDK adapter: Region
 *   `--region` or AWS_REGION / AWS_DEFAULT_REGION, credentials from the SDK's default chain, `--endpoint-url` for
 *   another endpoint (`kms-keys serve`, LocalStack, …).
 */
import { SimulatedKms, type SimulatedKmsOptions } from '../adapters/simulator/simulated-kms.js';
import { KmsKeyProvider } from '../provider/kms-key-provider.js';
import { DEFAULT_SIMULATOR_REGION, type BackendName } from './arguments.js';
import { UsageError } from './errors.js';
import type { OutputFormat } from './output.js';

/** The global flags, as commander parsed them. */
export interface GlobalOptions {
  backend: BackendName;
  stateDir: string;
  region?: string;
  endpointUrl?: string;
  aliasPrefix: string;
  output: OutputFormat;
  debug: boolean;
}


export interface Backend {
  provider: KmsKeyProvider;
  /** The simulator behind the provider (simulator backend only). */
  simulator?: SimulatedKms;
  /** One line for `--debug`: which backend, where. */
  description: string;
  close(): Promise<void>;
}

/** Opens the simulator in its state directory (refused with the aws backend). */
export function openSimulator(options: GlobalOptions, accountId?: string): SimulatedKms {
  const simulatorOptions: SimulatedKmsOptions = {
    stateDir: options.stateDir,
    region: options.region ?? DEFAULT_SIMULATOR_REGION,
  };
  if (accountId !== undefined) simulatorOptions.accountId = accountId;
  return new SimulatedKms(simulatorOptions);
}

/** Checks the flags that depend on the backend, before anything is opened. */
export function checkBackendOptions(options: GlobalOptions, env: Readonly<Record<string, string | undefined>>): void {
  if (options.backend === 'simulator' && options.endpointUrl !== undefined) {
    throw new UsageError('--endpoint-url applies to --backend aws only (the simulator backend works in --state-dir)');
  }
  if (options.backend === 'aws' && options.region === undefined && !env['AWS_REGION'] && !env['AWS_DEFAULT_REGION']) {
    throw new UsageError('--backend aws needs a Region: --region <region>, or AWS_REGION / AWS_DEFAULT_REGION');
  }
}

export async function openBackend(options: GlobalOptions, env: Readonly<Record<string, string | undefined>>): Promise<Backend> {
  checkBackendOptions(options, env);
  if (options.backend === 'aws') {
    const { AwsKmsKeyProvider } = await import('../aws-kms-key-provider.js');
    const provider = new AwsKmsKeyProvider({
      aliasPrefix: options.aliasPrefix,
      ...(options.region === undefined ? {} : { region: options.region }),
      ...(options.endpointUrl === undefined ? {} : { endpoint: options.endpointUrl }),
    });
    const where = options.endpointUrl ?? 'the AWS endpoint';
    return {
      provider,
      description: `backend aws, region ${options.region ?? env['AWS_REGION'] ?? env['AWS_DEFAULT_REGION']}, ${where}, alias prefix ${options.aliasPrefix}`,
      close: async () => {},
    };
  }
  const simulator = openSimulator(options);
  try {
    const provider = new KmsKeyProvider({ kms: simulator, aliasPrefix: options.aliasPrefix });
    return {
      provider,
      simulator,
      description: `backend simulator, state dir ${options.stateDir}, region ${simulator.region}, alias prefix ${options.aliasPrefix}`,
      close: () => closeSimulator(simulator),
    };
  } catch (error) {
    void closeSimulator(simulator);
    throw error;
  }
}

export async function closeSimulator(simulator: SimulatedKms): Promise<void> {
  await simulator.close();
}
