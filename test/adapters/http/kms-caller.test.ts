/** The caller of a request (kms-caller.ts): Region and access key ID of the SigV4 credential scope, else unsigned. */
import type { IncomingMessage } from 'node:http';
import { expect } from 'chai';
import fc from 'fast-check';
import { UNSIGNED, callerOf, callerOfAuthorization } from '../../../src/adapters/http/kms-caller.js';

const SIGNED =
  'AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20250102/eu-west-1/kms/aws4_request, ' +
  'SignedHeaders=content-type;host;x-amz-date;x-amz-target, Signature=' +
  'a'.repeat(64);

function request(headers: Record<string, string | string[]>): IncomingMessage {
  return { headers } as unknown as IncomingMessage;
}

describe('KMS wire endpoint: the caller of a request', () => {
  it('reads the Region and access key ID of the credential scope', () => {
    expect(callerOfAuthorization(SIGNED)).to.deep.equal({ region: 'eu-west-1', accessKeyId: 'AKIDEXAMPLE' });
    expect(callerOf(request({ authorization: SIGNED }))).to.deep.equal({ region: 'eu-west-1', accessKeyId: 'AKIDEXAMPLE' });
    const account = SIGNED.replace('AKIDEXAMPLE', '222222222222').replace('eu-west-1', 'us-gov-west-1');
    expect(callerOfAuthorization(account)).to.deep.equal({ region: 'us-gov-west-1', accessKeyId: '222222222222' });
  });

  it('takes the scope as boto3 and the aws CLI write it (no space after commas) and without the other parameters', () => {
    expect(callerOfAuthorization(SIGNED.replaceAll(', ', ','))).to.deep.equal({ region: 'eu-west-1', accessKeyId: 'AKIDEXAMPLE' });
    expect(callerOfAuthorization('AWS4-HMAC-SHA256 Credential=K1/20250102/ap-south-2/kms/aws4_request')).to.deep.equal({
      region: 'ap-south-2',
      accessKeyId: 'K1',
    });
  });

  it('counts a request without a well-formed scope as unsigned', () => {
    const unsigned = [
      '',
      'Bearer abc',
      'AWS4-HMAC-SHA256',
      'AWS4-HMAC-SHA256 SignedHeaders=host, Credential=AKID/20250102/eu-west-1/kms/aws4_request',
      'AWS4-HMAC-SHA256 Credential=',
      SIGNED.replace('/kms/', '/sts/'),
      SIGNED.replace('/aws4_request', '/aws4_request/extra'),
      SIGNED.replace('/aws4_request', '/aws5_request'),
      SIGNED.replace('eu-west-1', 'EU-WEST-1'),
      SIGNED.replace('eu-west-1', 'mars'),
      SIGNED.replace('eu-west-1', ''),
      SIGNED.replace('20250102', '2025-01-02'),
      SIGNED.replace('AKIDEXAMPLE', ''),
      SIGNED.replace('AKIDEXAMPLE', 'AKID EXAMPLE'),
      SIGNED.replace('AKIDEXAMPLE', '__proto__'),
      SIGNED.replace('AWS4-HMAC-SHA256', 'AWS4-ECDSA-P256-SHA256'),
      `${SIGNED}${' '.repeat(9000)}`,
    ];
    for (const header of unsigned) expect(callerOfAuthorization(header), header).to.equal(UNSIGNED);
    expect(callerOf(request({}))).to.equal(UNSIGNED);
    expect(callerOf(request({ authorization: [SIGNED, SIGNED] }))).to.equal(UNSIGNED);
    expect(UNSIGNED).to.deep.equal({ region: undefined, accessKeyId: undefined });
    expect(Object.isFrozen(UNSIGNED)).to.equal(true);
  });

  it('property: never throws; a result is either unsigned or both members, of the expected shapes', () => {
    const piece = fc.constantFrom('AWS4-HMAC-SHA256 ', 'Credential=', '/', ',', ' ', 'kms', 'aws4_request', 'eu-west-1', '20250102', 'AKID');
    const header = fc.oneof(fc.string({ maxLength: 80 }), fc.array(fc.oneof(piece, fc.string({ maxLength: 4 })), { maxLength: 12 }).map((p) => p.join('')));
    fc.assert(
      fc.property(header, (value) => {
        const caller = callerOfAuthorization(value);
        if (caller === UNSIGNED) return;
        expect(caller.region).to.match(/^[a-z]{2}(-[a-z]+)+-\d{1,2}$/);
        expect(caller.accessKeyId).to.match(/^[A-Za-z0-9]+$/);
      }),
    );
  });
});
