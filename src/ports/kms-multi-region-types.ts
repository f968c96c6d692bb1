/** The KmsPort shapes of multi-Region keys (type-only): ReplicateKey, UpdatePrimaryRegion, MultiRegionConfiguration. */
import type { KeyMetadata, KmsTag } from './kms-types.js';

export type KmsMultiRegionKeyType = 'PRIMARY' | 'REPLICA';

/** One key of a multi-Region key: its key ARN and its Region. */
export interface MultiRegionKey {
  Arn: string;
  Region: string;
}

/** KeyMetadata.MultiRegionConfiguration: present exactly when MultiRegion is true. */
export interface MultiRegionConfiguration {
  MultiRegionKeyType: KmsMultiRegionKeyType;
  PrimaryKey: MultiRegionKey;
  /** Every replica, the described key included when it is one. */
  ReplicaKeys: MultiRegionKey[];
}

export interface ReplicateKeyRequest {
  /** Key ID or key ARN of a multi-Region primary key. */
  KeyId: string;
  /** A Region of the same partition, neither the primary's nor one with a replica already. */
  ReplicaRegion: string;
  Policy?: string;
  BypassPolicyLockoutSafetyCheck?: boolean;
  Description?: string;
  Tags?: KmsTag[];
}
export interface ReplicateKeyResponse {
  /** The replica's metadata, as DescribeKey in the replica's Region answers it (KeyState Creating). */
  ReplicaKeyMetadata: KeyMetadata;
  ReplicaPolicy: string;
  ReplicaTags: KmsTag[];
}

export interface UpdatePrimaryRegionRequest {
  /** Key ID or key ARN of the current primary key. */
  KeyId: string;
  /** The Region of an existing replica, which becomes the primary. */
  PrimaryRegion: string;
}
