// Each LINE fact is written once, in src/line/facts.ts, so a change at LINE is one edit. This walks
// src/ and fails when one of LINE's literals turns up anywhere else in code (comments and TSDoc
// examples may quote them), so a second copy cannot creep back in.
import assert from 'node:assert/strict';
import { readdir, readFile } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';

const src = fileURLToPath(new URL('../../src', import.meta.url));
const FACTS = 'line/facts.ts';

// LINE's literals as they would appear in code, quoted or as a number.
const LITERALS: ReadonlyArray<[string, RegExp]> = [
  ['30 days in seconds', /\b2_?592_?000\b/],
  ['the audience', /['"`]https:\/\/api\.line\.me\/['"`]/],
  ['the assertion type', /['"`]urn:ietf:params:oauth:client-assertion-type:jwt-bearer['"`]/],
  ['the token-limit text', /['"`]The maximum number of access tokens has already been issued['"`]/],
  // Not LINE's refusal text `Invalid 'client_credentials'.`, which quotes it.
  ['the grant type', /(?<!Invalid |")['"`]client_credentials['"`]/],
];

async function* sources(dir: string): AsyncGenerator<string> {
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) yield* sources(path);
    else if (entry.name.endsWith('.ts')) yield path;
  }
}

/** The file's code without comments (line comments and blocks), so TSDoc may quote a fact. */
function codeOf(text: string): string {
  return text.replace(/\/\*[\s\S]*?\*\//g, '').replace(/^\s*\/\/.*$/gm, '');
}

test("LINE's literals appear in code only in src/line/facts.ts", async () => {
  const found: string[] = [];
  let factsSeen = 0;
  for await (const path of sources(src)) {
    const name = relative(src, path).split('\\').join('/');
    const code = codeOf(await readFile(path, 'utf8'));
    for (const [what, pattern] of LITERALS) {
      if (!pattern.test(code)) continue;
      if (name === FACTS) factsSeen++;
      else found.push(`${name}: ${what}`);
    }
  }
  assert.deepEqual(found, []);
  // The check itself works: the facts module does hold every literal.
  assert.equal(factsSeen, LITERALS.length);
});
