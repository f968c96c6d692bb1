/**
 * `activate`, `retire`, `reinstate`: rotation that never breaks a token (docs/rotation-runbook.md) — which
 * version signs (the latest alias) and which versions verifiers may still use (the Enabled ones, published by
 * `jwks --include enabled`). Pre-publishing is `rotate <kid> --no-activate` (commands/keys.ts).
 */
import { Option, type Command } from 'commander';
import { parseVersion } from '../arguments.js';
import type { CommandContext } from '../command-context.js';
import { keyRefOutput, versionStateOutput } from '../output.js';
import { kidArgument } from './keys.js';

function requiredVersion(what: string): Option {
  return new Option('--version <n>', what).argParser(parseVersion).makeOptionMandatory();
}

export function registerRotationCommands(program: Command, context: CommandContext): void {
  program
    .command('activate')
    .description(
      'Make a version the latest (it signs from now on): a pre-published one (rotate --no-activate), or an older one ' +
        'to roll back; the others stay Enabled and published. Prints its KeyRef',
    )
    .addArgument(kidArgument())
    .addOption(requiredVersion('the version to make the latest (Enabled: not retired, not pending deletion)'))
    .addHelpText(
      'after',
      [
        '',
        'Examples:',
        '  kms-keys rotate 3f2a9c0d1b7e4a55 --no-activate     # v3 published, v2 still signs',
        '  kms-keys activate 3f2a9c0d1b7e4a55 --version 3     # once verifiers have fetched v3',
        '  kms-keys activate 3f2a9c0d1b7e4a55 --version 2     # a rollback',
      ].join('\n'),
    )
    .action(async (kid: string, flags: { version: number }, command: Command) => {
      await context.withProvider(command, async (provider) => keyRefOutput(await provider.activateVersion(kid, flags.version)));
    });

  program
    .command('retire')
    .description(
      'Retire a version no valid token needs any more: KMS DisableKey (kept; reinstate undoes it, destroy deletes it), ' +
        'out of every JWKS. The latest version is refused (activate or rotate first)',
    )
    .addArgument(kidArgument())
    .addOption(requiredVersion('the version to retire (not the latest)'))
    .addHelpText('after', ['', 'Example:', '  kms-keys retire 3f2a9c0d1b7e4a55 --version 1'].join('\n'))
    .action(async (kid: string, flags: { version: number }, command: Command) => {
      await context.withProvider(command, async (provider) => {
        await provider.retireVersion(kid, flags.version);
        return versionStateOutput(kid, flags.version, 'retired');
      });
    });

  program
    .command('reinstate')
    .description('Undo retire: KMS EnableKey of a retired version, published again by jwks --include enabled (the latest stays)')
    .addArgument(kidArgument())
    .addOption(requiredVersion('the retired version to enable again'))
    .addHelpText('after', ['', 'Example:', '  kms-keys reinstate 3f2a9c0d1b7e4a55 --version 1'].join('\n'))
    .action(async (kid: string, flags: { version: number }, command: Command) => {
      await context.withProvider(command, async (provider) => {
        await provider.reinstateVersion(kid, flags.version);
        return versionStateOutput(kid, flags.version, 'enabled');
      });
    });
}
