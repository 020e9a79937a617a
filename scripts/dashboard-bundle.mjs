// Bundles the emulator dashboard's browser code (src/emulator/dashboard/page/) into one
// minified script the emulator inlines in its page: no external asset, so the page works
// offline and loads in one request. Plain TypeScript and the DOM: a page of a few tables
// and buttons does not pay for a UI framework's download and parse time.
import { existsSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { build } from 'esbuild';
import { root } from './entry-points.mjs';

/** The page's script, as a string. */
export async function bundleDashboard() {
  const result = await build({
    entryPoints: [join(root, 'src/emulator/dashboard/page/main.ts')],
    bundle: true,
    write: false,
    format: 'iife',
    platform: 'browser',
    target: 'es2022',
    minify: true,
    legalComments: 'none',
    logLevel: 'warning',
  });
  return result.outputFiles[0].text;
}

/** Replaces the compiled script.js (ESM and CommonJS) with one returning the bundled script. */
export function inlineDashboard(script) {
  const value = JSON.stringify(script);
  const esm = join(root, 'dist/emulator/dashboard/script.js');
  writeFileSync(esm, `export async function pageScript() {\n  return ${value};\n}\n`);
  const cjs = join(root, 'dist/cjs/emulator/dashboard/script.js');
  // tsc compiled the browser code too; the bundle above is the only form the page needs.
  rmSync(join(root, 'dist/emulator/dashboard/page'), { recursive: true, force: true });
  // Only when the CommonJS build reached it (it does through the emulator entry point).
  if (!existsSync(cjs)) return;
  writeFileSync(
    cjs,
    `"use strict";\nObject.defineProperty(exports, "__esModule", { value: true });\nexports.pageScript = pageScript;\nasync function pageScript() {\n  return ${value};\n}\n`,
  );
}
