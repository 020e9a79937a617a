// `line-token emulator`: the child process prints one JSON line, serves, logs to stderr and
// stops cleanly on SIGTERM; in process, it makes up a channel when given none and stops
// when its signal aborts. Build first (see cli.test.ts).
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { describe, test } from 'node:test';
import { runCli } from '../../../src/cli/runner.js';
import { join } from 'node:path';
import { CLI, runChild, runInProcess } from '../helpers.js';
import { suiteScope, tempDirFor } from '../../fixtures.js';

const SECRET = '0123456789abcdef0123456789abcdef';

describe('emulator command', () => {
  test('prints exactly one JSON line once listening, serves, logs to stderr, and stops cleanly on SIGTERM', async () => {
    const child = spawn(process.execPath, [CLI, 'emulator', '--channel', `4242424242:${SECRET}`], {
      env: { PATH: process.env['PATH'] ?? '' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const exited = new Promise<number | null>((resolve) =>
      child.on('exit', (code) => resolve(code)),
    );
    const lines = createInterface({ input: child.stdout });
    const first = await new Promise<string>((resolve) => lines.once('line', resolve));
    lines.on('line', (l) => (stdout += `${l}\n`));
    const info = JSON.parse(first) as {
      url: string;
      admin: string;
      dashboard: string;
      channels: Array<{ id: string; secret: string }>;
    };
    assert.match(info.url, /^http:\/\/127\.0\.0\.1:\d+$/);
    assert.equal(info.admin, `${info.url}/__emulator/`);
    // The dashboard it names is served, its script inlined by the bundle.
    assert.equal(info.dashboard, `${info.url}/`);
    const page = await fetch(info.dashboard);
    assert.equal(page.status, 200);
    assert.match(await page.text(), /<script>.{1000,}<\/script>/s);
    assert.deepEqual(info.channels, [{ id: '4242424242', secret: SECRET }]);

    // It answers as LINE does: issue a token from it with the CLI (in process, no spawn).
    const issued = await runInProcess(['issue', '-t', 'short-lived', '--base-url', info.url], {
      env: { LINE_CHANNEL_ID: '4242424242', LINE_CHANNEL_SECRET: SECRET },
    });
    assert.equal(issued.code, 0, issued.stderr);
    const token = issued.stdout.trim();
    assert.notEqual(token, '');

    child.kill('SIGTERM');
    assert.equal(await exited, 0);
    assert.equal(stdout, '', 'nothing but the first line on stdout');
    assert.match(stderr, /POST \/v2\/oauth\/accessToken 200/);
    assert.match(stderr, /emulator stopped/);
    // The request log names requests, never the secret or the token.
    assert.ok(!stderr.includes(SECRET) && !stderr.includes(token));
  });
});

describe('emulator command in process', () => {
  test('makes up a channel when none is given, and stops when the signal aborts', async () => {
    const controller = new AbortController();
    let stdout = '';
    let stderr = '';
    let firstLine: (line: string) => void = () => {};
    const printed = new Promise<string>((resolve) => (firstLine = resolve));
    const exit = runCli(['emulator'], {
      stdout: (text) => {
        stdout += text;
        firstLine(text);
      },
      stderr: (text) => void (stderr += text),
      env: {},
      readStdin: async () => '',
      signal: controller.signal,
    });
    const info = JSON.parse(await printed) as {
      url: string;
      channels: Array<{ id: string; secret: string }>;
    };
    assert.equal(info.channels.length, 1);
    const [channel] = info.channels;
    assert.ok(channel && channel.id !== '' && channel.secret !== '');
    const issued = await runInProcess(['issue', '-t', 'stateless', '--base-url', info.url], {
      env: { LINE_CHANNEL_ID: channel.id, LINE_CHANNEL_SECRET: channel.secret },
    });
    assert.equal(issued.code, 0, issued.stderr);
    controller.abort();
    assert.equal(await exit, 0);
    assert.equal(stdout.split('\n').length, 2, 'one line, then nothing');
    assert.ok(!stderr.includes(channel.secret));
    await assert.rejects(fetch(`${info.url}/oauth2/v2.1/verify?access_token=x`));
  });

  test('--admin-host lets the admin API answer under that name (e.g. a docker-compose service), and no other', async () => {
    const controller = new AbortController();
    let firstLine: (line: string) => void = () => {};
    const printed = new Promise<string>((resolve) => (firstLine = resolve));
    const exit = runCli(['emulator', '--admin-host', 'emulator'], {
      stdout: (text) => firstLine(text),
      stderr: () => {},
      env: {},
      readStdin: async () => '',
      signal: controller.signal,
    });
    const { url } = JSON.parse(await printed) as { url: string };
    const statsUnder = async (host: string) => {
      const { request } = await import('node:http');
      return new Promise<number>((resolve, reject) => {
        const req = request(`${url}/__emulator/stats`, { headers: { host } }, (res) => {
          res.resume();
          resolve(res.statusCode ?? 0);
        });
        req.on('error', reject);
        req.end();
      });
    };
    assert.equal(await statsUnder('emulator:8080'), 200);
    assert.equal(await statsUnder('evil.example:8080'), 403);
    controller.abort();
    assert.equal(await exit, 0);
  });

  test('--admin-host refuses what is not a host name, naming the flag', async () => {
    const result = await runInProcess(['emulator', '--admin-host', 'not a name']);
    assert.equal(result.code, 2);
    assert.match(result.stderr, /--admin-host takes a host name/);
  });

  test("--webhook sends the admin API's events to the bot, signed with the channel secret", async () => {
    const { createServer } = await import('node:http');
    const { validateSignature } = await import('@line/bot-sdk');
    const got: Array<{ valid: boolean; text: string }> = [];
    const bot = createServer((req, res) => {
      let body = '';
      req.on('data', (c: Buffer) => (body += c.toString()));
      req.on('end', () => {
        const signature = String(req.headers['x-line-signature']);
        const event = (JSON.parse(body) as { events: Array<{ message: { text: string } }> })
          .events[0];
        got.push({
          valid: validateSignature(body, SECRET, signature),
          text: event?.message.text ?? '',
        });
        res.writeHead(200).end();
      });
    });
    await new Promise<void>((resolve) => bot.listen(0, '127.0.0.1', resolve));
    const { port } = bot.address() as { port: number };
    const controller = new AbortController();
    let firstLine: (line: string) => void = () => {};
    const printed = new Promise<string>((resolve) => (firstLine = resolve));
    const hook = `http://127.0.0.1:${port}/webhook`;
    const exit = runCli(['emulator', '--channel', `4242424242:${SECRET}`, '--webhook', hook], {
      stdout: (text) => firstLine(text),
      stderr: () => {},
      env: {},
      readStdin: async () => '',
      signal: controller.signal,
    });
    try {
      const info = JSON.parse(await printed) as { url: string; webhook: string };
      assert.equal(info.webhook, hook);
      const r = await fetch(`${info.url}/__emulator/channels/4242424242/events`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ type: 'message', text: 'from the CLI' }),
      });
      assert.equal(((await r.json()) as { status: string }).status, 'delivered');
      assert.deepEqual(got, [{ valid: true, text: 'from the CLI' }]);
    } finally {
      controller.abort();
      bot.close();
    }
    assert.equal(await exit, 0);
    assert.equal((await runInProcess(['emulator', '--webhook', 'ftp://x'])).code, 2);
  });
});

/** Starts the built CLI's emulator, answers its first line, and stops it on SIGTERM. */
async function firstLineOf(
  args: string[],
): Promise<{ channels: Array<{ id: string; secret: string }> }> {
  const child = spawn(process.execPath, [CLI, 'emulator', ...args], {
    env: { PATH: process.env['PATH'] ?? '' },
    stdio: ['ignore', 'pipe', 'ignore'],
  });
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  const lines = createInterface({ input: child.stdout });
  const first = await new Promise<string>((resolve) => lines.once('line', resolve));
  child.kill('SIGTERM');
  assert.equal(await exited, 0);
  return JSON.parse(first) as { channels: Array<{ id: string; secret: string }> };
}

describe('emulator command edges', () => {
  const dir = tempDirFor(suiteScope(), 'line-token-cli-');

  test('lists the channels of its state file after a restart', async () => {
    const stateFile = join(dir, 'emulator-state.json');
    const first = await firstLineOf([
      '--channel',
      `1234567890:${SECRET}`,
      '--state-file',
      stateFile,
    ]);
    assert.deepEqual(first.channels, [{ id: '1234567890', secret: SECRET }]);
    const restarted = await firstLineOf(['--state-file', stateFile]);
    assert.deepEqual(restarted.channels, [{ id: '1234567890', secret: SECRET }]);
    // Named again on the command line: listed once.
    const again = await firstLineOf([
      '--channel',
      `1234567890:${SECRET}`,
      '--state-file',
      stateFile,
    ]);
    assert.deepEqual(again.channels, [{ id: '1234567890', secret: SECRET }]);
  });

  test('makes up a channel on a first run with a new state file, and keeps it', async () => {
    const stateFile = join(dir, 'fresh-state.json');
    const first = await firstLineOf(['--state-file', stateFile]);
    assert.equal(first.channels.length, 1);
    assert.deepEqual((await firstLineOf(['--state-file', stateFile])).channels, first.channels);
  });

  for (const [given, shown] of [
    ['abc', '"abc"'],
    ['123456789', '"123456789"'],
    ['12345678901', '"12345678901"'],
  ] as const) {
    test(`refuses --channel ${given}:SECRET, naming the 10-digit rule`, async () => {
      const { code, stdout, stderr } = await runChild(['emulator', '--channel', `${given}:def`]);
      assert.equal(code, 2);
      assert.equal(stdout, '');
      assert.equal(
        stderr,
        `line-token: --channel ID must be a 10-digit LINE channel id (as the Developers Console shows it), got ${shown}\n`,
      );
    });
  }
});
