// The private-key leak matrix (a key in a terminal or log is a key lost): the built CLI as a child
// process, given the key in every way users try — as text to --private-key, in
// LINE_ASSERTION_PRIVATE_KEY raw, in quotes, in base64, broken — as a JWK and as a PEM, with and
// without LINE_TOKEN_DEBUG=1. No run may show 16 or more consecutive characters of the key (or of
// the base64 we passed) on stdout or stderr; the accepted forms sign, the others exit 2 with one
// clear line. Build first (`npm run build`).
import assert from 'node:assert/strict';
import { before, describe, test } from 'node:test';
import { makeTestKey, runChild, writeKeyFile, type TestKey } from './helpers.js';
import { suiteScope, tempDirFor } from '../fixtures.js';

let key: TestKey;
const dir = tempDirFor(suiteScope(), 'line-token-cli-');
let jwkFile: string;

before(async () => {
  key = makeTestKey();
  jwkFile = await writeKeyFile(dir, 'key.jwk.json', key.privateJwkText, 0o600);
});

/** Every 16-character window of each text that `output` contains, or [] when none. */
function leaks(output: string, texts: readonly string[]): string[] {
  const found: string[] = [];
  for (const text of texts) {
    for (let i = 0; i + 16 <= text.length; i++) {
      const window = text.slice(i, i + 16);
      if (output.includes(window)) {
        found.push(window);
        i += 15;
      }
    }
  }
  return found;
}

type Expect = 'works' | 'usage';
interface Case {
  what: string;
  args: string[];
  env: Record<string, string>;
  expect: Expect;
  /** What the one error line must say, for the refused forms. */
  says?: RegExp;
}

const b64 = (text: string): string => Buffer.from(text).toString('base64');

function cases(): Case[] {
  const out: Case[] = [];
  for (const [form, text] of [
    ['JWK', key.privateJwkText],
    ['PEM', key.privatePem],
  ] as const) {
    out.push(
      {
        what: `${form} text given to --private-key`,
        args: ['--private-key', text],
        env: {},
        expect: 'usage',
        says: /--private-key takes a file path, but the value given \(\d+ characters\) looks like key material, not a path/,
      },
      {
        what: `${form} text in the variable`,
        args: [],
        env: { LINE_ASSERTION_PRIVATE_KEY: text },
        expect: 'works',
      },
      {
        what: `${form} in double quotes (docker env_file)`,
        args: [],
        env: { LINE_ASSERTION_PRIVATE_KEY: `"${text}"` },
        expect: 'works',
      },
      {
        what: `${form} in single quotes`,
        args: [],
        env: { LINE_ASSERTION_PRIVATE_KEY: `'${text}'` },
        expect: 'works',
      },
      {
        what: `${form} in base64 (CI secret stores)`,
        args: [],
        env: { LINE_ASSERTION_PRIVATE_KEY: b64(text) },
        expect: 'works',
      },
      {
        what: `${form} in base64 given to --private-key`,
        args: ['--private-key', b64(text)],
        env: {},
        expect: 'usage',
        says: /looks like key material, not a path/,
      },
      {
        what: `${form} cut off after 40 characters, in quotes`,
        args: [],
        env: { LINE_ASSERTION_PRIVATE_KEY: `'${text.slice(0, 40)}'` },
        expect: 'usage',
        says: /^line-token: LINE_ASSERTION_PRIVATE_KEY(: the key (looks like JSON but does not parse|is not a well-formed PEM)| \(\d+ characters\) is neither a key we can read)/,
      },
      {
        what: `${form} with one stray quote`,
        args: [],
        env: { LINE_ASSERTION_PRIVATE_KEY: `"${text}` },
        expect: 'usage',
        says: /LINE_ASSERTION_PRIVATE_KEY \(\d+ characters\) is neither a key we can read .* nor a file path/,
      },
    );
  }
  out.push(
    {
      what: 'a key file path in the variable',
      args: [],
      env: { LINE_ASSERTION_PRIVATE_KEY: jwkFile },
      expect: 'works',
    },
    {
      what: 'a JWK whose private exponent is damaged',
      args: [],
      env: { LINE_ASSERTION_PRIVATE_KEY: key.privateJwkText.replace('"d":"', '"d":"!!') },
      expect: 'usage',
      says: /LINE_ASSERTION_PRIVATE_KEY/,
    },
  );
  return out;
}

describe('the private key never reaches stdout or stderr', () => {
  for (const debug of [false, true]) {
    test(`in every form, ${debug ? 'with' : 'without'} LINE_TOKEN_DEBUG=1`, async () => {
      const secrets = [
        key.privateJwkText,
        key.privatePem,
        b64(key.privateJwkText),
        b64(key.privatePem),
      ];
      for (const c of cases()) {
        const env = {
          LINE_CHANNEL_ID: '1234567890',
          LINE_ASSERTION_KID: 'kid-1',
          ...c.env,
          ...(debug && { LINE_TOKEN_DEBUG: '1' }),
        };
        const { code, stdout, stderr } = await runChild(['assertion', ...c.args], { env });
        // The JWS header is {"alg":"RS256","typ":"JWT","kid":...}: no key in it, but its
        // base64 can match the base64 of a JWK's opening `"alg":"RS256"` by construction.
        const found = leaks(stdout.replace(/^eyJ[\w-]*\./, '.') + stderr, secrets);
        assert.deepEqual(found, [], `${c.what}: key material on output`);
        if (c.expect === 'works') {
          assert.equal(code, 0, `${c.what}: ${stderr}`);
          assert.match(stdout, /^eyJ[\w-]+\.[\w-]+\.[\w-]+\n$/, c.what);
        } else {
          assert.equal(code, 2, `${c.what}: ${stderr}`);
          assert.equal(stdout, '', c.what);
          const [first] = stderr.split('\n');
          assert.match(first ?? '', /^line-token: /, c.what);
          assert.match(first ?? '', c.says ?? /./, c.what);
          if (!debug) assert.match(stderr, /^line-token: [^\n]+\n$/, `${c.what}: one line`);
        }
      }
    });
  }
});

describe('key text given where another path is expected', () => {
  for (const flag of ['--out', '--store'] as const) {
    test(`${flag}: described, never shown`, async () => {
      for (const text of [key.privateJwkText, key.privatePem]) {
        const args =
          flag === '--out'
            ? ['keygen', '--out', text]
            : ['token', '-t', 'short-lived', '-c', '1', '--store', text];
        const { code, stdout, stderr } = await runChild(args, {
          env: { LINE_CHANNEL_SECRET: 'a-secret-of-some-length', LINE_TOKEN_DEBUG: '1' },
        });
        assert.equal(code, 2, stderr);
        assert.equal(stdout, '');
        assert.match(stderr, /the value given \(\d+ characters, not a path\)/);
        // Refused before any folder is made: a PEM's slashes would otherwise become folders.
        if (flag === '--store') assert.match(stderr, /it looks like key material, not a path/);
        assert.deepEqual(leaks(stdout + stderr, [text]), []);
      }
    });
  }
});
