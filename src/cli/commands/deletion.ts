/** `destroy`, `cancel-deletion`: scheduling the deletion of versions of a kid, and undoing it. */
import { Option, type Command } from 'commander';
import type { CommandContext } from '../command-context.js';
import { parseWindowDays } from '../arguments.js';
import { cancelDeletionOutput, destroyOutput } from '../output.js';
import { kidArgument, versionOption } from './keys.js';

export function registerDeletionCommands(program: Command, context: CommandContext): void {
  program
    .command('destroy')
    .description(
      'Schedule the deletion of one version of a kid, or of every version not already pending; the latest alias ' +
        'moves to the highest live version',
    )
    .addArgument(kidArgument())
    .addOption(versionOption('only this version', 'every version'))
    .addOption(
      new Option('--window-days <days>', 'KMS waiting period before deletion, 7 to 30 days').default(30).argParser(parseWindowDays),
    )
    .addHelpText(
      'after',
      ['', 'Examples:', '  kms-keys destroy 3f2a9c0d1b7e4a55 --version 1 --window-days 7', '  kms-keys destroy 3f2a9c0d1b7e4a55'].join('\n'),
    )
    .action(async (kid: string, flags: { version?: number; windowDays: number }, command: Command) => {
      await context.withProvider(command, async (provider) => {
        const pendingDeletion = await provider.destroyKey(kid, flags.version, { pendingWindowInDays: flags.windowDays });
        return destroyOutput({ kid, version: flags.version ?? null, pendingWindowInDays: flags.windowDays, pendingDeletion });
      });
    });

  program
    .command('cancel-deletion')
    .description('Cancel the scheduled deletion of one version of a kid, or of every version pending deletion')
    .addArgument(kidArgument())
    .addOption(versionOption('only this version', 'every version pending deletion'))
    .addHelpText('after', ['', 'Example:', '  kms-keys cancel-deletion 3f2a9c0d1b7e4a55 --version 1'].join('\n'))
    .action(async (kid: string, flags: { version?: number }, command: Command) => {
      await context.withProvider(command, async (provider) =>
        cancelDeletionOutput(kid, await provider.cancelKeyDeletion(kid, flags.version)),
      );
    });
}
