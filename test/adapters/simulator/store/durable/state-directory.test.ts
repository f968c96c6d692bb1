/**
 * A state directory on disk: created 0700 with files 0600, refused when open to group or others (naming the path
 * and the chmod that fixes it), a newer schema refused (naming both versions and the directory), a key file that
 * is missing or of another directory refused, lmdb missing reported with its fix, and key material encrypted at
 * rest: no file holds any secret or public key bytes in any encoding.
 */
import { chmodSync, mkdirSync, readdirSync, readFileSync, statSync, unlinkSync, writeFileSync, copyFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from 'chai';
import { SimulatedKms } from '../../../../../src/adapters/simulator/simulated-kms.js';
import { loadLmdb, type LmdbModule } from '../../../../../src/adapters/simulator/store/durable/lmdb-loader.js';
import { openSimulatorState } from '../../../../../src/adapters/simulator/store/durable/simulator-state.js';
import { SCHEMA_VERSION } from '../../../../../src/adapters/simulator/store/durable/state-environment.js';
import { SimulatorStateError, type SimulatorStateErrorCode } from '../../../../../src/adapters/simulator/store/durable/state-errors.js';
import type { KeyMaterial } from '../../../../../src/adapters/simulator/store/simulator-store.js';
import type { KmsKeySpec } from '../../../../../src/ports/kms.port.js';
import { TempRoot } from './durable-test-kit.js';

const mode = (path: string): string => (statSync(path).mode & 0o777).toString(8);

async function refusal(promise: Promise<unknown>, code: SimulatorStateErrorCode): Promise<SimulatorStateError> {
  let thrown: unknown;
  try {
    await promise;
  } catch (e) {
    thrown = e;
  }
  expect(thrown, String(thrown)).to.be.instanceOf(SimulatorStateError);
  const error = thrown as SimulatorStateError;
  expect(error.code, error.message).to.equal(code);
  expect(error.name).to.equal('KMSInternalException');
  expect(error.$fault).to.equal('server');
  return error;
}

/** Sets a meta value directly in the database of a closed directory. */
async function poke(dir: string, key: string, value: Uint8Array): Promise<void> {
  const lmdb: LmdbModule = await loadLmdb(dir);
  const db = lmdb.open({ path: join(dir, 'state.mdb'), noSubdir: true, encoding: 'binary', keyEncoding: 'binary', overlappingSync: false, mapSize: 2 ** 33 });
  db.transactionSync(() => db.putSync(Buffer.from(key, 'latin1'), value));
  await db.close();
}

describe('adapters/simulator/store/durable (the state directory)', function () {
  this.timeout(20_000);
  const root = new TempRoot();
  after(() => root.remove());

  describe('permissions', () => {
    it('creates the directory 0700 (parents included) and its files 0600', async () => {
      const dir = join(root.dir(), 'nested', 'state');
      const state = await openSimulatorState(dir);
      await state.close();
      expect(mode(dir)).to.equal('700');
      expect(readdirSync(dir).sort()).to.deep.equal(['state.key', 'state.mdb', 'state.mdb-lock']);
      for (const file of readdirSync(dir)) expect(mode(join(dir, file)), file).to.equal('600');
    });

    it('refuses a directory open to group or others, naming it and `chmod 700`', async () => {
      for (const bits of [0o750, 0o705, 0o770]) {
        const dir = root.dir();
        mkdirSync(dir, { mode: 0o700 });
        chmodSync(dir, bits);
        const error = await refusal(openSimulatorState(dir), 'ERR_STATE_PERMISSIONS');
        expect(error.message).to.include(dir).and.to.include(`chmod 700 ${dir}`);
        // Through SimulatedKms: from the first operation and from ready(), the same error.
        const kms = new SimulatedKms({ stateDir: dir });
        await refusal(kms.ready(), 'ERR_STATE_PERMISSIONS');
        await refusal(kms.listKeys({}), 'ERR_STATE_PERMISSIONS');
        chmodSync(dir, 0o700);
        expect((await kms.listKeys({})).Keys).to.deep.equal([]); // fixed: the next call opens it
        await kms.close();
      }
    });

    it('refuses a key or database file readable by group or others, naming it and `chmod 600`', async () => {
      for (const file of ['state.key', 'state.mdb', 'state.mdb-lock']) {
        const dir = root.dir();
        await (await openSimulatorState(dir)).close();
        const path = join(dir, file);
        chmodSync(path, 0o640);
        const error = await refusal(openSimulatorState(dir), 'ERR_STATE_PERMISSIONS');
        expect(error.message).to.include(path).and.to.include(`chmod 600 ${path}`);
        chmodSync(path, 0o600);
        await (await openSimulatorState(dir)).close();
      }
    });

    it('refuses a state directory that is a file', async () => {
      const path = join(root.path, 'a-file');
      writeFileSync(path, '');
      const error = await refusal(openSimulatorState(path), 'ERR_STATE_PERMISSIONS');
      expect(error.message).to.include('is not a directory');
    });
  });

  describe('schema and key file', () => {
    it('refuses a database of a newer schema, naming both versions and the directory', async () => {
      const dir = root.dir();
      await (await openSimulatorState(dir)).close();
      await poke(dir, 'meta/schema', Buffer.from(String(SCHEMA_VERSION + 1)));
      const error = await refusal(openSimulatorState(dir), 'ERR_STATE_SCHEMA');
      expect(error.message).to.include(dir).and.to.include(`schema version ${SCHEMA_VERSION + 1}`).and.to.include(`schema version ${SCHEMA_VERSION}`);
      const kms = new SimulatedKms({ stateDir: dir });
      await refusal(kms.createKey({}), 'ERR_STATE_SCHEMA');
      await kms.close();
    });

    it('refuses a database without its key file, and a key file of another directory', async () => {
      const [a, b] = [root.dir(), root.dir()];
      for (const dir of [a, b]) {
        const kms = new SimulatedKms({ stateDir: dir });
        await kms.createKey({});
        await kms.close();
      }
      copyFileSync(join(b, 'state.key'), join(root.path, 'b.key'));
      unlinkSync(join(b, 'state.key'));
      const missing = await refusal(openSimulatorState(b), 'ERR_STATE_KEY');
      expect(missing.message).to.include(join(b, 'state.key')).and.to.include('no key file');
      expect(readdirSync(b)).not.to.include('state.key'); // no new key made up
      copyFileSync(join(a, 'state.key'), join(b, 'state.key'));
      chmodSync(join(b, 'state.key'), 0o600);
      const foreign = await refusal(openSimulatorState(b), 'ERR_STATE_KEY');
      expect(foreign.message).to.include('does not belong');
      writeFileSync(join(b, 'state.key'), 'short', { mode: 0o600 });
      await refusal(openSimulatorState(b), 'ERR_STATE_KEY');
      copyFileSync(join(root.path, 'b.key'), join(b, 'state.key'));
      await (await openSimulatorState(b)).close();
    });

    it('reports a missing lmdb with the fix (npm install lmdb)', async () => {
      const missing = Object.assign(new Error("Cannot find package 'lmdb'"), { code: 'ERR_MODULE_NOT_FOUND' });
      const error = await refusal(loadLmdb('/some/dir', async () => Promise.reject(missing)), 'ERR_STATE_LMDB_MISSING');
      expect(error.message).to.include('npm install lmdb').and.to.include('/some/dir');
      expect(error.cause).to.equal(missing);
      await refusal(loadLmdb('/some/dir', async () => ({})), 'ERR_STATE_LMDB_MISSING');
      await refusal(loadLmdb('/some/dir', async () => Promise.reject(new Error('broken binary'))), 'ERR_STATE_OPEN');
    });

    it('refuses a stateDir that is not a non-empty string, or one given with a store, at construction', () => {
      for (const stateDir of [42, '', null, {}]) {
        expect(() => new SimulatedKms({ stateDir: stateDir as string })).to.throw(/stateDir must be a non-empty string/);
      }
      expect(() => new SimulatedKms({ stateDir: root.dir(), store: new SimulatedKmsStoreStub() as never })).to.throw(/either stateDir or store/);
    });
  });

  describe('encryption at rest', () => {
    it('no file of the directory holds any private, secret or public key bytes, raw or encoded', async () => {
      const dir = root.dir();
      const specs: KmsKeySpec[] = [
        'SYMMETRIC_DEFAULT', 'RSA_2048', 'ECC_NIST_P256', 'ECC_NIST_P384', 'ECC_NIST_P521', 'ECC_SECG_P256K1',
        'ECC_NIST_EDWARDS25519', 'HMAC_224', 'HMAC_256', 'HMAC_384', 'HMAC_512', 'ML_DSA_44', 'ML_DSA_65', 'ML_DSA_87',
      ];
      const kms = new SimulatedKms({ stateDir: dir });
      const ids: string[] = [];
      for (const spec of specs) {
        const usage = spec === 'SYMMETRIC_DEFAULT' ? {} : { KeyUsage: spec.startsWith('HMAC') ? ('GENERATE_VERIFY_MAC' as const) : ('SIGN_VERIFY' as const) };
        ids.push((await kms.createKey({ KeySpec: spec, ...usage })).KeyMetadata.KeyId);
      }
      await kms.close();

      const state = await openSimulatorState(dir);
      const store = state.partition('111122223333', 'us-east-1');
      const materials = (await Promise.all(ids.map((id) => store.getKeyMaterial(id)))) as KeyMaterial[];
      await state.close();
      expect(materials.map((m) => m.spec)).to.deep.equal(specs);
      const files = readdirSync(dir).map((f) => readFileSync(join(dir, f)));
      for (const m of materials) {
        for (const bytes of [m.secret, ...(m.publicKey === undefined ? [] : [m.publicKey])]) {
          const buffer = Buffer.from(bytes);
          // A 16-byte window of the value (a whole value would hide a partial copy).
          const windows = [buffer.subarray(0, 16), buffer.subarray(buffer.length - 16)];
          for (const w of windows) {
            const needles = [w, Buffer.from(w.toString('base64').slice(0, 20)), Buffer.from(w.toString('base64url').slice(0, 20)), Buffer.from(w.toString('hex')), Buffer.from(w.toString('hex').toUpperCase())];
            for (const [i, file] of files.entries()) {
              for (const needle of needles) expect(file.includes(needle), `${m.spec} in ${readdirSync(dir)[i]}`).to.equal(false);
            }
          }
        }
      }
    });
  });
});

/** Any object: the check of `stateDir` together with `store` comes before the store's own check. */
class SimulatedKmsStoreStub {}
