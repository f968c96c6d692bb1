/**
 * The house rules of DESIGN.md, checked on the source: dependencies point inward. The domain imports nothing of
 * ports, adapters, provider, the AWS SDK or node:*; the provider only domain and ports; adapters no provider;
 * the port is type-only; only src/index.ts is a barrel.
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

describe('architecture (DESIGN.md rules of the house)', () => {
  it('finds the sources', () => {
    expect(files.length).to.be.greaterThan(20);
  });

  it('domain and codec import only domain, codec and pure libraries (no ports, adapters, provider, @aws-sdk, node:*)', () => {
    for (const file of files.filter((f) => layerOf(f) === 'domain' || layerOf(f) === 'codec')) {
      for (const spec of imports(file)) {
        const target = layer(file, spec);
        expect(target, `${relative(SRC, file)} imports ${spec}`).to.satisfy(
          (t: string) => t === 'domain' || t === 'codec' || t.startsWith('@noble/'),
        );
      }
    }
  });

  it('provider imports only domain and ports', () => {
    for (const file of files.filter((f) => layerOf(f) === 'provider')) {
      for (const spec of imports(file)) {
        expect(layer(file, spec), `${relative(SRC, file)} imports ${spec}`).to.be.oneOf(['provider', 'domain', 'codec', 'ports']);
      }
    }
  });

  it('adapters never import the provider', () => {
    for (const file of files.filter((f) => layerOf(f) === 'adapters')) {
      for (const spec of imports(file)) {
        expect(layer(file, spec), `${relative(SRC, file)} imports ${spec}`).not.to.equal('provider');
      }
    }
  });

  it('the port is type-only and imports nothing', () => {
    const port = readFileSync(join(SRC, 'ports', 'kms.port.ts'), 'utf8');
    expect(imports(join(SRC, 'ports', 'kms.port.ts'))).to.deep.equal([]);
    expect(port).not.to.match(/^export (const|function|class|let|var|enum) /m);
  });

  it('no folder barrels: only src/index.ts is named index', () => {
    expect(files.filter((f) => f.endsWith('/index.ts')).map((f) => relative(SRC, f))).to.deep.equal(['index.ts']);
  });
});
