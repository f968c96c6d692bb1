/** `jwk`, `jwks`: the public keys as verifiers see them. */
import { Option, type Command } from 'commander';
import type { JwksInclude, JwksOptions } from '../../index.js';
import { JWKS_INCLUDES } from '../arguments.js';
import type { CommandContext } from '../command-context.js';
import { jwkOutput, jwksOutput } from '../output.js';
import { kidArgument, versionOption } from './keys.js';

export function registerPublishCommands(program: Command, context: CommandContext): void {
  program
    .command('jwk')
    .description("Print the public JWK of a version of a kid (kid '<kid>.<version>', alg, use; asymmetric keys only)")
    .addArgument(kidArgument())
    .addOption(versionOption('the version'))
    .addHelpText('after', ['', 'Examples:', '  kms-keys jwk 3f2a9c0d1b7e4a55', '  kms-keys jwk 3f2a9c0d1b7e4a55 --version 2 --output json'].join('\n'))
    .action(async (kid: string, flags: { version?: number }, command: Command) => {
      await context.withProvider(command, async (provider) => jwkOutput(await provider.getPublicJwk(kid, flags.version)));
    });

  program
    .command('jwks')
    .description('Print the JWKS: the latest Enabled version of every asymmetric kid under the alias prefix (--include enabled: every Enabled version)')
    .option('--prefix <kid-prefix>', 'only kids starting with this string')
    .addOption(
      new Option('--include <versions>', 'latest: one key per kid; enabled: every Enabled version (tokens of older versions keep verifying)')
        .choices(JWKS_INCLUDES)
        .default('latest'),
    )
    .option('--x5c', 'add x5c / x5t#S256: a self-signed certificate per signing key version, signed by KMS')
    .addHelpText(
      'after',
      [
        '',
        'Examples:',
        '  kms-keys jwks --output json > jwks.json',
        '  kms-keys jwks --prefix 3f2a',
        '  kms-keys jwks --include enabled --output json',
        '  kms-keys jwks --x5c --output json',
      ].join('\n'),
    )
    .action(async (flags: { prefix?: string; include: JwksInclude; x5c?: boolean }, command: Command) => {
      const options: JwksOptions = {
        include: flags.include,
        ...(flags.prefix === undefined ? {} : { prefixKids: flags.prefix }),
        ...(flags.x5c === true ? { x5c: true } : {}),
      };
      await context.withProvider(command, async (provider) => jwksOutput(await provider.jwks(options)));
    });
}
