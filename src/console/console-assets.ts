/**
 * The console's static assets: its stylesheet (console-styles.ts) and its script. The script is
 * console-script.ts compiled by `tsc` into dist/ beside this module (what the package runs); run from the
 * sources (tsx, the tests) there is no compiled file, so the source is compiled once with the project's
 * TypeScript, a devDependency present wherever the sources are.
 */
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { CONSOLE_CSS } from './console-styles.js';

export interface Asset {
  readonly type: string;
  readonly body: Buffer;
}

let script: Promise<Asset> | undefined;

async function loadScript(): Promise<Asset> {
  const compiled = fileURLToPath(new URL('./console-script.js', import.meta.url));
  let text: string;
  if (existsSync(compiled)) {
    text = readFileSync(compiled, 'utf8');
  } else {
    const source = readFileSync(fileURLToPath(new URL('./console-script.ts', import.meta.url)), 'utf8');
    const ts = (await import('typescript')).default;
    text = ts.transpileModule(source, { compilerOptions: { target: ts.ScriptTarget.ES2022, module: ts.ModuleKind.ESNext } }).outputText;
  }
  text = text.replace(/\n\/\/# sourceMappingURL=\S+\s*$/, '\n');
  return { type: 'text/javascript; charset=utf-8', body: Buffer.from(text, 'utf8') };
}

const STYLES: Asset = { type: 'text/css; charset=utf-8', body: Buffer.from(CONSOLE_CSS, 'utf8') };

/** The asset of a name under `/ui/assets/`, or undefined. */
export async function consoleAsset(name: string): Promise<Asset | undefined> {
  if (name === 'console.css') return STYLES;
  if (name === 'console.js') {
    script ??= loadScript();
    script.catch(() => (script = undefined));
    return script;
  }
  return undefined;
}
