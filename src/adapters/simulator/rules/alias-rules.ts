import { limitExceeded, notAuthorized, validationException } from '../model/exceptions.js';
import { KEY_SPEC_RULES } from '../model/key-spec-table.js';
import type { KeyRecord } from '../store/simulator-store.js';

/**
 * Alias rules (docs/kms-behaviour.md §10): names, the per-key quota, what UpdateAlias may move between.
 *
 * Shape (checked by the request reader first, as the service does, from the KMS model): 1–256 characters
 * matching the model pattern `^[a-zA-Z0-9:/_-]+$`. Then, in this order:
 * 1. the `alias/` prefix — ValidationException with AWS's recorded text;
 * 2. the reserved `alias/aws/` prefix — NotAuthorizedException with an empty message (as moto and local-kms);
 * 3. the characters after the prefix: the developer guide allows only alphanumerics, `/`, `_` and `-`. The
 *    model pattern also admits `:`; the simulator follows the guide and refuses it, with moto's text
 *    (`<name> contains invalid characters for an alias`), and refuses an empty name after the prefix.
 * Names are case-sensitive; `alias/aws` without the trailing slash is not reserved.
 */

const PREFIX = 'alias/';
const RESERVED_PREFIX = 'alias/aws/';
const GUIDE_CHARSET = /^[a-zA-Z0-9/_-]*$/;

export const ALIAS_PREFIX_MESSAGE =
  'Alias must start with the prefix "alias/". Please see https://docs.aws.amazon.com/kms/latest/developerguide/kms-alias.html';

/** Checks a shape-valid alias name for Create/Update/DeleteAlias; throws the service's exception. */
export function checkAliasName(name: string): void {
  if (!name.startsWith(PREFIX)) throw validationException(ALIAS_PREFIX_MESSAGE);
  if (name.startsWith(RESERVED_PREFIX)) throw notAuthorized();
  const rest = name.slice(PREFIX.length);
  if (!GUIDE_CHARSET.test(rest)) throw validationException(`${name} contains invalid characters for an alias`);
  if (rest.length === 0) throw validationException(`Alias name ${name} must have a name after the prefix "alias/"`);
}

/**
 * The predefined AWS managed aliases a fresh account lists. In AWS they have no TargetKeyId until the service
 * first uses its key; the simulator lists a representative few, always without a key, so that callers which
 * forget to handle them fail here rather than in production. Using one as a KeyId gives NotFoundException (AWS
 * would create the AWS managed key on first use; the simulator has no AWS managed keys).
 */
export const PREDEFINED_AWS_ALIASES: readonly string[] = [
  'alias/aws/acm',
  'alias/aws/dynamodb',
  'alias/aws/ebs',
  'alias/aws/elasticfilesystem',
  'alias/aws/lambda',
  'alias/aws/rds',
  'alias/aws/redshift',
  'alias/aws/s3',
  'alias/aws/secretsmanager',
  'alias/aws/ssm',
];

/** The aliases quota of one KMS key. */
export const MAX_ALIASES_PER_KEY = 50;

/** LimitExceededException once the target key has as many aliases as a key can have. */
export function checkAliasQuota(aliasCount: number, keyArn: string): void {
  if (aliasCount >= MAX_ALIASES_PER_KEY) {
    throw limitExceeded(`Key ${keyArn} already has ${MAX_ALIASES_PER_KEY} aliases, the most a KMS key can have.`);
  }
}

const KEY_TYPE_NAMES = { symmetric: 'a symmetric key', asymmetric: 'an asymmetric key', hmac: 'an HMAC key' } as const;

/** UpdateAlias moves an alias only between keys of the same type (symmetric / asymmetric / HMAC) and usage. */
export function checkSameKind(aliasName: string, from: KeyRecord, to: KeyRecord): void {
  const fromType = KEY_SPEC_RULES[from.keySpec].type;
  const toType = KEY_SPEC_RULES[to.keySpec].type;
  if (fromType !== toType) {
    throw validationException(
      `Alias ${aliasName} cannot be changed from ${KEY_TYPE_NAMES[fromType]} to ${KEY_TYPE_NAMES[toType]}.`,
    );
  }
  if (from.keyUsage !== to.keyUsage) {
    throw validationException(
      `Alias ${aliasName} cannot be changed from a key with key usage ${from.keyUsage} ` +
        `to a key with key usage ${to.keyUsage}.`,
    );
  }
}
