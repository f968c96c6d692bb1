/**
 * The composition of the CLI: the global flags → one AwsKmsKeyProvider over the chosen backend, and its closing.
 *
 * - `simulator` (default): a durable SimulatedKms in `--state-dir` (default `./.kms-sim`, or KMS_SIM_STATE_DIR)
 *   for `--region` (default us-east-1), closed after the command.
 * - `aws`: the provider's own AWS SDK adapter, Region `--region` or AWS_REGION / AWS_DEFAULT_REGION, credentials
 *   from the SDK's default chain, `--endpoint-url` for another endpoint (`kms-keys serve`, LocalStack, …).
 */
import { AwsKmsKeyProvider, SimulatedKms, type SimulatedKmsOptions } from '../index.js';
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

/** The durable simulator's options (its store in `stateDir`). */
export type DurableSimulatorOptions = SimulatedKmsOptions & { stateDir: string };

/** The simulator as the CLI uses it: a KmsPort that is closed after the command and can be seeded. */
export type CliSimulator = SimulatedKms & {
  close?(): Promise<void>;
  /** Seeding (docs/kms-behaviour.md §17): a seed document's text; `source` names it in messages. */
  seed?(input: string, options?: { source?: string }): Promise<unknown>;
};

export interface Backend {
  provider: AwsKmsKeyProvider;
  /** The simulator behind the provider (simulator backend only). */
  simulator?: CliSimulator;
  /** One line for `--debug`: which backend, where. */
  description: string;
  close(): Promise<void>;
}

/** Opens the simulator in its state directory (refused with the aws backend). */
export function openSimulator(options: GlobalOptions, accountId?: string): CliSimulator {
  const simulatorOptions: DurableSimulatorOptions = {
    stateDir: options.stateDir,
    region: options.region ?? DEFAULT_SIMULATOR_REGION,
  };
  if (accountId !== undefined) simulatorOptions.accountId = accountId;
  return new SimulatedKms(simulatorOptions) as CliSimulator;
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

export function openBackend(options: GlobalOptions, env: Readonly<Record<string, string | undefined>>): Backend {
  checkBackendOptions(options, env);
  if (options.backend === 'aws') {
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
    const provider = new AwsKmsKeyProvider({ kms: simulator, aliasPrefix: options.aliasPrefix });
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

export async function closeSimulator(simulator: CliSimulator): Promise<void> {
  await simulator.close?.();
}
