// README's "From nothing to a v2.1 token", run as a user would: the fenced block is read
// from README.md and each command runs as a child process of the built CLI
// (`npx line-token` is `node dist/cli/line-token.cjs`), with `export`, `NAME=$(...)`, a trailing
// `&` and "$VAR" handled as the shell would. The only change: the emulator listens on a
// free port instead of 8080, and the URL it prints replaces http://127.0.0.1:8080.
// Build first (`npm run build`).
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { childFor, tempDirFor } from '../fixtures.js';

const CLI = fileURLToPath(new URL('../../dist/cli/line-token.cjs', import.meta.url));
const README = fileURLToPath(new URL('../../README.md', import.meta.url));
const PORT_IN_README = '8080';

/** The commands of the walkthrough's sh block: comments dropped, continuations joined. */
async function walkthrough(): Promise<string[]> {
  const text = await readFile(README, 'utf8');
  const section = text.slice(text.indexOf('## From nothing to a v2.1 token'));
  const block = /```sh\n([\s\S]*?)```/.exec(section)?.[1];
  assert.ok(block, 'the walkthrough has a sh block');
  const commands: string[] = [];
  let pending = '';
  for (const raw of block.split('\n')) {
    const line = raw.replace(/(^|\s)#.*$/, '').trimEnd();
    if (line.trim() === '') continue;
    if (line.endsWith('\\')) {
      pending += `${line.slice(0, -1)} `;
      continue;
    }
    commands.push(`${pending}${line}`.trim());
    pending = '';
  }
  return commands;
}

/** Splits words, honouring double quotes, and expands $VAR / "$VAR". */
function words(command: string, vars: Record<string, string>): string[] {
  const out: string[] = [];
  for (const m of command.matchAll(/"([^"]*)"|(\S+)/g)) {
    const word = m[1] ?? m[2]!;
    out.push(word.replace(/\$([A-Z_]+)/g, (_, name: string) => vars[name] ?? ''));
  }
  return out;
}

interface Ran {
  code: number | null;
  stdout: string;
  stderr: string;
}

function cli(args: string[], cwd: string, env: Record<string, string>): Promise<Ran> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CLI, ...args], { cwd, env, stdio: 'pipe' });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

describe("README's walkthrough, from nothing to a v2.1 token", () => {
  test('runs end to end against `line-token emulator --key` with nothing but the CLI', async (t) => {
    const commands = await walkthrough();
    const dir = tempDirFor(t, 'line-token-walkthrough-');
    const vars: Record<string, string> = { PWD: dir };
    const env: Record<string, string> = { PATH: process.env['PATH'] ?? '' };
    let background: ChildProcess | undefined;
    let backgroundErr = '';
    let url = '';
    const ran: Array<{ args: string[]; result: Ran }> = [];
    for (const command of commands) {
      const exported = /^export\s+(.*)$/.exec(command);
      if (exported) {
        for (const pair of words(exported[1]!, vars)) {
          const eq = pair.indexOf('=');
          const value = pair.slice(eq + 1).replace(`http://127.0.0.1:${PORT_IN_README}`, url);
          vars[pair.slice(0, eq)] = value;
          env[pair.slice(0, eq)] = value;
        }
        continue;
      }
      const captured = /^([A-Z_]+)=\$\((.*)\)$/.exec(command);
      const line = captured ? captured[2]! : command;
      const inBackground = line.endsWith('&');
      const argv = words(inBackground ? line.slice(0, -1) : line, vars);
      assert.deepEqual(argv.slice(0, 2), ['npx', 'line-token'], `a CLI command: ${command}`);
      const args = argv.slice(2).map((a) => (a === PORT_IN_README ? '0' : a));
      if (inBackground) {
        background = childFor(
          t,
          spawn(process.execPath, [CLI, ...args], { cwd: dir, env, stdio: 'pipe' }),
        );
        background.stderr!.on('data', (c: Buffer) => (backgroundErr += c.toString()));
        const first = await new Promise<string>((resolve, reject) => {
          createInterface({ input: background!.stdout! }).once('line', resolve);
          background!.once('exit', (code) => reject(new Error(`emulator exited ${code}`)));
        });
        const info = JSON.parse(first) as {
          url: string;
          keys: Array<{ kid: string; channelId: string }>;
        };
        url = info.url;
        assert.deepEqual(info.keys, [
          { kid: '1dab2f4f-b73f-47a3-b99d-1730e22b9544', channelId: '1573163733' },
        ]);
        continue;
      }
      const result = await cli(args, dir, env);
      ran.push({ args, result });
      assert.equal(result.code, 0, `${command}\n${result.stderr}`);
      if (captured) vars[captured[1]!] = result.stdout.trim();
    }

    // What the user saw along the way.
    assert.deepEqual(
      ran.map((r) => r.args[0]),
      ['keygen', 'issue', 'verify', 'revoke'],
    );
    const publicJwk = JSON.parse(ran[0]!.result.stdout) as Record<string, unknown>;
    assert.deepEqual(Object.keys(publicJwk).sort(), ['alg', 'e', 'kty', 'n', 'use']);
    const token = vars['TOKEN']!;
    assert.match(token, /^eyJ[\w-]+\.[\w-]+\.[\w-]+$/);
    assert.match(ran[2]!.result.stdout, /1573163733/);
    // The revoke took: the token is now refused, as LINE would refuse it.
    const after = await cli(['verify', token], dir, env);
    assert.equal(after.code, 1, after.stdout + after.stderr);
    // The emulator's log never held the private key, the token or the secret.
    const privateJwk = JSON.parse(await readFile(join(dir, 'key.json'), 'utf8')) as {
      d: string;
    };
    for (const secret of [privateJwk.d.slice(0, 16), token, vars['LINE_CHANNEL_SECRET']!]) {
      assert.ok(!backgroundErr.includes(secret));
    }
  });
});
