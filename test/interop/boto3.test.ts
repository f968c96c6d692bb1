/** A foreign client: boto3 (Python) drives our KMS wire endpoint, and what it signed verifies with node:crypto. */
import { expect } from 'chai';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { constants, createPublicKey, verify } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { SimulatedKms, startKmsServer } from '../../src/index.js';
import { motoAvailable } from '../support/moto-server.js';

const script = fileURLToPath(new URL('./boto3_client.py', import.meta.url));

describe('interop: boto3 → KMS wire endpoint → SimulatedKms', function () {
  this.timeout(60_000);
  const missing = motoAvailable(); // boto3 comes with the same Python installation as moto
  let server: { url: string; close(): Promise<void> };
  let kms: SimulatedKms;

  before(async function () {
    if (missing) this.skip();
    kms = new SimulatedKms({ region: 'eu-central-1' });
    server = await startKmsServer({ kms });
  });
  after(async () => {
    await server?.close();
  });

  it(`creates, aliases, signs, verifies and lists with boto3${missing ? ` (skipped: ${missing})` : ''}`, async () => {
    // Asynchronously: the endpoint answering boto3 runs in this process's event loop.
    const run = await promisify(execFile)('python3', [script, 'alias/interop/boto3'], {
      encoding: 'utf8',
      env: {
        ...process.env,
        AWS_ENDPOINT_URL: server.url,
        AWS_DEFAULT_REGION: 'eu-central-1',
        AWS_ACCESS_KEY_ID: 'AKIDINTEROPTEST',
        AWS_SECRET_ACCESS_KEY: 'interop-secret',
        AWS_EC2_METADATA_DISABLED: 'true',
      },
      timeout: 50_000,
    });
    const seen = JSON.parse(run.stdout) as Record<string, unknown>;
    expect(seen.arn).to.equal(`arn:aws:kms:eu-central-1:111122223333:key/${String(seen.key_id)}`);
    expect(seen.creation_date_type).to.equal('datetime');
    expect(seen.signing_algorithms).to.include('RSASSA_PSS_SHA_256');
    expect(seen.signature_valid).to.equal(true);
    expect(seen.bad_signature_error).to.deep.equal({ code: 'KMSInvalidSignatureException', status: 400 });
    expect(seen.public_key_id).to.equal(seen.arn);
    expect(seen.aliases).to.include('alias/interop/boto3');

    // What boto3 got back is real: the signatures verify with node:crypto against the public key it fetched.
    const key = createPublicKey({ key: Buffer.from(String(seen.public_key), 'base64'), format: 'der', type: 'spki' });
    const message = Buffer.from(String(seen.message), 'base64');
    const pss = { key, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: 32 };
    expect(verify('sha256', message, pss, Buffer.from(String(seen.signature), 'base64'))).to.equal(true);
    expect(verify('sha256', message, key, Buffer.from(String(seen.digest_signature), 'base64'))).to.equal(true);
    // and the key boto3 made is in the simulator behind the endpoint
    expect((await kms.describeKey({ KeyId: 'alias/interop/boto3' })).KeyMetadata.KeyId).to.equal(seen.key_id);
  });
});
