import { readFileSync } from 'node:fs';

let cached: string | undefined;

/**
 * The package version, read from package.json at run time so it never drifts from the
 * published one. `src/cli/` and `dist/cli/` both sit two levels below the package root.
 */
export function packageVersion(): string {
  if (cached === undefined) {
    try {
      const text = readFileSync(new URL('../../../package.json', import.meta.url), 'utf8');
      const version = (JSON.parse(text) as { version?: unknown }).version;
      cached = typeof version === 'string' ? version : 'unknown';
    } catch {
      cached = 'unknown';
    }
  }
  return cached;
}
