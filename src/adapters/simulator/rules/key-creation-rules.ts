import type { KmsKeySpec, KmsKeyUsage, KmsOrigin } from '../../../ports/kms.port.js';
import { unsupported, validationException } from '../model/exceptions.js';
import { KEY_SPEC_RULES } from '../model/key-spec-table.js';
import { checkExternalSpec } from './import-rules.js';

/**
 * What CreateKey requires beyond the shape (docs/kms-behaviour.md §3, §7), in the order the service checks it:
 * KeySpec and the deprecated CustomerMasterKeySpec not both, a KeyUsage for every spec but SYMMETRIC_DEFAULT, a
 * usage the spec allows; then what the simulator cannot create (Origin AWS_CLOUDHSM or EXTERNAL_KEY_STORE, EXTERNAL with a spec it does
 * not import, SM2). Multi-Region keys: rules/multi-region-rules.ts.
 */

/** The spec and usage of the new key, or the service's ValidationException. */
export function keySpecAndUsage(
  keySpec: KmsKeySpec | undefined,
  customerMasterKeySpec: KmsKeySpec | undefined,
  keyUsage: KmsKeyUsage | undefined,
): { spec: KmsKeySpec; usage: KmsKeyUsage } {
  if (keySpec !== undefined && customerMasterKeySpec !== undefined) {
    throw validationException(
      'You cannot specify KeySpec and CustomerMasterKeySpec in the same request. CustomerMasterKeySpec is deprecated.',
    );
  }
  const spec = keySpec ?? customerMasterKeySpec ?? 'SYMMETRIC_DEFAULT';
  if (keyUsage === undefined && spec !== 'SYMMETRIC_DEFAULT') {
    throw validationException('You must specify a KeyUsage value for all KMS keys except for symmetric encryption keys.');
  }
  const usage = keyUsage ?? 'ENCRYPT_DECRYPT';
  if (!KEY_SPEC_RULES[spec].usages.includes(usage)) {
    throw validationException(`KeyUsage ${usage} is not compatible with KeySpec ${spec}`);
  }
  return { spec, usage };
}

/** UnsupportedOperationException for what AWS creates and the simulator does not. */
export function checkCreatable(spec: KmsKeySpec, origin: KmsOrigin | undefined): void {
  if (origin !== undefined && origin !== 'AWS_KMS' && origin !== 'EXTERNAL') {
    throw unsupported(`Origin ${origin} is not supported by the simulator: it creates keys with Origin AWS_KMS only.`);
  }
  if (origin === 'EXTERNAL') checkExternalSpec(spec);
  if (spec === 'SM2') {
    throw unsupported(
      'KeySpec SM2 is not supported: SM2 keys exist only in the China Regions, and the simulator cannot create them.',
    );
  }
}
