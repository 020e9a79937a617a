// The dashboard page in a real Chromium (Debian's `chromium`, driven by playwright-core): a
// TokenManager issues and rotates v2.1 tokens, the gauge counts them, the page's +1 day
// button expires them and the timeline says so, a refused assertion shows LINE's text in
// the request log, the chat view shows what the bot pushed, and a message typed in its box
// reaches a webhook server with a valid signature. Every document and JSON
// answer the page received is scanned for the channel secret and whole tokens, and a page
// from another origin tries to drive the emulator and cannot. It takes the screenshot
// docs/emulator.md shows, written over docs/images/dashboard.png only with
// UPDATE_SCREENSHOT=1 (a test run must not change tracked files). Without chromium it skips
// loudly, and fails under CI=true.
import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { existsSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { startEmulator, type Emulator } from '../../src/emulator/index.js';
import { TokenManager } from '../../src/manager/manager.js';
import { suiteScope, tempDirFor } from '../fixtures.js';
import { ASSERTION_TYPE, claims, header, postForm, rsaKey, signJws } from './helpers.js';

const CHROMIUM = '/usr/bin/chromium';
const MISSING = `${CHROMIUM} is missing: the dashboard browser test did NOT run. Install it with \`apt-get install -y chromium\`.`;
const DOCS_SCREENSHOT = join(import.meta.dirname, '../../docs/images/dashboard.png');

const CH = { id: '1400000128', secret: 'b'.repeat(32) };
const key = rsaKey('dashboard-browser');
const stranger = rsaKey('dashboard-browser-stranger');

function available(): boolean {
  if (existsSync(CHROMIUM)) return true;
  if (process.env.CI) {
    test('dashboard in a browser: chromium is required in CI', () => {
      throw new Error(MISSING);
    });
  } else {
    console.warn(`\n!!! ${MISSING}\n`);
    test('dashboard in a browser: skipped, chromium missing', { skip: MISSING }, () => {});
  }
  return false;
}

async function listen(server: Server): Promise<string> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return String((server.address() as AddressInfo).port);
}

if (available()) {
  describe('emulator dashboard in Chromium', () => {
    let emu: Emulator;
    let manager: TokenManager;
    let browser: BrowserContext;
    let page: Page;
    let evil: Server;
    let evilPort: string;
    let kid: string;
    // Every document and JSON body the page received from the emulator.
    const bodies: Promise<string>[] = [];
    // Every token the emulator handed out during the test.
    const tokens = new Set<string>();
    // The emulator's request log lines.
    const lines: string[] = [];
    const remember = async () => {
      for (const t of await emu.admin.listTokens(CH.id)) tokens.add(t.accessToken);
    };

    before(async () => {
      emu = await startEmulator({ channels: [CH], rateLimit: false, log: (l) => lines.push(l) });
      ({ kid } = await emu.admin.registerKey(CH.id, key.publicJwk));
      const privateKey = key.privateKey.export({ format: 'pem', type: 'pkcs8' }) as string;
      manager = new TokenManager({
        strategy: {
          type: 'v2.1',
          channelId: CH.id,
          kid,
          privateKey,
          tokenExpSec: 3600,
          channelSecret: CH.secret,
        },
        // The superseded token stays live (in its grace) for the whole test.
        revoke: { graceMs: 600_000 },
        clientOptions: { baseUrl: emu.url },
      });
      // A page from another site that tries to drive the emulator.
      evil = createServer((_req, res) => {
        res.writeHead(200, { 'content-type': 'text/html' }).end('<!doctype html><p>evil</p>');
      });
      evilPort = await listen(evil);
      browser = await chromium.launchPersistentContext(profile, {
        executablePath: CHROMIUM,
        headless: true,
        args: [
          '--headless',
          '--no-sandbox',
          '--disable-gpu',
          '--disable-quic',
          '--no-first-run',
          '--disable-background-networking',
          '--disable-component-update',
          '--disable-sync',
          // evil.test is this machine: the name a DNS-rebinding page would use.
          '--host-resolver-rules=MAP evil.test 127.0.0.1',
        ],
        viewport: { width: 1280, height: 900 },
      });
      page = browser.pages()[0] ?? (await browser.newPage());
      page.on('response', (res) => {
        if (res.url().startsWith(emu.url)) bodies.push(res.text().catch(() => ''));
      });
    });
    after(async () => {
      await manager?.close();
      await browser?.close();
      await new Promise((resolve) => evil?.close(resolve));
      await emu?.close();
    });
    // The browser's profile, removed after the hook above has closed the browser.
    const profile = tempDirFor(suiteScope(), 'line-token-chromium-');

    test('shows the gauge, the expiry a page click causes, a refusal and a pushed message', async (t) => {
      // Issue, then rotate: the manager replaces the token at once (no 401 to judge).
      const first = await manager.getToken();
      await manager.invalidate(first, { verify: false });
      const second = await manager.getToken();
      assert.notEqual(second, first);
      await remember();
      const live = (await emu.admin.listTokens(CH.id)).filter((t) => t.family === 'v2.1');
      const pushed = await fetch(`${emu.url}/v2/bot/message/push`, {
        method: 'POST',
        headers: { authorization: `Bearer ${second}`, 'content-type': 'application/json' },
        body: JSON.stringify({
          to: 'U'.padEnd(33, '0'),
          messages: [{ type: 'text', text: 'hello from the bot' }],
        }),
      });
      assert.equal(pushed.status, 200);
      const refused = await postForm(emu.url, '/oauth2/v2.1/token', {
        grant_type: 'client_credentials',
        client_assertion_type: ASSERTION_TYPE,
        client_assertion: signJws(
          header(kid),
          claims(CH.id, Math.floor(Date.now() / 1000)),
          stranger.privateKey,
        ),
      });
      assert.equal(refused.status, 400);

      await page.goto(`${emu.url}/`);
      const channel = page.locator(`.channel[data-channel="${CH.id}"]`);
      await channel
        .locator('.v21-count')
        .filter({ hasText: `${live.length} / 30` })
        .waitFor();
      assert.equal(
        await channel.locator('.gauge .slot.live, .gauge .slot.superseded').count(),
        live.length,
      );
      assert.ok(live.length >= 1);

      const refusal = page.locator('#requests tr.refused[data-operation="issueV21"]');
      await refusal.first().waitFor();
      assert.equal(
        await refusal.first().locator('.error').textContent(),
        'invalid_client: Invalid signature',
      );
      assert.equal(await refusal.first().locator('.rule').textContent(), 'assertion.signature');
      await page
        .locator('#chat .message .text')
        .filter({ hasText: 'hello from the bot' })
        .waitFor();
      const shot = await page.screenshot({
        path:
          process.env['UPDATE_SCREENSHOT'] === '1'
            ? DOCS_SCREENSHOT
            : join(tempDirFor(t, 'dashboard-shot-'), 'dashboard.png'),
        fullPage: true,
      });
      assert.ok(shot.length > 10_000, `a rendered page, not a blank one (${shot.length} bytes)`);
      // The status filter keeps the refusal and hides the successes.
      await page.selectOption('#log-status', 'refused');
      assert.equal(await page.locator('#requests tr:not(.refused)').count(), 0);

      await page
        .locator('#chat .message .text')
        .filter({ hasText: 'hello from the bot' })
        .waitFor();

      // A message typed in the chat box reaches the bot's webhook, signed with the secret.
      const delivered: Array<{ body: string; signature: unknown }> = [];
      let arrived: () => void = () => {};
      const arrival = new Promise<void>((resolve) => (arrived = resolve));
      const bot = createServer((req, res) => {
        const chunks: Buffer[] = [];
        req.on('data', (c: Buffer) => chunks.push(c));
        req.on('end', () => {
          delivered.push({
            body: Buffer.concat(chunks).toString(),
            signature: req.headers['x-line-signature'],
          });
          res.end('ok');
          arrived();
        });
      });
      await emu.admin.setWebhook(CH.id, `http://127.0.0.1:${await listen(bot)}/webhook`);
      try {
        await page.fill('#send input[name="text"]', 'typed in the page');
        await page.click('#send button');
        await arrival;
        assert.equal(delivered.length, 1, 'the webhook got the typed message');
        const expected = createHmac('sha256', CH.secret)
          .update(delivered[0]!.body)
          .digest('base64');
        assert.equal(delivered[0]!.signature, expected, 'a valid x-line-signature');
        const sent = JSON.parse(delivered[0]!.body) as {
          destination: string;
          events: Array<{ type: string; message: { text: string } }>;
        };
        assert.equal(sent.events[0]!.type, 'message');
        assert.equal(sent.events[0]!.message.text, 'typed in the page');
      } finally {
        await emu.admin.setWebhook(CH.id, null);
        await new Promise((resolve) => bot.close(resolve));
      }

      // The page's +1 day moves the emulator's clock: every token (1 h) expires.
      const before = Date.now();
      await page.click('button[data-advance="86400"]');
      await channel.locator('.v21-count').filter({ hasText: '0 / 30' }).waitFor();
      await page.locator('#timeline li[data-kind="expire"][data-family="v2.1"]').first().waitFor();
      const { now } = await emu.admin.advanceClock(0);
      assert.ok(now >= before + 86_400_000, 'the emulator clock moved a day');
    });

    test('holds no secret and no whole token, and a foreign page cannot drive it', async () => {
      await remember();
      const seen = await Promise.all(bodies);
      assert.ok(seen.length > 3 && seen.some((b) => b.includes('<!doctype html>')));
      for (const body of seen) {
        assert.ok(!body.includes(CH.secret), 'the channel secret');
        for (const token of tokens) assert.ok(!body.includes(token), 'a whole token');
      }

      const { now } = await emu.admin.advanceClock(0);
      const faultsBefore = JSON.stringify(
        await (await fetch(`${emu.url}/__emulator/faults`)).json(),
      );
      await page.goto(`http://evil.test:${evilPort}/`);
      const mark = lines.length;
      const target = emu.url;
      const outcomes = await page.evaluate(async (base) => {
        const tries = [
          fetch(`${base}/__emulator/clock`, {
            method: 'POST',
            headers: { 'content-type': 'application/json' },
            body: '{"advanceSec":86400}',
          }),
          fetch(`${base}/__emulator/clock`, {
            method: 'POST',
            mode: 'no-cors',
            headers: { 'content-type': 'text/plain' },
            body: '{"advanceSec":86400}',
          }),
          fetch(`${base}/__emulator/dashboard/state`),
          fetch(`${base}/__emulator/reset`, { method: 'POST', mode: 'no-cors', body: '{}' }),
        ];
        return Promise.all(
          tries.map((p) =>
            p.then(
              (r) => `${r.type} ${r.status}`,
              (e: Error) => `error ${e.name}`,
            ),
          ),
        );
      }, target);
      // The page sees errors (no CORS grant) or opaque answers; the emulator refused what
      // reached it (the preflight and the simple POSTs), so nothing rests on the browser.
      for (const outcome of outcomes) assert.match(outcome, /^(error|opaque 0)/, outcome);
      const reached = lines.slice(mark).filter((l) => /^(POST|OPTIONS) \/__emulator\//.test(l));
      assert.ok(reached.length >= 2, reached.join('\n'));
      for (const line of reached) assert.match(line, / 403 /, line);
      assert.equal(
        (await emu.admin.advanceClock(0)).now - now < 60_000,
        true,
        'clock not moved a day',
      );
      assert.equal(
        JSON.stringify(await (await fetch(`${emu.url}/__emulator/faults`)).json()),
        faultsBefore,
      );
      // The page itself, reached through a rebinding name, is refused.
      const rebound = await page.goto(`http://evil.test:${new URL(emu.url).port}/`);
      assert.equal(rebound?.status(), 403);
    });
  });
}
