/** The real AWS SDK v3 KMSClient against the wire endpoint, SimulatedKms behind it. */
import { createPublicKey, verify as nodeVerify } from 'node:crypto';
import {
  CreateAliasCommand,
  CreateKeyCommand,
  DecryptCommand,
  DescribeKeyCommand,
  EncryptCommand,
  GenerateRandomCommand,
  GetPublicKeyCommand,
  KMSClient,
  KMSInternalException,
  KMSInvalidSignatureException,
  NotFoundException,
  ScheduleKeyDeletionCommand,
  SignCommand,
  VerifyCommand,
  paginateListAliases,
} from '@aws-sdk/client-kms';
import { expect } from 'chai';
import { type KmsServer, serveKms } from '../../../src/adapters/http/kms-server.js';
import { SimulatedKms } from '../../../src/adapters/simulator/simulated-kms.js';
import { serverFault, stubPort } from './http-test-kit.js';
import { rejection } from '../../support/rejection.js';

const credentials = { accessKeyId: 'AKIDHTTPTEST', secretAccessKey: 'http-test-secret' };

type SdkError = Error & { $fault?: string; $metadata?: { httpStatusCode?: number } };

describe('KMS wire endpoint: AWS SDK v3 client', function () {
  this.timeout(30_000);
  let server: KmsServer;
  let client: KMSClient;

  before(async () => {
    server = await serveKms({ kms: new SimulatedKms({ region: 'eu-west-1' }) });
    client = new KMSClient({ endpoint: server.url, region: 'eu-west-1', credentials, maxAttempts: 1 });
  });
  after(async () => {
    client.destroy();
    await server.close();
  });

  async function createSigningKey(): Promise<string> {
    const created = await client.send(new CreateKeyCommand({ KeySpec: 'RSA_2048', KeyUsage: 'SIGN_VERIFY', Description: 'sdk' }));
    return created.KeyMetadata?.KeyId as string;
  }

  it('creates an RSA_2048 signing key and describes it with Date timestamps', async () => {
    const before = Date.now();
    const created = await client.send(
      new CreateKeyCommand({ KeySpec: 'RSA_2048', KeyUsage: 'SIGN_VERIFY', Tags: [{ TagKey: 'a', TagValue: 'b' }] }),
    );
    const metadata = created.KeyMetadata;
    expect(created.$metadata.httpStatusCode).to.equal(200);
    expect(created.$metadata.requestId).to.match(/^[0-9a-f-]{36}$/);
    expect(metadata?.KeySpec).to.equal('RSA_2048');
    expect(metadata?.KeyUsage).to.equal('SIGN_VERIFY');
    expect(metadata?.Arn).to.match(/^arn:aws:kms:eu-west-1:111122223333:key\/[0-9a-f-]{36}$/);
    expect(metadata?.CreationDate).to.be.instanceOf(Date);
    expect(metadata?.CreationDate?.getTime()).to.be.within(before - 1000, Date.now() + 1000);

    const described = await client.send(new DescribeKeyCommand({ KeyId: metadata?.Arn }));
    expect(described.KeyMetadata?.CreationDate).to.deep.equal(metadata?.CreationDate);
    expect(described.KeyMetadata?.SigningAlgorithms).to.include('RSASSA_PSS_SHA_256');
    expect(described.KeyMetadata?.DeletionDate).to.equal(undefined);
  });

  it('schedules deletion: DeletionDate arrives as a Date, also in DescribeKey', async () => {
    const keyId = await createSigningKey();
    const scheduled = await client.send(new ScheduleKeyDeletionCommand({ KeyId: keyId, PendingWindowInDays: 7 }));
    expect(scheduled.KeyId).to.match(/:key\//);
    expect(scheduled.KeyState).to.equal('PendingDeletion');
    expect(scheduled.PendingWindowInDays).to.equal(7);
    expect(scheduled.DeletionDate).to.be.instanceOf(Date);
    expect((scheduled.DeletionDate as Date).getTime() - Date.now()).to.be.within(7 * 86_400_000 - 60_000, 7 * 86_400_000 + 1000);
    const described = await client.send(new DescribeKeyCommand({ KeyId: keyId }));
    expect(described.KeyMetadata?.DeletionDate).to.deep.equal(scheduled.DeletionDate);
    expect(described.KeyMetadata?.KeyState).to.equal('PendingDeletion');
  });

  it('lists aliases page by page with the SDK paginator, each once, with Date timestamps', async () => {
    const keyId = await createSigningKey();
    const names = Array.from({ length: 7 }, (_, i) => `alias/sdk-paging/${i}`);
    for (const AliasName of names) {
      const created = await client.send(new CreateAliasCommand({ AliasName, TargetKeyId: keyId }));
      expect(created.$metadata.httpStatusCode).to.equal(200);
    }
    const seen: string[] = [];
    let pages = 0;
    for await (const page of paginateListAliases({ client, pageSize: 3 }, { KeyId: keyId })) {
      pages++;
      for (const alias of page.Aliases ?? []) {
        seen.push(alias.AliasName as string);
        expect(alias.TargetKeyId).to.equal(keyId);
        expect(alias.CreationDate).to.be.instanceOf(Date);
        expect(alias.LastUpdatedDate).to.be.instanceOf(Date);
      }
    }
    expect(pages).to.equal(3);
    expect(seen).to.deep.equal(names);
  });

  it('returns the public key as DER SPKI bytes, and signatures that node:crypto verifies', async () => {
    const keyId = await createSigningKey();
    const publicKey = await client.send(new GetPublicKeyCommand({ KeyId: keyId }));
    expect(publicKey.PublicKey).to.be.instanceOf(Uint8Array);
    const spki = createPublicKey({ key: Buffer.from(publicKey.PublicKey as Uint8Array), format: 'der', type: 'spki' });
    expect(spki.asymmetricKeyDetails?.modulusLength).to.equal(2048);

    const message = new TextEncoder().encode('signed over the wire');
    const signed = await client.send(new SignCommand({ KeyId: keyId, Message: message, SigningAlgorithm: 'RSASSA_PKCS1_V1_5_SHA_256' }));
    expect(signed.Signature).to.be.instanceOf(Uint8Array).with.length(256);
    expect(nodeVerify('sha256', message, spki, Buffer.from(signed.Signature as Uint8Array))).to.equal(true);

    const verified = await client.send(
      new VerifyCommand({ KeyId: keyId, Message: message, Signature: signed.Signature, SigningAlgorithm: 'RSASSA_PKCS1_V1_5_SHA_256' }),
    );
    expect(verified.SignatureValid).to.equal(true);
  });

  it('delivers a failed Verify as the SDK KMSInvalidSignatureException, a 400 client fault', async () => {
    const keyId = await createSigningKey();
    const message = new Uint8Array([1, 2, 3]);
    const signed = await client.send(new SignCommand({ KeyId: keyId, Message: message, SigningAlgorithm: 'RSASSA_PSS_SHA_256' }));
    const tampered = new Uint8Array([1, 2, 4]);
    const error = await rejection<SdkError>(
      client.send(
        new VerifyCommand({ KeyId: keyId, Message: tampered, Signature: signed.Signature, SigningAlgorithm: 'RSASSA_PSS_SHA_256' }),
      ),
    );
    expect(error).to.be.instanceOf(KMSInvalidSignatureException);
    expect(error.name).to.equal('KMSInvalidSignatureException');
    expect(error.$fault).to.equal('client');
    expect(error.$metadata?.httpStatusCode).to.equal(400);
  });

  it('delivers NotFoundException with the service message', async () => {
    const error = await rejection<SdkError>(client.send(new DescribeKeyCommand({ KeyId: 'alias/none' })));
    expect(error).to.be.instanceOf(NotFoundException);
    expect(error.message).to.equal('Alias arn:aws:kms:eu-west-1:111122223333:alias/none is not found.');
    expect(error.$metadata?.httpStatusCode).to.equal(400);
  });

  it('generates random bytes', async () => {
    const random = await client.send(new GenerateRandomCommand({ NumberOfBytes: 48 }));
    expect(random.Plaintext).to.be.instanceOf(Uint8Array).with.length(48);
  });

  it('round-trips Encrypt and Decrypt with an encryption context', async () => {
    const created = await client.send(new CreateKeyCommand({}));
    const plaintext = new TextEncoder().encode('secret over the wire');
    const encrypted = await client.send(
      new EncryptCommand({ KeyId: created.KeyMetadata?.KeyId, Plaintext: plaintext, EncryptionContext: { purpose: 'test' } }),
    );
    expect(encrypted.CiphertextBlob).to.be.instanceOf(Uint8Array);
    const decrypted = await client.send(
      new DecryptCommand({ CiphertextBlob: encrypted.CiphertextBlob, EncryptionContext: { purpose: 'test' } }),
    );
    expect(decrypted.Plaintext).to.deep.equal(plaintext);
    expect(decrypted.KeyId).to.equal(created.KeyMetadata?.Arn);
  });

  it('delivers a port server fault as a 500 server fault', async () => {
    const faulty = await serveKms({
      kms: stubPort(async () => {
        throw serverFault('KMSInternalException', 'try later');
      }),
    });
    const faultyClient = new KMSClient({ endpoint: faulty.url, region: 'us-east-1', credentials, maxAttempts: 1 });
    try {
      const error = await rejection<SdkError>(faultyClient.send(new GenerateRandomCommand({ NumberOfBytes: 1 })));
      expect(error).to.be.instanceOf(KMSInternalException);
      expect(error.message).to.equal('try later');
      expect(error.$fault).to.equal('server');
      expect(error.$metadata?.httpStatusCode).to.equal(500);
    } finally {
      faultyClient.destroy();
      await faulty.close();
    }
  });
});
