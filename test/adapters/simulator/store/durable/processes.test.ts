/**
 * The durable store across processes: an acknowledged operation survives SIGKILL at any moment, and two
 * processes writing one directory lose no update and never interleave inside one KMS operation. Children run
 * `node --import tsx` on the fixtures; every temporary directory is removed.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from 'chai';
import { SimulatedKms } from '../../../../../src/adapters/simulator/simulated-kms.js';
import { openSimulatorState } from '../../../../../src/adapters/simulator/store/durable/simulator-state.js';
import { TempRoot, startFixture, watch } from './durable-test-kit.js';

describe('adapters/simulator/store/durable (processes)', function () {
  this.timeout(60_000);
  const root = new TempRoot();
  after(() => root.remove());

  it('never loads lmdb unless a state directory is opened; without lmdb that open names the fix', async () => {
    const dir = root.dir();
    const out = watch(startFixture('without-lmdb.ts', [dir]));
    const { code } = await out.exited;
    expect(code, out.stderr()).to.equal(0);
    const seen = JSON.parse(out.lines[0] ?? '{}') as { memory?: string; name?: string; code?: string; message?: string };
    expect(seen).to.deep.include({ memory: 'ok', name: 'KMSInternalException', code: 'ERR_STATE_LMDB_MISSING' });
    expect(seen.message).to.include('npm install lmdb').and.to.include(dir);
  });

  it('keeps every acknowledged key and alias of a writer killed with SIGKILL mid-stream', async () => {
    const dir = root.dir();
    const child = startFixture('crash-writer.ts', [dir, '5000']);
    const out = watch(child);
    const target = 40 + Math.floor(Math.random() * 40);
    await new Promise<void>((resolve, reject) => {
      out.onLine(() => {
        if (out.lines.filter((l) => l.startsWith('ack ')).length >= target) resolve();
      });
      void out.exited.then(({ code }) => reject(new Error(`the writer exited early (${code}): ${out.stderr()}`)));
    });
    child.kill('SIGKILL');
    const { signal } = await out.exited;
    expect(signal).to.equal('SIGKILL');
    const acked = out.lines.filter((l) => l.startsWith('ack ')).map((l) => l.split(' ').slice(1) as [string, string]);
    expect(acked.length).to.be.at.least(target);

    const kms = new SimulatedKms({ stateDir: dir });
    try {
      for (const [keyId, aliasName] of acked) {
        const { KeyMetadata } = await kms.describeKey({ KeyId: aliasName });
        expect(KeyMetadata.KeyId).to.equal(keyId);
      }
      // Nothing half-written: every key has its record and material (it encrypts), every alias its key.
      const keys = (await kms.listKeys({ Limit: 1000 })).Keys;
      expect(keys.length).to.be.at.least(acked.length);
      for (const { KeyId } of keys.slice(-3)) {
        await kms.encrypt({ KeyId: KeyId as string, Plaintext: new Uint8Array([1]) });
      }
    } finally {
      await kms.close();
    }
  });

  it('two writer processes on one directory: no lost update, no interleaving inside an operation (alias quota exact)', async () => {
    const dir = root.dir();
    const setup = new SimulatedKms({ stateDir: dir });
    const { KeyMetadata } = await setup.createKey({});
    await setup.close();
    const state = await openSimulatorState(dir);
    const before = state.generation();

    const go = join(root.path, 'go');
    const count = 50;
    const writers = ['a', 'b'].map((name) => {
      const child = startFixture('concurrent-writer.ts', [dir, KeyMetadata.KeyId, name, String(count), go]);
      return { child, out: watch(child) };
    });
    try {
      await Promise.all(
        writers.map(
          ({ out }) =>
            new Promise<void>((resolve, reject) => {
              out.onLine((line) => line === 'ready' && resolve());
              void out.exited.then(({ code }) => reject(new Error(`a writer exited (${code}): ${out.stderr()}`)));
            }),
        ),
      );
      writeFileSync(go, '');
      const results = await Promise.all(writers.map(({ out }) => out.exited));
      for (const [i, result] of results.entries()) expect(result.code, writers[i]?.out.stderr()).to.equal(0);
    } finally {
      for (const { child } of writers) if (child.exitCode === null) child.kill('SIGKILL');
      await state.close();
    }

    const kms = new SimulatedKms({ stateDir: dir });
    try {
      const { Tags } = await kms.listResourceTags({ KeyId: KeyMetadata.KeyId });
      // Each writer set its 25 tag keys twice, in order: the last value of each is there, nothing of it lost.
      const expected = ['a', 'b'].flatMap((name) => Array.from({ length: 25 }, (_, i) => `${name}-${i}=${i + 25}`));
      expect(Tags.map((t) => `${t.TagKey}=${t.TagValue}`).sort()).to.deep.equal([...expected].sort());
      // The alias quota (50 per key) is a read-then-write: 100 attempts, exactly 50 aliases, 50 refusals.
      const done = writers.map(({ out }) => out.lines.find((l) => l.startsWith('done '))?.split(' ').map(Number) ?? []);
      expect(done.reduce((sum, [, created = 0]) => sum + created, 0)).to.equal(50);
      expect(done.reduce((sum, [, , refused = 0]) => sum + refused, 0)).to.equal(2 * count - 50);
      const aliases = (await kms.listAliases({ KeyId: KeyMetadata.KeyId, Limit: 100 })).Aliases;
      expect(aliases).to.have.length(50);
      const reopened = await openSimulatorState(dir);
      try {
        // count TagResource per writer and 50 CreateAlias: each exactly one commit (a re-run after a conflict, or a
        // refused operation, commits nothing).
        expect(reopened.generation() - before).to.equal(2 * count + 50);
      } finally {
        await reopened.close();
      }
    } finally {
      await kms.close();
    }
  });
});
