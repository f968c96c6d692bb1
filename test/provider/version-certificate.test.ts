/**
 * issueVersionCertificate: a self-signed X.509 certificate per key version, signed through KMS, for every
 * signing algorithm. node:crypto's X509Certificate checks the self-signature (ML-DSA: Node 20's OpenSSL cannot
 * parse it, so the TBSCertificate's signature is checked with @noble/post-quantum), and the certificate carries
 * exactly the version's KMS public key, its JWK kid as subject and issuer, and the extensions a leaf needs.
 */
import 'reflect-metadata';
import { expect } from 'chai';
import { X509Certificate as NodeCertificate } from 'node:crypto';
import { X509Certificate, BasicConstraintsExtension, KeyUsagesExtension, KeyUsageFlags } from '@peculiar/x509';
import { ml_dsa44, ml_dsa65, ml_dsa87 } from '@noble/post-quantum/ml-dsa.js';
import { AwsKmsKeyProvider, SimulatedKms, type KmsPort } from '../../src/index.js';
import { SIGNING_ALGS, keyClassFor } from '../../src/domain/spec-mapping.js';
import { issueVersionCertificate } from '../../src/provider/version-certificate.js';
import type { SigningKey } from '../../src/provider/key-signing.js';

const ML_DSA = { 'ML-DSA-44': ml_dsa44, 'ML-DSA-65': ml_dsa65, 'ML-DSA-87': ml_dsa87 } as const;
const NOW = new Date('2026-12-02T10:00:00.250Z');

/** The element at `offset` of a DER buffer: its whole TLV and its contents. */
function element(der: Uint8Array, offset: number): { tlv: Uint8Array; contents: Uint8Array; end: number } {
  let length = der[offset + 1]!;
  let header = 2;
  if (length & 0x80) {
    const bytes = length & 0x7f;
    length = 0;
    for (let i = 0; i < bytes; i++) length = length * 256 + der[offset + 2 + i]!;
    header += bytes;
  }
  const end = offset + header + length;
  return { tlv: der.subarray(offset, end), contents: der.subarray(offset + header, end), end };
}

/** TBSCertificate bytes and signature of a DER certificate (RFC 5280 §4.1). */
function split(der: Uint8Array): { tbs: Uint8Array; signature: Uint8Array } {
  const certificate = element(der, 0);
  const start = certificate.tlv.length - certificate.contents.length;
  const tbs = element(der, start);
  const algorithm = element(der, tbs.end);
  const bits = element(der, algorithm.end);
  return { tbs: tbs.tlv, signature: bits.contents.subarray(1) };
}

describe('issueVersionCertificate: a self-signed X.509 certificate per version, signed by KMS', function () {
  this.timeout(120_000);
  let kms: KmsPort;
  let provider: AwsKmsKeyProvider;
  before(() => {
    kms = new SimulatedKms();
    provider = new AwsKmsKeyProvider({ kms });
  });

  for (const alg of SIGNING_ALGS) {
    it(`${alg}: subject = issuer = the JWK kid, the KMS public key, a leaf's extensions, a valid self-signature`, async () => {
      const ref = await provider.createKey({ klass: keyClassFor(alg), alg, ...(alg.startsWith('RSA') ? { sizeBits: 2048 } : {}) });
      const key = await provider.signingKey(ref.kid);
      const spki = (await kms.getPublicKey({ KeyId: key.keyId })).PublicKey;
      const messages: number[] = [];
      const der = await issueVersionCertificate(
        key,
        spki,
        (k, message) => {
          messages.push(message.length);
          return provider.sign(k, message);
        },
        { now: NOW, validityDays: 365 },
      );
      expect(messages).to.have.length(1); // one KMS Sign per certificate, of the TBSCertificate as RAW

      const certificate = new X509Certificate(new Uint8Array(der));
      expect(certificate.subject).to.equal(`CN=${ref.kid}.1`);
      expect(certificate.issuer).to.equal(certificate.subject);
      expect(Buffer.from(certificate.publicKey.rawData).equals(Buffer.from(spki))).to.equal(true);
      expect(certificate.notBefore.toISOString()).to.equal('2026-12-02T10:00:00.000Z');
      expect(certificate.notAfter.toISOString()).to.equal('2027-12-02T10:00:00.000Z');
      expect(BigInt(`0x${certificate.serialNumber}`) > 0n).to.equal(true);
      const basic = certificate.getExtension(BasicConstraintsExtension)!;
      expect([basic.ca, basic.critical]).to.deep.equal([false, true]);
      const usage = certificate.getExtension(KeyUsagesExtension)!;
      expect([usage.usages, usage.critical]).to.deep.equal([KeyUsageFlags.digitalSignature, true]);

      const { tbs, signature } = split(der);
      if (key.joseAlg.startsWith('ML-DSA')) {
        const set = ML_DSA[key.joseAlg as keyof typeof ML_DSA];
        const raw = new Uint8Array(spki.subarray(spki.length - set.lengths.publicKey!));
        expect(set.verify(signature, tbs, raw)).to.equal(true);
        const forged = new Uint8Array(tbs);
        forged[forged.length - 1]! ^= 1;
        expect(set.verify(signature, forged, raw)).to.equal(false);
      } else {
        const node = new NodeCertificate(Buffer.from(der));
        expect(node.verify(node.publicKey)).to.equal(true);
        expect(node.publicKey.export({ type: 'spki', format: 'der' }).equals(Buffer.from(spki))).to.equal(true);
      }
    });
  }

  it('the serial number follows from the key ARN: another key, another serial; the same key, the same serial', async () => {
    const issue = async (key: SigningKey): Promise<string> => {
      const spki = (await kms.getPublicKey({ KeyId: key.keyId })).PublicKey;
      const der = await issueVersionCertificate(key, spki, (k, m) => provider.sign(k, m), { now: NOW, validityDays: 30 });
      return new X509Certificate(new Uint8Array(der)).serialNumber;
    };
    const a = await provider.signingKey((await provider.createKey({ klass: 'asym', alg: 'ED25519' })).kid);
    const b = await provider.signingKey((await provider.createKey({ klass: 'asym', alg: 'ED25519' })).kid);
    expect(await issue(a)).to.equal(await issue(a));
    expect(await issue(a)).not.to.equal(await issue(b));
  });
});
