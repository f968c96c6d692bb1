/** `seed <file>`: loads a seed file (keys, aliases, tags) into the simulator's state directory. */
import { readFile } from 'node:fs/promises';
import type { Command } from 'commander';
import type { CommandContext } from '../command-context.js';
import { DEFAULT_ACCOUNT_ID, DEFAULT_SIMULATOR_REGION } from '../arguments.js';
import { UsageError } from '../errors.js';
import { seedOutput } from '../output.js';
import type { SeedOutcome } from '../../index.js';
import { readSeed, seedByPartition, seedReport } from '../../adapters/simulator/operations/seeding.js';

/** The text of a file named on the command line; a file that cannot be read is bad input (exit 2). */
export async function readInputFile(path: string, what: string): Promise<string> {
  try {
    return await readFile(path, 'utf8');
  } catch (error) {
    const reason = error instanceof Error && 'code' in error ? String(error.code) : String(error);
    throw new UsageError(`cannot read ${what} '${path}' (${reason})`, { cause: error });
  }
}

export function registerSeedCommand(program: Command, context: CommandContext): void {
  program
    .command('seed')
    .description(
      'Load a seed file (YAML or JSON: keys, aliases, tags) into the simulator in --state-dir; each entry goes to ' +
        'the account and Region it names (default 111122223333 and --region)',
    )
    .argument('<file>', 'the seed file')
    .addHelpText('after', ['', 'Example:', '  kms-keys --state-dir ./.kms-sim seed fixtures/seed/provider-kid.yaml'].join('\n'))
    .action(async (file: string, _flags: object, command: Command) => {
      const options = context.globals(command);
      if (options.backend !== 'simulator') throw new UsageError('seed loads the simulator: it needs --backend simulator');
      if (options.endpointUrl !== undefined) throw new UsageError('--endpoint-url applies to --backend aws only');
      const text = await readInputFile(file, 'seed file');
      const { closeSimulator, openSimulator } = await import('../backend.js');
      // Each partition's simulator applies exactly its entries and skips the others; the outcomes merge back.
      const seed = seedByPartition(readSeed(text, file), {
        accountId: DEFAULT_ACCOUNT_ID,
        region: options.region ?? DEFAULT_SIMULATOR_REGION,
      });
      const applied: SeedOutcome[] = [];
      for (const partition of seed.partitions) {
        const simulator = openSimulator({ ...options, region: partition.region }, partition.accountId);
        context.debug(options, `seeding state dir ${options.stateDir}, account ${partition.accountId}, region ${partition.region}`);
        try {
          const report = await simulator.seed(seed.entries, { source: file });
          applied.push(...report.entries.filter((outcome) => outcome.status !== 'skipped'));
        } finally {
          await closeSimulator(simulator);
        }
      }
      const report = seedReport(applied);
      context.print(options, seedOutput(file, report));
    });
}
