import { expect } from 'chai';
import { KmsException, isKmsError } from '../../src/adapters/kms-exception.js';

describe('adapters/KmsException', () => {
  it('looks like an AWS SDK v3 service exception: name, message, $fault', () => {
    const e = new KmsException('NotFoundException', "Invalid keyId 'x'");
    expect(e).to.be.instanceOf(Error);
    expect(e.name).to.equal('NotFoundException');
    expect(e.message).to.equal("Invalid keyId 'x'");
    expect(e.$fault).to.equal('client');
    expect(String(e)).to.equal("NotFoundException: Invalid keyId 'x'");
    expect(new KmsException('KMSInternalException', 'boom', 'server').$fault).to.equal('server');
    const cause = new Error('sdk');
    expect(new KmsException('TimeoutError', 'late', 'client', { cause }).cause).to.equal(cause);
  });

  it('isKmsError recognises errors with a $fault, optionally by name', () => {
    const sdkLike = Object.assign(new Error('gone'), { name: 'NotFoundException', $fault: 'client' });
    expect(isKmsError(sdkLike)).to.equal(true);
    expect(isKmsError(sdkLike, 'NotFoundException')).to.equal(true);
    expect(isKmsError(sdkLike, 'DisabledException')).to.equal(false);
    expect(isKmsError(new KmsException('DisabledException', 'x'), 'DisabledException')).to.equal(true);
    expect(isKmsError(new TypeError('x'))).to.equal(false);
    expect(isKmsError(Object.assign(new Error('x'), { $fault: 'maybe' }))).to.equal(false);
    expect(isKmsError({ name: 'NotFoundException', message: '', $fault: 'client' })).to.equal(false);
    expect(isKmsError(undefined)).to.equal(false);
  });
});
