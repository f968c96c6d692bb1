/**
 * The KMS model of the multi-Region key operations (docs/kms-behaviour.md §25), spread into KMS_MODEL: members and
 * constraints as the KMS API reference gives them.
 */
import { KEY_ID, POLICY, modelPattern } from './kms-members.js';
import { boolean, string } from './member-shape.js';
import { KEY_METADATA, TAG_LIST } from './kms-structures.js';

/** RegionType: a Region ID such as `eu-west-1` (1–32 characters of the model's pattern). */
const REGION = string({ required: true, min: 1, max: 32, pattern: modelPattern('([a-z]+-){2,3}\\d+') });

export const MULTI_REGION_MODEL = {
  replicateKey: {
    input: {
      KeyId: KEY_ID,
      ReplicaRegion: REGION,
      Policy: POLICY,
      BypassPolicyLockoutSafetyCheck: boolean(),
      Description: string({ min: 0, max: 8192 }),
      Tags: TAG_LIST,
    },
    output: { ReplicaKeyMetadata: KEY_METADATA, ReplicaPolicy: string(), ReplicaTags: TAG_LIST },
  },
  updatePrimaryRegion: { input: { KeyId: KEY_ID, PrimaryRegion: REGION }, output: undefined },
} as const;
