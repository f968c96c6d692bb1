import type { KmsException } from '../../kms-exception.js';
import { InvalidArgumentError } from '../../../domain/errors.js';
import { describe } from '../../../domain/validation.js';
import { aliasNotFound, invalidArnRegion, invalidKeyId, keyNotFound } from './exceptions.js';

/**
 * Key identifiers and ARNs (docs/kms-behaviour.md §2).
 *
 * A `KeyId` input may be a key ID (UUID, or `mrk-` + 32 hex for multi-Region keys), a key ARN
 * `arn:<partition>:kms:<region>:<account>:key/<id>`, an alias name `alias/<name>` or an alias ARN
 * `arn:<partition>:kms:<region>:<account>:alias/<name>`. Which forms an operation accepts is its choice:
 * see `parseKeyReference` and `parseKeyOnlyReference`.
 */

const KEY_ID = /^(?:[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}|mrk-[0-9a-f]{32})$/i;
const REGION = /^[a-z]{2}(?:-[a-z]+)+-\d{1,2}$/;
const ACCOUNT_ID = /^\d{12}$/;
const ARN = /^arn:([^:]+):kms:([^:]*):([^:]*):(key|alias)\/(.*)$/s;

export type KeyReference =
  | { kind: 'key'; keyId: string; /** the ARN when the caller gave one, for messages */ arn?: string }
  | { kind: 'alias'; aliasName: string };

/** The ARNs of one simulated account in one Region. */
export class ArnScope {
  readonly partition: string;

  constructor(
    readonly region: string,
    readonly accountId: string,
  ) {
    if (typeof region !== 'string' || !REGION.test(region)) {
      throw new InvalidArgumentError(`SimulatedKms: region must look like 'us-east-1', got ${describe(region)}`);
    }
    if (typeof accountId !== 'string' || !ACCOUNT_ID.test(accountId)) {
      throw new InvalidArgumentError(`SimulatedKms: accountId must be 12 digits, got ${describe(accountId)}`);
    }
    this.partition = partitionOf(region);
  }

  keyArn(keyId: string): string {
    return `arn:${this.partition}:kms:${this.region}:${this.accountId}:key/${keyId}`;
  }

  aliasArn(aliasName: string): string {
    return `arn:${this.partition}:kms:${this.region}:${this.accountId}:${aliasName}`;
  }

  /**
   * Parses a KeyId input of any form. Throws `NotFoundException: Invalid keyId '<v>'` when it is none of them,
   * `Invalid arn <region>` for an ARN of another Region.
   */
  parseKeyReference(value: string): KeyReference {
    if (value.startsWith('arn:')) return this.#parseArn(value);
    if (value.startsWith('alias/')) return { kind: 'alias', aliasName: value };
    if (KEY_ID.test(value)) return { kind: 'key', keyId: value };
    throw invalidKeyId(value);
  }

  /**
   * For operations that take a key ID or key ARN only (Tag/UntagResource, Enable/DisableKey, …): an alias
   * name or alias ARN is refused like a malformed id, `NotFoundException: Invalid keyId '<v>'`.
   */
  parseKeyOnlyReference(value: string): { keyId: string; arn?: string } {
    const ref = this.parseKeyReference(value);
    if (ref.kind === 'alias') throw invalidKeyId(value);
    return ref;
  }

  /** `Key '<arn>' does not exist`: the ARN as given, or built from this Region and account. */
  keyNotFound(ref: { keyId: string; arn?: string }): KmsException {
    return keyNotFound(ref.arn ?? this.keyArn(ref.keyId));
  }

  /** `Alias <alias ARN> is not found.` */
  aliasNotFound(aliasName: string): KmsException {
    return aliasNotFound(this.aliasArn(aliasName));
  }

  #parseArn(value: string): KeyReference {
    const match = ARN.exec(value);
    if (match === null) throw invalidKeyId(value);
    const [, partition, region, account, type, resource] = match as unknown as [string, string, string, string, string, string];
    if (partition !== this.partition) throw invalidKeyId(value);
    if (region !== this.region) throw invalidArnRegion(region);
    if (type === 'alias') {
      if (account !== this.accountId) throw aliasNotFound(value);
      return { kind: 'alias', aliasName: `alias/${resource}` };
    }
    if (!KEY_ID.test(resource) || !ACCOUNT_ID.test(account)) throw invalidKeyId(value);
    // The simulator has one account: a key of another account is as absent as an unknown key of this one.
    if (account !== this.accountId) throw keyNotFound(value);
    return { kind: 'key', keyId: resource, arn: value };
  }
}

/** Whether `region` is a Region name the simulator serves (`us-east-1`, `eu-central-2`, `cn-north-1`, …). */
export function isRegionName(region: string): boolean {
  return REGION.test(region);
}

/** The ARN partition of a Region: `aws-cn` in China, `aws-us-gov` in GovCloud, `aws` elsewhere. */
export function partitionOf(region: string): string {
  if (region.startsWith('cn-')) return 'aws-cn';
  if (region.startsWith('us-gov-')) return 'aws-us-gov';
  return 'aws';
}
