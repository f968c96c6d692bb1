/** `create`, `rotate`, `get`, `versions`: KeyRefs and version lists. */
import { Argument, Option, type Command } from 'commander';
import type { KeySpec } from '../../domain/key-types.js';
import type { RotateOverrides } from '../../index.js';
import { SUPPORTED_ALGS, keyClassFor, type SupportedAlg } from '../../domain/spec-mapping.js';
import { collectTag, parseAlg, parseKid, parseRsaSize, parseVersion } from '../arguments.js';
import type { CommandContext } from '../command-context.js';
import { keyRefOutput, versionsOutput } from '../output.js';
import { withProgress } from '../progress.js';

export function kidArgument(): Argument {
  return new Argument('<kid>', 'the key id: 16 lowercase hex characters').argParser(parseKid);
}

/** `--version <n>`; `whenAbsent` says what the command does without it. */
export function versionOption(what: string, whenAbsent = 'the latest'): Option {
  return new Option('--version <n>', `${what} (default: ${whenAbsent})`).argParser(parseVersion);
}

interface CreateFlags {
  alg: SupportedAlg;
  size?: number;
  label?: string;
  tag?: Record<string, string>;
}

interface RotateFlags {
  size?: number;
  label?: string;
  /** false with --no-activate. */
  activate: boolean;
}

export function registerKeyCommands(program: Command, context: CommandContext): void {
  program
    .command('create')
    .description('Create a new non-exportable KMS key (version 1 of a new kid) and print its KeyRef')
    .addOption(
      new Option('--alg <alg>', `key algorithm: ${SUPPORTED_ALGS.join(', ')} (case-insensitive)`)
        .argParser(parseAlg)
        .makeOptionMandatory(),
    )
    .addOption(new Option('--size <bits>', 'RSA key size: 2048, 3072 or 4096, RSA algs only (default: 3072)').argParser(parseRsaSize))
    .option('--label <label>', 'a label, stored as the saur:label tag')
    .addOption(new Option('--tag <key=value>', 'a caller tag, stored as a KMS tag (repeatable)').argParser(collectTag))
    .addHelpText(
      'after',
      [
        '',
        'Examples:',
        '  kms-keys create --alg RSA_PSS_SHA256 --size 4096 --label jwt-signing --tag team=identity',
        '  kms-keys create --alg ECDSA_P256_SHA256 --output json',
        '  kms-keys create --alg AES256_GCM',
      ].join('\n'),
    )
    .action(async (flags: CreateFlags, command: Command) => {
      // The provider refuses --size for non-RSA algs.
      const spec: KeySpec = { klass: keyClassFor(flags.alg), alg: flags.alg };
      if (flags.size !== undefined) spec.sizeBits = flags.size;
      if (flags.label !== undefined) spec.label = flags.label;
      if (flags.tag !== undefined) spec.tags = flags.tag;
      const size = spec.sizeBits === undefined ? '' : ` (RSA-${spec.sizeBits})`;
      await context.withProvider(command, async (provider) =>
        keyRefOutput(
          await withProgress(
            { stream: context.io.stderr, label: `Creating an ${flags.alg} key${size}`, immediate: spec.sizeBits === 4096 },
            () => provider.createKey(spec),
          ),
        ),
      );
    });

  program
    .command('rotate')
    .description(
      'Create the next version of a kid (same alg, RSA size, label and tags unless overridden) and make it the latest ' +
        '(--no-activate: only publish it)',
    )
    .addArgument(kidArgument())
    .addOption(new Option('--size <bits>', 'new RSA key size: 2048, 3072 or 4096 (default: the current size)').argParser(parseRsaSize))
    .option('--label <label>', "new label (default: the current one; '' drops it)")
    .option(
      '--no-activate',
      'pre-publish: create and publish the new version (Enabled, in jwks --include enabled) but leave the latest ' +
        "alias where it is; 'activate --version N' makes it the latest once verifiers have fetched it",
    )
    .addHelpText(
      'after',
      [
        '',
        'Examples:',
        '  kms-keys rotate 3f2a9c0d1b7e4a55',
        '  kms-keys rotate 3f2a9c0d1b7e4a55 --size 4096 --label jwt-signing-2025',
        '  kms-keys rotate 3f2a9c0d1b7e4a55 --no-activate   # see docs/rotation-runbook.md',
      ].join('\n'),
    )
    .action(async (kid: string, flags: RotateFlags, command: Command) => {
      const overrides: RotateOverrides = flags.activate === false ? { activate: false } : {};
      if (flags.size !== undefined) overrides.sizeBits = flags.size;
      if (flags.label !== undefined) overrides.label = flags.label;
      await context.withProvider(command, async (provider) =>
        keyRefOutput(
          await withProgress(
            { stream: context.io.stderr, label: `${flags.activate === false ? 'Pre-publishing the next version of' : 'Rotating'} kid ${kid}`, immediate: flags.size === 4096 },
            () => provider.rotateKey(kid, overrides),
          ),
        ),
      );
    });

  program
    .command('get')
    .description('Print the KeyRef of a version of a kid (metadata and public key; never private material)')
    .addArgument(kidArgument())
    .addOption(versionOption('the version'))
    .addHelpText('after', ['', 'Examples:', '  kms-keys get 3f2a9c0d1b7e4a55', '  kms-keys get 3f2a9c0d1b7e4a55 --version 1 --output json'].join('\n'))
    .action(async (kid: string, flags: { version?: number }, command: Command) => {
      await context.withProvider(command, async (provider) => keyRefOutput(await provider.getKey(kid, flags.version)));
    });

  program
    .command('versions')
    .description('List the version numbers of a kid, ascending (versions pending deletion included)')
    .addArgument(kidArgument())
    .addHelpText('after', ['', 'Example:', '  kms-keys versions 3f2a9c0d1b7e4a55 --output json   # [1,2]'].join('\n'))
    .action(async (kid: string, _flags: object, command: Command) => {
      await context.withProvider(command, async (provider) => versionsOutput(await provider.listVersions(kid)));
    });
}
