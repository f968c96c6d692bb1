/**
 * npm run demo — the whole flow against the embedded KMS simulator, no AWS credentials:
 * create an RSA-PSS 3072 and a P-256 key, rotate one, print KeyRefs, a JWK and the JWKS, then sign JWTs with
 * KmsJwtSigner (KMS Sign; the private keys never leave KMS) and verify them with jose against the published JWKS;
 * pre-publish, activate and retire a version without breaking a token.
 * Then the offline-first part: keys in a state directory survive a restart, and the `kms-keys` CLI (another
 * process) sees and rotates them and signs a JWT that verifies against its `jwks`.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createLocalJWKSet, jwtVerify, type JWK } from 'jose';
import { AwsKmsKeyProvider, KmsJwtSigner, SimulatedKms, parseJwkKid } from '../src/index.js';

const kms = new SimulatedKms({ region: 'us-east-1', accountId: '111122223333' });
const provider = new AwsKmsKeyProvider({ kms, aliasPrefix: 'swarmauri-demo' });

const show = (title: string, value: unknown): void => console.log(`\n== ${title}\n${JSON.stringify(value, null, 2)}`);

const rsa = await provider.createKey({ klass: 'asym', alg: 'RSA_PSS_SHA256', sizeBits: 3072, label: 'jwt-signing' });
const ec = await provider.createKey({ klass: 'asym', alg: 'ECDSA_P256_SHA256', label: 'es256' });
show('KeyRef: RSA-PSS 3072, version 1', rsa);
show('KeyRef: ECDSA P-256, version 1', ec);

const rotated = await provider.rotateKey(ec.kid);
show(`KeyRef after rotateKey(${ec.kid})`, { kid: rotated.kid, version: rotated.version, tags: rotated.tags });
show(`listVersions(${ec.kid})`, await provider.listVersions(ec.kid));
show(`getPublicJwk(${rsa.kid})`, await provider.getPublicJwk(rsa.kid));

const jwks = await provider.jwks();
show('jwks()', jwks);

// A token service signs with KMS; verifiers only ever see the JWKS.
const signer = new KmsJwtSigner({ provider });
const token = await signer.signJwt(ec.kid, { sub: 'demo-user', iss: 'aws-kms-keyprovider-demo' }, { expiresIn: '10m' });
console.log(`\n== JWT signed by KMS Sign with the latest version of ${ec.kid}\n${token}`);

const { payload, protectedHeader } = await jwtVerify(token, createLocalJWKSet(jwks), { algorithms: ['ES256', 'PS256'] });
const { kid, version } = parseJwkKid(protectedHeader.kid);
console.log(
  `\n== verified with jose against the JWKS: alg ${protectedHeader.alg}, kid ${kid} version ${version}, sub ${payload.sub}, ` +
    `valid for ${payload.exp! - payload.iat!} s`,
);

// A signing input over KMS's 4 096-byte RAW limit is signed as its digest (the same signature).
const large = await signer.signJwt(rsa.kid, { sub: 'demo-user', roles: Array.from({ length: 400 }, (_, i) => `role-${i}`) }, { expiresIn: 600 });
const verifiedLarge = await jwtVerify(large, createLocalJWKSet(jwks));
console.log(`\n== a ${large.length}-character PS256 JWT (DIGEST signing) verified: kid ${verifiedLarge.protectedHeader.kid}`);

// Rotation that never breaks a token: pre-publish the next version, activate it, and a token of the old version
// still verifies against the JWKS of every Enabled version until that version is retired.
const next = await provider.rotateKey(ec.kid, { activate: false });
const grace = createLocalJWKSet(await provider.jwks({ include: 'enabled' }));
await provider.activateVersion(ec.kid, next.version);
const newer = await signer.signJwt(ec.kid, { sub: 'demo-user' }, { expiresIn: '10m' });
const oldVerified = await jwtVerify(token, grace);
const newVerified = await jwtVerify(newer, grace); // the pre-published key was in the JWKS before it signed
console.log(
  `\n== pre-published v${next.version}, then activated: tokens of ${oldVerified.protectedHeader.kid} and ` +
    `${newVerified.protectedHeader.kid} both verify against jwks({ include: 'enabled' })`,
);
await provider.retireVersion(ec.kid, version);
const afterRetire = await provider.jwks({ include: 'enabled', prefixKids: ec.kid });
console.log(`== retireVersion(${ec.kid}, ${version}): the JWKS now holds ${afterRetire.keys.map((k) => k.kid).join(', ')}`);

// ---- offline-first: a state directory survives restarts and is shared with the kms-keys CLI --------------------
const stateDir = mkdtempSync(join(tmpdir(), 'kms-demo-'));
try {
  const first = new SimulatedKms({ stateDir });
  const durable = await new AwsKmsKeyProvider({ kms: first, aliasPrefix: 'swarmauri' }).createKey({
    klass: 'asym',
    alg: 'ECDSA_P256_SHA256',
    label: 'survives-restarts',
  });
  await first.close();
  console.log(`\n== created kid ${durable.kid} in ${stateDir}, closed the simulator`);

  const reopened = new SimulatedKms({ stateDir }); // a restart: a new engine over the same directory
  const found = await new AwsKmsKeyProvider({ kms: reopened, aliasPrefix: 'swarmauri' }).getKey(durable.kid);
  await reopened.close();
  show('after the restart, getKey finds it', { kid: found.kid, version: found.version, label: found.tags.label });

  // The CLI is another process on the same state directory.
  const cli = fileURLToPath(new URL('../src/cli/kms-keys.ts', import.meta.url));
  const kmsKeys = (...args: string[]): string =>
    execFileSync(process.execPath, ['--import', 'tsx', cli, '--state-dir', stateDir, ...args], { encoding: 'utf8' });
  console.log(`\n== kms-keys --state-dir ${stateDir} versions ${durable.kid}\n${kmsKeys('versions', durable.kid).trim()}`);
  console.log(`\n== kms-keys rotate ${durable.kid}\n${kmsKeys('rotate', durable.kid).trim()}`);
  console.log(`\n== kms-keys jwks\n${kmsKeys('jwks').trim()}`);
  const cliToken = kmsKeys('jwt', durable.kid, '--claims', '{"sub":"cli-user"}', '--expires-in', '5m').trim();
  const cliJwks = JSON.parse(kmsKeys('--output', 'json', 'jwks')) as { keys: JWK[] };
  const cliVerified = await jwtVerify(cliToken, createLocalJWKSet(cliJwks));
  console.log(`\n== kms-keys jwt ${durable.kid} --expires-in 5m, verified against kms-keys jwks: kid ${cliVerified.protectedHeader.kid}, sub ${cliVerified.payload.sub}`);
} finally {
  rmSync(stateDir, { recursive: true, force: true });
}
