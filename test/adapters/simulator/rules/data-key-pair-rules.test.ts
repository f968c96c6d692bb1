import { expect } from 'chai';
import { DATA_KEY_PAIR_SPECS } from '../../../../src/adapters/kms-model/kms-enums.js';
import { KmsException } from '../../../../src/adapters/kms-exception.js';
import { DATA_KEY_PAIR_SOURCES, dataKeyPairSource } from '../../../../src/adapters/simulator/rules/data-key-pair-rules.js';

function refusal(fn: () => unknown): string {
  try {
    fn();
  } catch (e) {
    expect(e).to.be.instanceOf(KmsException);
    expect((e as KmsException).$fault).to.equal('client');
    return `${(e as KmsException).name}: ${(e as KmsException).message}`;
  }
  return 'ok';
}

describe('adapters/simulator/rules/data-key-pair-rules', () => {
  it('has one row for every DataKeyPairSpec of the model', () => {
    expect(Object.keys(DATA_KEY_PAIR_SOURCES)).to.deep.equal([...DATA_KEY_PAIR_SPECS]);
  });

  it('makes RSA, ECC and Ed25519 pairs like the KMS key of the same spec, in every Region', () => {
    for (const spec of ['RSA_2048', 'RSA_3072', 'RSA_4096', 'ECC_NIST_P256', 'ECC_NIST_P384', 'ECC_NIST_P521', 'ECC_SECG_P256K1', 'ECC_NIST_EDWARDS25519'] as const) {
      for (const region of ['us-east-1', 'cn-north-1', 'us-gov-west-1']) {
        expect(dataKeyPairSource(spec, region), `${spec} ${region}`).to.deep.equal({ make: 'key-spec', keySpec: spec });
      }
    }
  });

  it('makes SM2 pairs only in the China Regions', () => {
    expect(dataKeyPairSource('SM2', 'cn-north-1')).to.deep.equal({ make: 'sm2' });
    expect(dataKeyPairSource('SM2', 'cn-northwest-1')).to.deep.equal({ make: 'sm2' });
    for (const region of ['us-east-1', 'eu-west-1', 'us-gov-west-1']) {
      expect(refusal(() => dataKeyPairSource('SM2', region))).to.equal(
        'UnsupportedOperationException: KeyPairSpec SM2 is available only in the China Regions.',
      );
    }
  });

  it('makes ML-KEM pairs like ML-KEM keys of the same spec', () => {
    for (const spec of ['ML_KEM_512', 'ML_KEM_768', 'ML_KEM_1024'] as const) {
      expect(dataKeyPairSource(spec, 'us-east-1')).to.deep.equal({ make: 'key-spec', keySpec: spec });
    }
  });
});
