/**
 * What every command's action shares: the global flags, the backend opened for the one call and closed after it,
 * and the printer of its result in the chosen `--output` format.
 */
import type { Command } from 'commander';
import type { KmsKeyProvider } from '../provider/kms-key-provider.js';
import { DEFAULT_STATE_DIR, STATE_DIR_ENV } from './arguments.js';
import type { Backend, GlobalOptions } from './backend.js';
import { render, type CliIo, type Printable } from './output.js';

export class CommandContext {
  constructor(readonly io: CliIo) {}

  /** The global flags of the command being run, defaults resolved. */
  globals(command: Command): GlobalOptions {
    const raw = command.optsWithGlobals<Partial<GlobalOptions>>();
    const env = this.io.env[STATE_DIR_ENV];
    const options: GlobalOptions = {
      backend: raw.backend ?? 'simulator',
      stateDir: raw.stateDir ?? (env === undefined || env === '' ? DEFAULT_STATE_DIR : env),
      aliasPrefix: raw.aliasPrefix ?? 'swarmauri',
      output: raw.output ?? 'text',
      debug: raw.debug === true,
    };
    if (raw.region !== undefined) options.region = raw.region;
    if (raw.endpointUrl !== undefined) options.endpointUrl = raw.endpointUrl;
    return options;
  }

  /** `--debug` lines on stderr. */
  debug(options: GlobalOptions, line: string): void {
    if (options.debug) this.io.stderr.write(`debug: ${line}\n`);
  }

  /** Opens the backend, runs the one provider call, prints its result, closes the backend (always). */
  async withProvider(
    command: Command,
    call: (provider: KmsKeyProvider, backend: Backend, options: GlobalOptions) => Promise<Printable>,
  ): Promise<void> {
    const options = this.globals(command);
    // Loaded on demand: help and bad input never load the AWS SDK or the simulator (a faster start).
    const { openBackend } = await import('./backend.js');
    const backend = await openBackend(options, this.io.env);
    this.debug(options, backend.description);
    let output: Printable;
    try {
      output = await call(backend.provider, backend, options);
    } catch (error) {
      // The command's failure is the one to report; a failure to close after it only goes to --debug.
      await backend.close().catch((closeError: unknown) => this.debug(options, `closing the backend failed too: ${String(closeError)}`));
      throw error;
    }
    await backend.close();
    this.print(options, output);
  }

  print(options: GlobalOptions, output: Printable): void {
    this.io.stdout.write(render(output, options.output));
  }
}
