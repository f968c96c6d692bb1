/**
 * kms-keys over the durable simulator, as a subprocess of the built binary: help, bad input (exit 2, one line),
 * provider failures (exit 1, one line), the JSON shapes of every key command, state shared between processes
 * (a restart), and seeding from a file.
 */
import { expect } from 'chai';
import { generateKeyPairSync } from 'node:crypto';
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ensureBuilt, kmsKeys, oneErrorLine, tempDir, type CliResult } from './cli-harness.js';
import { SimulatedKms } from '../../src/adapters/simulator/simulated-kms.js';

const KID = /^[0-9a-f]{16}$/;
const COMMANDS = ['create', 'rotate', 'get', 'versions', 'jwk', 'jwks', 'jwt', 'activate', 'retire', 'reinstate', 'destroy', 'cancel-deletion', 'seed', 'serve'];
const GLOBAL_FLAGS = ['--backend', '--state-dir', '--region', '--endpoint-url', '--alias-prefix', '--output', '--debug', '--help'];
const COMMAND_FLAGS: Record<string, string[]> = {
  create: ['--alg', '--size', '--label', '--tag'],
  rotate: ['--size', '--label', '--no-activate', '<kid>'],
  get: ['--version', '<kid>'],
  versions: ['<kid>'],
  jwk: ['--version', '<kid>'],
  jwks: ['--prefix', '--include', '--x5c'],
  jwt: ['--claims', '--expires-in', '--not-before', '--header', '<kid>'],
  activate: ['--version', '<kid>'],
  retire: ['--version', '<kid>'],
  reinstate: ['--version', '<kid>'],
  destroy: ['--version', '--window-days', '<kid>'],
  'cancel-deletion': ['--version', '<kid>'],
  seed: ['<file>'],
  serve: ['--host', '--port', '--account-id', '--jwks-max-age', '--jwks-include', '--jwks-x5c', '--seed', '--faults', '--insecure-no-auth'],
};

function json(result: CliResult): any {
  expect(result.stderr, 'stderr').to.equal('');
  expect(result.code, 'exit code').to.equal(0);
  return JSON.parse(result.stdout);
}

describe('kms-keys CLI (built binary, simulator backend)', function () {
  this.timeout(60_000);
  const state = tempDir('kms-keys-cli-');
  const sim = (...args: string[]): Promise<CliResult> => kmsKeys(['--state-dir', state.path, ...args]);
  const simJson = async (...args: string[]): Promise<any> => json(await sim('--output', 'json', ...args));

  before(() => ensureBuilt());
  after(() => state.remove());

  it('--help documents every command, every global flag, defaults, exit codes and examples; each command its own flags', async () => {
    const [top, ...perCommand] = await Promise.all([kmsKeys(['--help']), ...COMMANDS.map((c) => kmsKeys([c, '--help']))]);
    expect(top.code).to.equal(0);
    for (const name of [...COMMANDS, ...GLOBAL_FLAGS]) expect(top.stdout, name).to.include(name);
    for (const text of ['default: "simulator"', './.kms-sim', 'KMS_SIM_STATE_DIR', 'us-east-1', 'default: "swarmauri"', 'Exit codes', 'Examples']) {
      expect(top.stdout, text).to.include(text);
    }
    perCommand.forEach((result, i) => {
      const command = COMMANDS[i]!;
      expect(result.code, command).to.equal(0);
      expect(result.stdout, command).to.include(`Usage: kms-keys ${command}`);
      for (const flag of [...COMMAND_FLAGS[command]!, '--state-dir', '--output']) expect(result.stdout, `${command} ${flag}`).to.include(flag);
      expect(result.stdout, `${command} examples`).to.match(/Examples?:/);
    });
    const serve = perCommand[COMMANDS.indexOf('serve')]!.stdout;
    for (const text of ['127.0.0.1', '4599', '111122223333', '300']) expect(serve, text).to.include(text);
  });

  it('bad input: exit 2 and one line naming the problem (no stack), before the state directory is touched', async () => {
    const fresh = tempDir('kms-keys-untouched-');
    const dir = join(fresh.path, 'state');
    const cases: Array<[string[], RegExp]> = [
      [['create', '--alg', 'X25519'], /--alg.*'X25519'.*AES256_GCM, HMAC_SHA224, .*, ML_DSA_87\./],
      [['create', '--alg', 'ES256K'], /--alg.*'ES256K'.* ES256K is the JOSE name of ECDSA_SECP256K1_SHA256\./],
      [['create', '--alg', 'RSA_PSS_SHA256', '--size', '1024'], /--size.*'1024'.*2048, 3072, 4096/],
      [['create', '--alg', 'RSA_PSS_SHA256', '--size', 'big'], /--size.*'big'/],
      [['create', '--alg', 'AES256_GCM', '--tag', 'no-equals-sign'], /--tag.*'no-equals-sign'.*key=value/],
      [['create', '--alg', 'AES256_GCM', '--tag', '=v'], /--tag.*key=value/],
      [['create'], /--alg.*not specified/],
      [['get', 'NOT-A-KID'], /'NOT-A-KID'.*kid.*16 lowercase hex/],
      [['rotate', '0123456789ABCDEF'], /kid/],
      [['get', '0123456789abcdef', '--version', '0'], /--version.*'0'/],
      [['destroy', '0123456789abcdef', '--window-days', '3'], /--window-days.*7 to 30/],
      [['crate', '--alg', 'AES256_GCM'], /unknown command 'crate'.*create/],
      [['get', '0123456789abcdef', '--bogus'], /unknown option '--bogus'/],
      [['--output', 'yaml', 'jwks'], /--output.*'yaml'.*text, json/],
      [['--backend', 'gcp', 'jwks'], /--backend.*'gcp'/],
      [['--alias-prefix', 'aws', 'jwks'], /--alias-prefix.*reserved/],
      [['--endpoint-url', 'http://127.0.0.1:1', 'jwks'], /--endpoint-url applies to --backend aws/],
      [['--backend', 'aws', 'jwks'], /--backend aws needs a Region/],
      [['--endpoint-url', 'not a url', '--backend', 'aws', 'jwks'], /--endpoint-url/],
      [['seed', join(fresh.path, 'missing.yaml')], /cannot read seed file .*missing\.yaml.*ENOENT/],
      [['serve', '--port', '70000'], /--port.*'70000'/],
      [['serve', '--account-id', '12'], /--account-id.*12 digits/],
      [['serve', '--host', '0.0.0.0'], /--host 0\.0\.0\.0 is not a loopback address.*--insecure-no-auth/],
      [['serve', '--host', '::', '--port', '0'], /--host :: is not a loopback address.*--insecure-no-auth/],
    ];
    try {
      const results = await Promise.all(cases.map(([args]) => kmsKeys(['--state-dir', dir, ...args])));
      results.forEach((result, i) => {
        const [args, message] = cases[i]!;
        expect(result.code, args.join(' ')).to.equal(2);
        expect(result.stdout, args.join(' ')).to.equal('');
        expect(oneErrorLine(result), args.join(' ')).to.match(/^error: /).and.to.match(message);
      });
      expect(existsSync(dir), 'the state directory').to.equal(false);
      // The provider's own argument checks are bad input too (exit 2) — these need the backend open.
      const provider = await Promise.all([
        kmsKeys(['--state-dir', dir, 'create', '--alg', 'ECDSA_P256_SHA256', '--size', '2048']),
        kmsKeys(['--state-dir', dir, 'create', '--alg', 'AES256_GCM', '--tag', 'saur:kid=x']),
      ]);
      expect(oneErrorLine(provider[0]!)).to.match(/^error: InvalidArgumentError: sizeBits applies to RSA algs only/);
      expect(oneErrorLine(provider[1]!)).to.match(/^error: InvalidArgumentError: Tag key 'saur:kid' is reserved/);
      expect(provider.map((r) => r.code)).to.deep.equal([2, 2]);
    } finally {
      fresh.remove();
    }
  });

  it('the key lifecycle in JSON across processes: create, get (a restart), rotate, versions, jwk, jwks, destroy, cancel-deletion', async () => {
    // Three processes at once on one state directory, then each step in processes of its own.
    const [created, ecdsa, aes] = await Promise.all([
      simJson('create', '--alg', 'rsa_pss_sha256', '--size', '2048', '--label', 'jwt-signing', '--tag', 'team=identity', '--tag', 'env=test'),
      simJson('--alias-prefix', 'cli-other', 'create', '--alg', 'ECDSA_P256_SHA256'),
      simJson('create', '--alg', 'AES256_GCM'),
    ]);
    expect(created.kid).to.match(KID);
    expect(created).to.include({ version: 1, exportPolicy: 'none' });
    expect(created.uses).to.deep.equal(['sign', 'verify']);
    expect(created.public).to.match(/^-----BEGIN PUBLIC KEY-----\n/);
    expect(created.fingerprint).to.match(/^[0-9a-f]{64}$/);
    expect(created.tags).to.include({ team: 'identity', env: 'test', alg: 'RSA_PSS_SHA256', label: 'jwt-signing', 'kms:region': 'us-east-1' });
    expect(created).not.to.have.property('material');
    expect(ecdsa.tags.alg).to.equal('ECDSA_P256_SHA256');
    expect(aes).to.include({ version: 1 }).and.not.to.have.property('public');
    expect(aes.uses).to.deep.equal(['encrypt', 'decrypt']);
    const kid: string = created.kid;

    // A second process sees what the first one stored.
    expect(await simJson('get', kid)).to.deep.equal(created);

    const rotated = await simJson('rotate', kid, '--label', 'jwt-signing-2');
    expect(rotated).to.include({ kid, version: 2 });
    expect(rotated.tags).to.include({ label: 'jwt-signing-2', team: 'identity' });
    expect(rotated.public).not.to.equal(created.public);

    const [versions, v1, jwk1, jwk, jwks, prefixed, otherJwks, symmetricJwk] = await Promise.all([
      simJson('versions', kid),
      simJson('get', kid, '--version', '1'),
      simJson('jwk', kid, '--version', '1'),
      simJson('jwk', kid),
      simJson('jwks'),
      simJson('jwks', '--prefix', kid.slice(0, 6)),
      simJson('--alias-prefix', 'cli-other', 'jwks'),
      sim('jwk', aes.kid),
    ]);
    expect(versions).to.deep.equal([1, 2]);
    expect(v1).to.deep.equal(created);
    expect(jwk1).to.include({ kty: 'RSA', kid: `${kid}.1`, alg: 'PS256', use: 'sig', e: 'AQAB' });
    expect(Object.keys(jwk).sort()).to.deep.equal(['alg', 'e', 'kid', 'kty', 'n', 'use']);
    expect(jwk.kid).to.equal(`${kid}.2`);
    expect(jwks.keys.map((k: { kid: string }) => k.kid)).to.include(`${kid}.2`).and.not.include(`${kid}.1`).and.not.include(`${ecdsa.kid}.1`);
    expect(prefixed.keys.map((k: { kid: string }) => k.kid)).to.include(`${kid}.2`);
    expect(otherJwks.keys).to.deep.equal([
      { kty: 'EC', crv: 'P-256', x: otherJwks.keys[0].x, y: otherJwks.keys[0].y, kid: `${ecdsa.kid}.1`, alg: 'ES256', use: 'sig' },
    ]);
    expect(symmetricJwk.code).to.equal(1);
    expect(oneErrorLine(symmetricJwk)).to.match(/^error: UnsupportedOperationError: /);

    expect(await simJson('destroy', kid, '--version', '1', '--window-days', '7')).to.deep.equal({
      kid,
      version: 1,
      pendingWindowInDays: 7,
      pendingDeletion: true,
    });
    const [pending, stillListed, aesDestroyed] = await Promise.all([sim('get', kid, '--version', '1'), simJson('versions', kid), simJson('destroy', aes.kid)]);
    expect(pending.code).to.equal(1);
    expect(oneErrorLine(pending)).to.match(/^error: InvalidKeyStateError: Version 1 of kid [0-9a-f]{16} is pending deletion/);
    expect(stillListed).to.deep.equal([1, 2]);
    expect(aesDestroyed).to.deep.equal({ kid: aes.kid, version: null, pendingWindowInDays: 30, pendingDeletion: true });

    const [cancelled, aesCancelled] = await Promise.all([simJson('cancel-deletion', kid, '--version', '1'), simJson('cancel-deletion', aes.kid)]);
    expect(cancelled).to.deep.equal({ kid, restored: [1] });
    expect(aesCancelled).to.deep.equal({ kid: aes.kid, restored: [1] });
    expect(await simJson('get', kid, '--version', '1')).to.deep.equal(created);
  });

  it('text output: readable lines, no private material; provider failures exit 1 with the error class and the KMS exception', async () => {
    const created = await sim('create', '--alg', 'ECDSA_P256_SHA256', '--label', 'text-key');
    expect(created.code).to.equal(0);
    expect(created.stderr).to.equal('');
    const kid = /^kid:\s+([0-9a-f]{16})$/m.exec(created.stdout)?.[1];
    expect(kid, created.stdout).to.match(KID);
    expect(created.stdout).to.match(/^version:\s+1$/m).and.match(/^\s+label:\s+text-key$/m).and.include('-----BEGIN PUBLIC KEY-----');
    const [versions, jwk, jwks, unknown, debug] = await Promise.all([
      sim('versions', kid!),
      sim('jwk', kid!),
      sim('jwks'),
      sim('get', 'ffffffffffffffff'),
      sim('--debug', 'rotate', 'ffffffffffffffff'),
    ]);
    expect(versions.stdout).to.equal('1\n');
    expect(jwk.stdout).to.match(new RegExp(`^kid:\\s+${kid}\\.1$`, 'm')).and.match(/^crv:\s+P-256$/m);
    expect(jwks.stdout).to.match(/^KID\s+KTY\s+ALG\s+USE$/m).and.include(`${kid}.1`);
    for (const output of [created, versions, jwk, jwks]) expect(output.stdout).not.to.match(/PRIVATE KEY|"d":/);
    expect(unknown.code).to.equal(1);
    expect(oneErrorLine(unknown)).to.equal('error: KeyNotFoundError: Unknown kid: ffffffffffffffff');
    // --debug: the stack and the KMS error it came from.
    expect(debug.code).to.equal(1);
    expect(debug.stderr, debug.stderr).to.match(/^debug: backend simulator/m).and.match(/^\s+at /m).and.include('caused by: NotFoundException');
  });

  it('seed <file> (a fixed private key), then get and jwk in other processes: its public key, never the private one', async () => {
    const kid = '5eed5eed5eed0001';
    const pair = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    const privatePem = pair.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
    const publicPem = pair.publicKey.export({ type: 'spki', format: 'pem' }).toString();
    const files = tempDir('kms-keys-seed-');
    const file = join(files.path, 'seed.yaml');
    writeFileSync(
      file,
      [
        'Keys:',
        '  - KeyId: 0b6c9c1e-5d1f-4a8e-9f0a-1c2d3e4f5a6b',
        '    KeySpec: ECC_NIST_P256',
        '    KeyUsage: SIGN_VERIFY',
        '    Tags:',
        `      saur:kid: "${kid}"`,
        '      saur:version: "1"',
        '      saur:alg: ECDSA_P256_SHA256',
        '      saur:label: seeded',
        '    Aliases:',
        `      - alias/swarmauri/${kid}`,
        `      - alias/swarmauri/${kid}/v1`,
        '    PrivateKeyPem: |',
        ...privatePem.trimEnd().split('\n').map((line) => `      ${line}`),
        '',
      ].join('\n'),
    );
    try {
      const seeded = await sim('seed', file);
      expect(seeded.stderr).to.equal('');
      expect(seeded.code).to.equal(0);
      expect(seeded.stdout).to.match(/Seeded .*: 1 created/).and.not.include('PRIVATE KEY');
      const again = await simJson('seed', file);
      expect(again.report.entries.map((e: { status: string }) => e.status)).to.deep.equal(['unchanged']);
      const [ref, jwk] = await Promise.all([simJson('get', kid), simJson('jwk', kid)]);
      expect(ref).to.include({ kid, version: 1, public: publicPem });
      expect(jwk).to.include({ kty: 'EC', kid: `${kid}.1` }).and.not.have.property('d');
      expect(ref.tags).to.include({ alg: 'ECDSA_P256_SHA256', label: 'seeded', 'kms:key_id': '0b6c9c1e-5d1f-4a8e-9f0a-1c2d3e4f5a6b' });
      writeFileSync(file, 'Keys:\n  - KeySpec: NOT_A_SPEC\n    KeyUsage: SIGN_VERIFY\n');
      const bad = await sim('seed', file);
      expect(bad.code).to.equal(2);
      expect(oneErrorLine(bad)).to.match(/^error: InvalidArgumentError: .*seed\.yaml.*KeySpec/);
    } finally {
      files.remove();
    }
  });

  it('seed <file> puts each entry into the account and Region it names (the defaults when it names none)', async () => {
    const files = tempDir('kms-keys-seed-partitions-');
    const file = join(files.path, 'seed.yaml');
    const ids = ['5eed0000-0000-4000-8000-000000000001', '5eed0000-0000-4000-8000-000000000002'];
    writeFileSync(
      file,
      [
        'Keys:',
        `  - { KeyId: ${ids[0]}, KeySpec: SYMMETRIC_DEFAULT, KeyUsage: ENCRYPT_DECRYPT, Aliases: [alias/app/default] }`,
        `  - { KeyId: ${ids[1]}, KeySpec: SYMMETRIC_DEFAULT, KeyUsage: ENCRYPT_DECRYPT, Region: eu-west-1, AccountId: "222222222222" }`,
        '',
      ].join('\n'),
    );
    try {
      const seeded = await simJson('seed', file);
      expect(seeded.report.entries.map((e: { status: string; keyArn: string }) => [e.status, e.keyArn])).to.deep.equal([
        ['created', `arn:aws:kms:us-east-1:111122223333:key/${ids[0]}`],
        ['created', `arn:aws:kms:eu-west-1:222222222222:key/${ids[1]}`],
      ]);
      const other = new SimulatedKms({ stateDir: state.path, region: 'eu-west-1', accountId: '222222222222' });
      const home = new SimulatedKms({ stateDir: state.path });
      try {
        expect((await other.describeKey({ KeyId: ids[1]! })).KeyMetadata.Arn).to.contain('eu-west-1:222222222222');
        expect((await home.describeKey({ KeyId: 'alias/app/default' })).KeyMetadata.KeyId).to.equal(ids[0]);
        await home.describeKey({ KeyId: ids[1]! }).then(
          () => expect.fail('the eu-west-1 key must not exist in the default partition'),
          (error: Error) => expect(error.name).to.equal('NotFoundException'),
        );
      } finally {
        await Promise.all([other.close(), home.close()]);
      }
      expect((await simJson('seed', file)).report.entries.map((e: { status: string }) => e.status)).to.deep.equal(['unchanged', 'unchanged']);
    } finally {
      files.remove();
    }
  });
});
