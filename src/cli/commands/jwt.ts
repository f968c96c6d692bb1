/** `jwt`: a JWT signed by KMS with the latest version of a kid (KmsJwtSigner), verifiable against `jwks`. */
import { Option, type Command } from 'commander';
import { KmsJwtSigner } from '../../signer/kms-jwt-signer.js';
import type { SignJwtOptions } from '../../index.js';
import { collectHeader, parseClaims, parseLifetime, parseTimeSpan } from '../arguments.js';
import type { CommandContext } from '../command-context.js';
import type { Printable } from '../output.js';
import { kidArgument } from './keys.js';

interface JwtFlags {
  claims?: Record<string, unknown>;
  expiresIn: number;
  notBefore?: number;
  header?: Record<string, string>;
}

/** text: the token alone (for `$(kms-keys jwt …)`); json: `{ token, kid, alg, iat, nbf?, exp }`. */
export function jwtOutput(token: string): Printable {
  const [header, payload] = token.split('.').slice(0, 2).map((part) => JSON.parse(Buffer.from(part, 'base64url').toString('utf8')) as Record<string, unknown>);
  const { kid, alg } = header!;
  const { iat, nbf, exp } = payload!;
  return { json: { token, kid, alg, iat, ...(nbf === undefined ? {} : { nbf }), exp }, text: token };
}

export function registerJwtCommand(program: Command, context: CommandContext): void {
  program
    .command('jwt')
    .description(
      "Sign a JWT with KMS Sign and the latest version of a kid (header alg = the JOSE alg, kid = '<kid>.<version>'); " +
        'iat is now, exp = iat + --expires-in',
    )
    .addArgument(kidArgument())
    .addOption(new Option('--claims <json>', 'the claims, a JSON object (without iat, nbf, exp)').argParser(parseClaims))
    .addOption(
      new Option('--expires-in <time>', "lifetime: seconds or a time span ('90s', '10m', '2h', '7d', '1w', '1y')")
        .argParser(parseLifetime)
        .makeOptionMandatory(),
    )
    .addOption(new Option('--not-before <time>', 'nbf = iat + this (seconds or a time span; less than --expires-in)').argParser(parseTimeSpan))
    .addOption(new Option('--header <name=value>', 'an extra header member, a string (repeatable; not alg or kid)').argParser(collectHeader))
    .addHelpText(
      'after',
      [
        '',
        'Examples:',
        `  kms-keys jwt 3f2a9c0d1b7e4a55 --claims '{"sub":"alice","aud":"api"}' --expires-in 600`,
        '  kms-keys jwt 3f2a9c0d1b7e4a55 --expires-in 1h --not-before 30 --header typ=at+jwt --output json',
      ].join('\n'),
    )
    .action(async (kid: string, flags: JwtFlags, command: Command) => {
      const options: SignJwtOptions = { expiresIn: flags.expiresIn };
      if (flags.notBefore !== undefined) options.notBefore = flags.notBefore;
      if (flags.header !== undefined) options.headers = flags.header;
      await context.withProvider(command, async (provider) =>
        jwtOutput(await new KmsJwtSigner({ provider }).signJwt(kid, flags.claims ?? {}, options)),
      );
    });
}
