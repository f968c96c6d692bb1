/**
 * The rules of the house (docs/architecture.md), checked on the source: dependencies point inward. The domain and
 * the codecs import only each other (no ports, adapters, provider, node:* or third-party package); the provider only
 * domain, codec and ports; adapters never the provider nor another adapter (the shared exception type and KMS model
 * aside); the port is type-only; only src/index.ts is a barrel; no source file is over 400 lines.
 */
import { expect } from 'chai';
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const SRC = fileURLToPath(new URL('../src', import.meta.url));

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory() ? sources(join(dir, entry.name)) : entry.name.endsWith('.ts') ? [join(dir, entry.name)] : [],
  );
}

/** Every module specifier a file imports or re-exports, type-only ones included. */
function imports(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  return [...text.matchAll(/(?:^|\n)\s*(?:import|export)\s[^;]*?\sfrom\s+'([^']+)'/g)].map((m) => m[1]!);
}

/** The src/ folder an import lands in ('domain', 'ports', 'adapters', 'provider', …) or the package name. */
function layer(file: string, specifier: string): string {
  if (!specifier.startsWith('.')) return specifier;
  const target = relative(SRC, join(file, '..', specifier));
  return target.includes('/') ? target.split('/')[0]! : target;
}

const files = sources(SRC);
const layerOf = (file: string): string => relative(SRC, file).split('/')[0]!;

describe('architecture (the rules of the house, docs/architecture.md)', () => {
  it('finds the sources', () => {
    expect(files.length).to.be.greaterThan(20);
  });

  it('domain and codec import only domain and codec (no ports, adapters, provider, node:* or third-party package)', () => {
    for (const file of files.filter((f) => layerOf(f) === 'domain' || layerOf(f) === 'codec')) {
      for (const spec of imports(file)) {
        expect(layer(file, spec), `${relative(SRC, file)} imports ${spec}`).to.be.oneOf(['domain', 'codec']);
      }
    }
  });

  it('provider imports only domain and ports (and, lazily, @peculiar/x509 for x5c certificates)', () => {
    for (const file of files.filter((f) => layerOf(f) === 'provider')) {
      for (const spec of imports(file)) {
        expect(layer(file, spec), `${relative(SRC, file)} imports ${spec}`).to.be.oneOf(['provider', 'domain', 'codec', 'ports']);
      }
      // Dynamic imports: only the certificate builder, only its X.509 library and that library's Reflect polyfill.
      const dynamic = [...readFileSync(file, 'utf8').matchAll(/\bimport\('([^']+)'\)/g)].map((m) => m[1]!);
      const allowed = relative(SRC, file) === 'provider/version-certificate.ts' ? ['@peculiar/x509', 'reflect-metadata'] : [];
      for (const spec of dynamic) expect(allowed, `${relative(SRC, file)} imports ${spec} dynamically`).to.include(spec);
    }
  });

  it('signer imports only domain, codec, ports, provider (its types) and @noble/hashes — never an adapter', () => {
    for (const file of files.filter((f) => layerOf(f) === 'signer')) {
      for (const spec of imports(file)) {
        const target = layer(file, spec);
        expect(
          ['signer', 'domain', 'codec', 'ports', 'provider'].includes(target) || target.startsWith('@noble/hashes/'),
          `${relative(SRC, file)} imports ${spec}`,
        ).to.equal(true);
      }
      const text = readFileSync(file, 'utf8');
      expect(text, `${relative(SRC, file)} imports the provider for its types only`).not.to.match(/^import \{[^}]*\} from '\.\.\/provider\//m);
    }
  });

  it('adapters never import the provider', () => {
    for (const file of files.filter((f) => layerOf(f) === 'adapters')) {
      for (const spec of imports(file)) {
        expect(layer(file, spec), `${relative(SRC, file)} imports ${spec}`).not.to.equal('provider');
      }
    }
  });

  it('no adapter imports another adapter (the shared exception type and KMS model aside)', () => {
    const SHARED = ['kms-exception.ts', 'kms-model'];
    const adapterOf = (path: string): string => relative(join(SRC, 'adapters'), path).split('/')[0]!;
    for (const file of files.filter((f) => layerOf(f) === 'adapters')) {
      const own = adapterOf(file);
      for (const spec of imports(file).filter((s) => s.startsWith('.'))) {
        const target = join(file, '..', spec).replace(/\.js$/, '.ts');
        if (layer(file, spec) !== 'adapters') continue;
        const other = adapterOf(target);
        expect(other === own || SHARED.includes(other), `${relative(SRC, file)} imports ${spec}`).to.equal(true);
      }
    }
  });

  it('the shared adapter modules import no adapter', () => {
    for (const file of files.filter((f) => /^adapters\/(kms-exception\.ts|kms-model\/)/.test(relative(SRC, f)))) {
      for (const spec of imports(file)) {
        const target = relative(SRC, join(file, '..', spec));
        expect(
          target.startsWith('adapters/') ? /^adapters\/(kms-exception|kms-model\/)/.test(target) : true,
          `${relative(SRC, file)} imports ${spec}`,
        ).to.equal(true);
      }
    }
  });

  it('no source file is over 400 lines (a longer one is usually two concepts)', () => {
    const long = files
      .map((file) => ({ file: relative(SRC, file), lines: readFileSync(file, 'utf8').split('\n').length }))
      .filter(({ lines }) => lines > 400);
    expect(long).to.deep.equal([]);
  });

  it('the port is type-only and imports only the port', () => {
    for (const file of files.filter((f) => layerOf(f) === 'ports')) {
      for (const spec of imports(file)) {
        expect(layer(file, spec), `${relative(SRC, file)} imports ${spec}`).to.equal('ports');
      }
      expect(readFileSync(file, 'utf8'), relative(SRC, file)).not.to.match(/^export (const|function|class|let|var|enum) /m);
    }
  });

  it('console imports only provider, domain, codec, ports and the HTTP adapter — never the simulator or the AWS adapter', () => {
    for (const file of files.filter((f) => layerOf(f) === 'console')) {
      for (const spec of imports(file)) {
        if (!spec.startsWith('.')) {
          expect(spec.startsWith('node:') || spec === 'typescript', `${relative(SRC, file)} imports ${spec}`).to.equal(true);
          continue;
        }
        const target = relative(SRC, join(file, '..', spec));
        expect(
          /^(console|provider|domain|codec|ports)\//.test(target) || target.startsWith('adapters/http/'),
          `${relative(SRC, file)} imports ${spec}`,
        ).to.equal(true);
      }
    }
    // The browser script imports nothing: it is served as it is compiled.
    expect(imports(join(SRC, 'console', 'console-script.ts'))).to.deep.equal([]);
  });

  it('no folder barrels: only src/index.ts is named index', () => {
    expect(files.filter((f) => f.endsWith('/index.ts')).map((f) => relative(SRC, f))).to.deep.equal(['index.ts']);
  });
});
