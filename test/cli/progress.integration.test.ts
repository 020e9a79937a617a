// "It talks while it waits", so a person knows it is not stuck: the built CLI against a server that
// accepts connections and never answers. With --timeout 2 it exits 3 and says after how many
// attempts it gave up; on a pseudo-terminal (util-linux `script`) stderr shows the waiting and
// retry lines; on a pipe it stays silent unless --verbose. No assertion on elapsed time: the
// children have a generous hang guard only.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { createServer, type Server, type Socket } from 'node:net';
import { after, before, describe, test } from 'node:test';
import { CLI, runChild } from './helpers.js';

// JWS-shaped, so verify asks the v2.1 endpoint (a GET whose retries are on by default).
const TOKEN = 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ4In0.c2lnbmF0dXJl';
const HANG_GUARD_MS = 120_000;

let server: Server;
let url: string;
const sockets = new Set<Socket>();
let requests = 0;

before(async () => {
  // Reads each request and never answers it.
  server = createServer((socket) => {
    sockets.add(socket);
    socket.on('data', (chunk) => {
      if (chunk.toString('latin1').includes('HTTP/1.1')) requests++;
    });
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => undefined);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  assert.ok(address !== null && typeof address === 'object');
  url = `http://127.0.0.1:${address.port}`;
});

after(async () => {
  for (const socket of sockets) socket.destroy();
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

const quote = (arg: string): string => `'${arg.replace(/'/g, `'\\''`)}'`;

/** Runs the CLI on a pseudo-terminal; what the terminal showed, and the exit code. */
function runOnTty(args: string[]): Promise<{ code: number; screen: string }> {
  const command = [process.execPath, CLI, ...args].map(quote).join(' ');
  return new Promise((resolve, reject) => {
    execFile(
      'script',
      ['-qfec', command, '/dev/null'],
      { env: { PATH: process.env['PATH'] ?? '', TERM: 'dumb' }, timeout: HANG_GUARD_MS },
      (error, stdout) => {
        const code = error === null ? 0 : (error as { code?: unknown }).code;
        if (typeof code !== 'number') reject(error ?? new Error('no exit code'));
        else resolve({ code, screen: stdout.replace(/\r/g, '') });
      },
    );
  });
}

describe('a server that never answers', () => {
  test('on a terminal: waiting and retry lines, then exit 3 naming the attempts', async () => {
    const before = requests;
    const { code, screen } = await runOnTty(['verify', TOKEN, '--timeout', '2', '--base-url', url]);
    assert.equal(code, 3, screen);
    assert.match(screen, /line-token: waiting for LINE \(GET \/oauth2\/v2\.1\/verify\)…/);
    assert.match(
      screen,
      /line-token: no answer in time; retrying (now|in [\d.]+ s), attempt 2 of 3/,
    );
    assert.match(
      screen,
      /line-token: no answer in time; retrying (now|in [\d.]+ s), attempt 3 of 3/,
    );
    assert.match(screen, /waiting for LINE \(GET \/oauth2\/v2\.1\/verify, attempt 3 of 3\)…/);
    assert.match(
      screen,
      /verifyV21 timed out after 2000 ms at http:\/\/127\.0\.0\.1:\d+; gave up after 3 attempts/,
    );
    // The token travels in the query of this GET: the lines name the path only.
    assert.ok(!screen.includes(TOKEN), 'the token never shows');
    assert.equal(requests - before, 3, 'three attempts reached the server');
  });

  // Two CLI runs, each waiting out its real request timeouts: about 15 s.
  test(
    'on a pipe: silent while waiting, one line at the end; --verbose talks anyway',
    { timeout: 90_000 },
    async () => {
      const quiet = await runChild(['verify', TOKEN, '--timeout', '2', '--base-url', url]);
      assert.equal(quiet.code, 3, quiet.stderr);
      assert.equal(quiet.stdout, '');
      assert.match(quiet.stderr, /^line-token: [^\n]*gave up after 3 attempts[^\n]*\n$/);

      const verbose = await runChild([
        'verify',
        TOKEN,
        '--timeout=2',
        '--verbose',
        '--base-url',
        url,
      ]);
      assert.equal(verbose.code, 3, verbose.stderr);
      assert.equal(verbose.stdout, '', 'never on stdout');
      assert.match(verbose.stderr, /waiting for LINE/);
      assert.match(verbose.stderr, /retrying (now|in [\d.]+ s), attempt 2 of 3/);
    },
  );

  test('LINE_API_TIMEOUT bounds an issue, which is not retried (a repeat could burn a token)', async () => {
    const { code, stderr } = await runChild(['issue', '--type', 'short-lived', '--base-url', url], {
      env: {
        LINE_API_TIMEOUT: '1',
        LINE_CHANNEL_ID: '1',
        LINE_CHANNEL_SECRET: 'not-a-real-secret',
      },
    });
    assert.equal(code, 3, stderr);
    assert.match(stderr, /issueShortLived timed out after 1000 ms .*; gave up after 1 attempt \(/);
  });
});

describe('progress notices and the transport', () => {
  test("reports through the client's telemetry, so the CLI keeps Node's own transport", async () => {
    const { createProgress } = await import('../../src/cli/internal/progress.js');
    const { ChannelAccessTokenClient } = await import('../../src/client/client.js');
    const progress = createProgress({ talk: true, log: () => {}, timeoutMs: undefined });
    assert.equal('fetch' in progress.clientOptions, false, 'no fetch wrapper to replace the wire');
    const client = new ChannelAccessTokenClient({ ...progress.clientOptions });
    const transport = (client as unknown as Record<symbol, unknown>)[
      Symbol.for('line-token.transport')
    ];
    assert.equal(transport, 'node:http');
  });
});
