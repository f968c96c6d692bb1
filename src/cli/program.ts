/**
 * kms-keys: the commander program (global flags, the commands of src/cli/commands/, help) and `run`, which
 * parses argv, runs one command and returns its exit code (src/cli/errors.ts) — never throwing, never exiting.
 */
import { Command, InvalidArgumentError as CommanderArgumentError, CommanderError, Option } from 'commander';
import { normalizeAliasPrefix } from '../domain/alias-names.js';
import { BACKENDS, DEFAULT_STATE_DIR, STATE_DIR_ENV } from './arguments.js';
import { CommandContext } from './command-context.js';
import { registerDeletionCommands } from './commands/deletion.js';
import { registerJwtCommand } from './commands/jwt.js';
import { registerKeyCommands } from './commands/keys.js';
import { registerPublishCommands } from './commands/publish.js';
import { registerRotationCommands } from './commands/rotation.js';
import { registerSeedCommand } from './commands/seed.js';
import { registerServeCommand } from './commands/serve.js';
import { ExitCode, debugReport, errorLine, exitCodeFor, oneLine } from './errors.js';
import { OUTPUT_FORMATS, type CliIo } from './output.js';

export interface ProgramHooks {
  /** `serve` runs until this resolves; default the first SIGINT/SIGTERM. */
  waitForStop?: () => Promise<string>;
}

const GLOBAL_HELP = `
Backends:
  simulator  a durable KMS simulator in --state-dir: keys survive between runs; no credentials, no network
  aws        AWS KMS through the AWS SDK (credentials from its default chain: environment, shared config, SSO,
             container and instance roles); --endpoint-url for another endpoint such as 'kms-keys serve'

Output:
  text (default) readable lines; json the provider's objects as they are (KeyRef, JWK, JWKS), versions as an array.
  Never any private key material.

Exit codes:
  0  success
  1  KMS or provider failure (unknown kid, key state, access denied, throttling, connection refused, ...)
  2  bad input (unknown command or flag, unknown --alg, bad --size, bad kid, bad --tag, unreadable file)

Environment:
  ${STATE_DIR_ENV}                     default --state-dir
  AWS_REGION, AWS_DEFAULT_REGION        default --region of --backend aws
  AWS_ACCESS_KEY_ID, AWS_PROFILE, ...   credentials of --backend aws

Examples:
  kms-keys create --alg RSA_PSS_SHA256 --label jwt-signing
  kms-keys rotate 3f2a9c0d1b7e4a55
  kms-keys rotate 3f2a9c0d1b7e4a55 --no-activate && kms-keys activate 3f2a9c0d1b7e4a55 --version 3
  kms-keys --output json jwks > jwks.json
  kms-keys serve --port 4599
  kms-keys --backend aws --region eu-west-1 --alias-prefix swarmauri-prod get 3f2a9c0d1b7e4a55
`;

function parseAliasPrefix(value: string): string {
  try {
    normalizeAliasPrefix(value);
  } catch (error) {
    throw new CommanderArgumentError(error instanceof Error ? `${error.message}.` : String(error));
  }
  return value;
}

function parseEndpointUrl(value: string): string {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new CommanderArgumentError('An endpoint URL is http(s)://host[:port].');
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new CommanderArgumentError('An endpoint URL is http(s)://host[:port].');
  return value;
}

export function buildProgram(io: CliIo, hooks: ProgramHooks = {}): Command {
  const context = new CommandContext(io);
  const program = new Command('kms-keys')
    .description(
      'Manage non-exportable AWS KMS signing and encryption keys (create, rotate, inspect, publish JWK/JWKS, destroy) ' +
        'with the aws-kms-keyprovider wire contract, against AWS KMS or an offline durable simulator.',
    )
    .addOption(new Option('--backend <backend>', 'where the keys live').choices(BACKENDS).default('simulator'))
    .addOption(
      new Option('--state-dir <dir>', `simulator state directory (default: ${DEFAULT_STATE_DIR}, or $${STATE_DIR_ENV})`),
    )
    .addOption(
      new Option('--region <region>', 'AWS Region (default: us-east-1 for the simulator; AWS_REGION / AWS_DEFAULT_REGION for aws)'),
    )
    .addOption(
      new Option('--endpoint-url <url>', "aws backend: the KMS endpoint, e.g. the URL of 'kms-keys serve'").argParser(parseEndpointUrl),
    )
    .addOption(new Option('--alias-prefix <prefix>', 'alias namespace: alias/<prefix>/<kid>').default('swarmauri').argParser(parseAliasPrefix))
    .addOption(new Option('--output <format>', 'output format').choices(OUTPUT_FORMATS).default('text'))
    .option('--debug', 'print stack traces and backend details on stderr', false)
    .configureHelp({ showGlobalOptions: true, sortSubcommands: false })
    .addHelpText('after', GLOBAL_HELP)
    .exitOverride()
    .configureOutput({
      writeOut: (text) => void io.stdout.write(text),
      writeErr: (text) => void io.stderr.write(text),
      outputError: (text, write) => write(`${oneLine(text)}\n`),
    });

  registerKeyCommands(program, context);
  registerPublishCommands(program, context);
  registerJwtCommand(program, context);
  registerRotationCommands(program, context);
  registerDeletionCommands(program, context);
  registerSeedCommand(program, context);
  registerServeCommand(program, context, hooks.waitForStop);

  for (const command of program.commands) {
    command.exitOverride().configureOutput(program.configureOutput());
  }
  return program;
}

/** Runs one command line (`argv` as process.argv: node, script, args…) and resolves with its exit code. */
export async function run(argv: readonly string[], io: CliIo = processIo(), hooks: ProgramHooks = {}): Promise<number> {
  const program = buildProgram(io, hooks);
  try {
    await program.parseAsync([...argv]);
    return ExitCode.ok;
  } catch (error) {
    if (error instanceof CommanderError) {
      // Help and version displays end with exit code 0; every other commander error is bad input, already printed.
      return error.exitCode === 0 ? ExitCode.ok : ExitCode.usage;
    }
    io.stderr.write(`${errorLine(error)}\n`);
    if (argv.includes('--debug')) io.stderr.write(debugReport(error));
    return exitCodeFor(error);
  }
}

export function processIo(): CliIo {
  return { stdout: process.stdout, stderr: process.stderr, env: process.env };
}
