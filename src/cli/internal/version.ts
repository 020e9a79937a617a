import { readFileSync } from 'node:fs';

// Replaced by the version itself when the CLI is bundled (scripts/cli-bundle.mjs).
declare const LINE_TOKEN_VERSION: string | undefined;

let cached: string | undefined;

/**
 * The package version: inlined by the CLI bundle, else read from package.json (running
 * from src/, two levels below the package root), so it never drifts from the published one.
 */
export function packageVersion(): string {
  if (typeof LINE_TOKEN_VERSION === 'string') return LINE_TOKEN_VERSION;
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
