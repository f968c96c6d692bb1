/** `seed <file>`: loads a seed file (keys, aliases, tags) into the simulator's state directory. */
import { readFile } from 'node:fs/promises';
import type { Command } from 'commander';
import type { CommandContext } from '../command-context.js';
import { UsageError } from '../errors.js';
import { seedOutput } from '../output.js';
import type { SeedReport } from '../../index.js';

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
    .description('Load a seed file (YAML or JSON: keys, aliases, tags) into the simulator in --state-dir')
    .argument('<file>', 'the seed file')
    .addHelpText('after', ['', 'Example:', '  kms-keys --state-dir ./.kms-sim seed fixtures/seed/provider-kid.yaml'].join('\n'))
    .action(async (file: string, _flags: object, command: Command) => {
      const options = context.globals(command);
      if (options.backend !== 'simulator') throw new UsageError('seed loads the simulator: it needs --backend simulator');
      if (options.endpointUrl !== undefined) throw new UsageError('--endpoint-url applies to --backend aws only');
      const text = await readInputFile(file, 'seed file');
      const { closeSimulator, openSimulator } = await import('../backend.js');
      const simulator = openSimulator(options);
      context.debug(options, `backend simulator, state dir ${options.stateDir}, region ${simulator.region}`);
      let report: SeedReport;
      try {
        report = await simulator.seed(text, { source: file });
      } finally {
        await closeSimulator(simulator);
      }
      context.print(options, seedOutput(file, report));
    });
}
