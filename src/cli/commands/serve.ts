/**
 * `serve`: the durable simulator over the AWS KMS wire protocol, with the provider's JWKS beside it, until
 * SIGINT or SIGTERM. A composition of startSimulatorServer (src/kms-simulator-server.ts); it prints the two URLs
 * on stdout as soon as the server listens (text: two lines; json: one line `{"url","jwksUrl"}`).
 */
import { Option, type Command } from 'commander';
import {
  DEFAULT_ACCOUNT_ID,
  DEFAULT_HOST,
  DEFAULT_JWKS_MAX_AGE,
  DEFAULT_PORT,
  DEFAULT_SIMULATOR_REGION,
  JWKS_INCLUDES,
  parseAccountId,
  parsePort,
  parseSeconds,
  parseLogSize,
} from '../arguments.js';
import type { CommandContext } from '../command-context.js';
import { parseFaultSpec } from '../../adapters/simulator/faults/fault-spec.js';
import { UsageError } from '../errors.js';
import { serveOutput } from '../output.js';
import { readInputFile } from './seed.js';
import { isLoopbackHost } from '../../adapters/http/host-guard.js';
import type { SimulatorServerOptions } from '../../kms-simulator-server.js';
import type { JwksInclude } from '../../index.js';

interface ServeFlags {
  host: string;
  port: number;
  accountId: string;
  jwksMaxAge: number;
  jwksInclude: JwksInclude;
  jwksX5c?: boolean;
  seed?: string;
  insecureNoAuth?: boolean;
  faults?: string;
  enforcePolicies?: boolean;
  ui: boolean;
  uiActions?: boolean;
  uiLogSize: number;
}

/** Resolves with the first SIGINT or SIGTERM the process receives. */
export function nextStopSignal(): Promise<NodeJS.Signals> {
  return new Promise((resolve) => {
    const stop = (signal: NodeJS.Signals): void => {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      resolve(signal);
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  });
}

export function registerServeCommand(
  program: Command,
  context: CommandContext,
  waitForStop: () => Promise<string> = nextStopSignal,
): void {
  program
    .command('serve')
    .description(
      'Serve the simulator in --state-dir over the AWS KMS JSON 1.1 protocol (any AWS SDK, boto3, the aws CLI) ' +
        'with the JWKS beside it, until SIGINT/SIGTERM',
    )
    .addOption(
      new Option('--host <host>', 'interface to listen on (a non-loopback one, such as 0.0.0.0, needs --insecure-no-auth)').default(
        DEFAULT_HOST,
      ),
    )
    .addOption(new Option('--port <port>', 'TCP port; 0 picks a free one').default(DEFAULT_PORT).argParser(parsePort))
    .addOption(new Option('--account-id <id>', 'AWS account of the simulated keys (12 digits)').default(DEFAULT_ACCOUNT_ID).argParser(parseAccountId))
    .addOption(
      new Option('--jwks-max-age <seconds>', 'Cache-Control max-age of the JWKS response').default(DEFAULT_JWKS_MAX_AGE).argParser(parseSeconds),
    )
    .addOption(
      new Option('--jwks-include <versions>', 'the JWKS publishes the latest version of each kid, or every Enabled version (rotation that never breaks a token)')
        .choices(JWKS_INCLUDES)
        .default('latest'),
    )
    .option('--jwks-x5c', 'publish x5c / x5t#S256: a self-signed certificate per signing key version, signed by KMS')
    .option('--seed <file>', 'load this seed file before serving')
    .option(
      '--faults <file|spec>',
      "inject KMS faults (docs/kms-behaviour.md §16.1): a spec such as 'Sign:rate=0.2:ThrottlingException,*:latency=5;seed=42', JSON, or a file of either",
    )
    .option(
      '--enforce-policies',
      'authorize every request by the key policy and grants (docs/kms-behaviour.md §26): the caller is the root of its 12-digit access key id; another account uses a key by its key ARN',
    )
    .option('--insecure-no-auth', 'allow a non-loopback --host although requests are not authenticated (anyone reaching it can use every key)')
    .option('--no-ui', 'do not serve the web console at /ui/')
    .option('--ui-actions', "let the console rotate, activate, retire and delete versions (it is read-only without)")
    .addOption(new Option('--ui-log-size <n>', "how many KMS requests the console's request log keeps").default(1000).argParser(parseLogSize))
    .addHelpText(
      'after',
      [
        '',
        'Routing: the Region of a request is its SigV4 credential scope (unsigned: --region); the account is a',
        '12-digit access key id (else --account-id). JWKS: GET /.well-known/jwks.json (ETag, 304, Cache-Control).',
        '',
        'Security: on a loopback --host (the default) only the Host names 127.0.0.1, localhost and [::1] are served',
        '(403 otherwise: a DNS-rebinding guard). A non-loopback --host is refused unless --insecure-no-auth is given:',
        'requests are never authenticated, so anyone who reaches the port can use every key. No CORS headers are sent.',
        'Console: http://127.0.0.1:<port>/ui/ (loopback only; read-only unless --ui-actions; --no-ui turns it off).',
        '',
        'Pointing clients at it (any secret key; a 12-digit access key id picks the account):',
        '  aws CLI v1 / boto3   export AWS_ACCESS_KEY_ID=111122223333 AWS_SECRET_ACCESS_KEY=x \\',
        '                              AWS_DEFAULT_REGION=us-east-1 AWS_ENDPOINT_URL=http://127.0.0.1:4599',
        '                       (they read AWS_DEFAULT_REGION, not AWS_REGION; or pass --endpoint-url / endpoint_url=)',
        "  boto3                boto3.client('kms', endpoint_url='http://127.0.0.1:4599', region_name='eu-west-1')",
        "  AWS SDK v3           new KMSClient({ endpoint: 'http://127.0.0.1:4599', region: 'eu-west-1',",
        "                         credentials: { accessKeyId: '222222222222', secretAccessKey: 'x' } })",
        '',
        'Examples:',
        '  kms-keys serve --port 4599 --seed fixtures/seed/provider-kid.yaml',
        "  kms-keys serve --faults 'DescribeKey:nth=3:KMSInternalException;seed=42'",
        '  kms-keys serve --enforce-policies   # AccessDeniedException unless a key policy or grant allows the caller',
        '  kms-keys serve --jwks-include enabled --jwks-max-age 60   # every Enabled version: see docs/rotation-runbook.md',
        '  aws kms list-keys --endpoint-url http://127.0.0.1:4599 --region us-east-1',
        '  kms-keys --backend aws --endpoint-url http://127.0.0.1:4599 --region us-east-1 jwks',
      ].join('\n'),
    )
    .action(async (flags: ServeFlags, command: Command) => {
      const options = context.globals(command);
      if (options.backend !== 'simulator') throw new UsageError('serve serves the simulator: it needs --backend simulator');
      if (options.endpointUrl !== undefined) throw new UsageError('--endpoint-url applies to --backend aws only');
      if (!isLoopbackHost(flags.host) && flags.insecureNoAuth !== true) {
        throw new UsageError(
          `--host ${flags.host} is not a loopback address and serve does not authenticate requests, so anyone who ` +
            'reaches it could use every key: add --insecure-no-auth to serve it anyway (or keep --host 127.0.0.1)',
        );
      }
      const serverOptions: SimulatorServerOptions & { stateDir: string } = {
        stateDir: options.stateDir,
        region: options.region ?? DEFAULT_SIMULATOR_REGION,
        accountId: flags.accountId,
        host: flags.host,
        port: flags.port,
        aliasPrefix: options.aliasPrefix,
        jwksMaxAgeSeconds: flags.jwksMaxAge,
        jwksInclude: flags.jwksInclude,
        ...(flags.jwksX5c === true ? { jwksX5c: true } : {}),
        ...(flags.insecureNoAuth === true ? { insecureNoAuth: true } : {}),
        ...(flags.enforcePolicies === true ? { enforcePolicies: true } : {}),
        onWarning: (message) => context.io.stderr.write(`${message}\n`),
        ui: flags.ui,
        uiLogSize: flags.uiLogSize,
        ...(flags.uiActions === true ? { uiActions: true } : {}),
      };
      if (flags.seed !== undefined) {
        serverOptions.seed = await readInputFile(flags.seed, 'seed file');
        serverOptions.seedSource = flags.seed;
      }
      if (flags.faults !== undefined) {
        const isSpec = /[:;{]/.test(flags.faults); // a rule always has ':'; anything else is a file path
        const text = isSpec ? flags.faults : await readInputFile(flags.faults, 'faults file');
        try {
          serverOptions.faults = parseFaultSpec(text, isSpec ? '--faults' : flags.faults);
        } catch (e) {
          throw new UsageError((e as Error).message, { cause: e });
        }
      }
      // Loaded on demand, as the backends are: help and bad input stay fast.
      const { startSimulatorServer } = await import('../../kms-simulator-server.js');
      const server = await startSimulatorServer(serverOptions);
      // Listening for the stop signal from here on (before the URLs are printed: whoever reads them may stop us).
      const stop = waitForStop();
      if (server.faultSeed !== undefined) {
        context.io.stderr.write(`faults: injecting, seed ${server.faultSeed} (replay with ;seed=${server.faultSeed})\n`);
      }
      // The console's URL when it is served (on a loopback --host: serve cannot take credentials).
      const consoleUrl = flags.ui && isLoopbackHost(flags.host) ? `${server.url}/ui/` : undefined;
      context.io.stdout.write(serveOutput(server.url, server.jwksUrl, options.output, consoleUrl));
      context.debug(options, `serving state dir ${options.stateDir}, region ${serverOptions.region}, account ${flags.accountId}`);
      const signal = await stop;
      context.debug(options, `${signal}: closing`);
      await server.close();
    });
}
