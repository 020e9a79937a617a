// examples/observability run as a user would (a child process configured by the
// environment) against the emulator: its Prometheus endpoint is scraped over HTTP and
// shows the token's metrics; the alert rules and the dashboard name only metrics the
// library exports.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { after, before, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { generateKeyPair } from '../../src/assertion/index.js';
import { startEmulator, type Emulator } from '../../src/emulator/index.js';
import { METRIC } from '../../src/telemetry/internal/attributes.js';
import { suiteScope, tempDirFor } from '../fixtures.js';

const example = fileURLToPath(new URL('../../examples/observability/', import.meta.url));

let emu: Emulator;
const work = tempDirFor(suiteScope(), 'line-token-observability-');

before(async () => {
  emu = await startEmulator({ rateLimit: false });
});
after(async () => {
  await emu?.close();
});

/** The value of the one sample of `name` whose labels include every `labels` pair. */
function sample(scrape: string, name: string, labels: Record<string, string>): number {
  const lines = scrape
    .split('\n')
    .filter((l) => l.startsWith(`${name}{`))
    .filter((l) => Object.entries(labels).every(([k, v]) => l.includes(`${k}="${v}"`)));
  assert.equal(lines.length, 1, `one ${name} sample with ${JSON.stringify(labels)}`);
  return Number(lines[0]!.slice(lines[0]!.lastIndexOf(' ') + 1));
}

test('observability: the bot serves its token metrics to Prometheus over HTTP', async (t) => {
  const { id, secret } = await emu.admin.createChannel({});
  const { privateJwk, publicJwk } = await generateKeyPair();
  const { kid } = await emu.admin.registerKey(id, publicJwk);
  const keyFile = join(work, 'key.json');
  await writeFile(keyFile, JSON.stringify(privateJwk), { mode: 0o600 });
  const bot = spawn(process.execPath, [join(example, 'bot.mjs')], {
    env: {
      PATH: process.env.PATH ?? '',
      PORT: '0',
      LINE_API_BASE_URL: emu.url,
      LINE_CHANNEL_ID: id,
      LINE_CHANNEL_SECRET: secret,
      LINE_ASSERTION_KID: kid,
      LINE_ASSERTION_PRIVATE_KEY: keyFile,
    },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  t.after(() => bot.kill('SIGTERM'));
  const [line] = (await once(createInterface({ input: bot.stdout }), 'line')) as [string];
  const { listening } = JSON.parse(line) as { listening: number };

  const response = await fetch(`http://127.0.0.1:${listening}/metrics`);
  assert.equal(response.status, 200);
  const scrape = await response.text();
  const channel = { line_token_family: 'v2.1', line_token_channel_id: id };
  assert.equal(
    sample(scrape, 'line_token_issues_total', {
      line_token_family: 'v2.1',
      line_token_outcome: 'issued',
    }),
    1,
  );
  const left = sample(scrape, 'line_token_token_remaining_lifetime', channel);
  assert.ok(left > 86_000 && left <= 86_400, 'a fresh one-day token');
  assert.equal(sample(scrape, 'line_token_refresh_failing', channel), 0);
  assert.equal(sample(scrape, 'line_token_v21_live_tokens', channel), 1, 'the one token issued');
  assert.equal(sample(scrape, 'line_token_v21_unaccounted_tokens', channel), 0);
  assert.equal(
    sample(scrape, 'line_token_refresh_duration_count', {
      ...channel,
      line_token_outcome: 'success',
    }),
    1,
  );

  const [token] = await emu.admin.listTokens(id);
  assert.ok(token !== undefined && !scrape.includes(token.accessToken), 'no token in the scrape');
  assert.ok(!scrape.includes(secret), 'no channel secret in the scrape');
});

test('observability: the alert rules and the dashboard use only exported metric names', async () => {
  const exported = new Set(
    Object.values(METRIC).flatMap((name) => {
      const base = name.replaceAll('.', '_');
      return ['', '_total', '_bucket', '_sum', '_count'].map((suffix) => base + suffix);
    }),
  );
  for (const file of ['alerts.yml', 'dashboard.json']) {
    const text = await readFile(join(example, file), 'utf8');
    if (file.endsWith('.json')) assert.ok(Array.isArray(JSON.parse(text).panels), 'a dashboard');
    const used = new Set(text.match(/\bline_token_[a-z0-9_]+(?=[\s{[)])/g) ?? []);
    const metrics = [...used].filter(
      (name) => !/^line_token_(channel_id|family|outcome|operation|store(_operation)?)$/.test(name),
    );
    assert.ok(metrics.length >= 4, `${file} uses the metrics`);
    for (const name of metrics) assert.ok(exported.has(name), `${file}: ${name} is exported`);
  }
});
