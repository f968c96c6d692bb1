#!/usr/bin/env node
/** The kms-keys bin: runs one command line (src/cli/program.ts) and sets the process exit code. */
import { run } from './program.js';

// The AWS SDK's multi-line notice about future Node.js versions is for application developers, not CLI output.
process.env['AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED'] ??= 'true';
// A reader that stops early (`kms-keys jwks | head -1`) is no failure worth a stack trace.
process.stdout.on('error', (error: NodeJS.ErrnoException) => {
  if (error.code !== 'EPIPE') throw error;
  process.exit(process.exitCode ?? 0);
});
process.exitCode = await run(process.argv);
