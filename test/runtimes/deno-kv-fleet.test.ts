// Issue 12's Deno KV "done when": 4 Deno processes sharing one local KV file, through 10
// rotations on the emulator's virtual clock, each round 250 concurrent getToken() calls
// per process. One token per rotation for the whole fleet, counted at the emulator.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { generateKeyPair } from '../../dist/index.js';
import { startEmulator, type Emulator } from '../../dist/emulator/index.js';
import { LineChild, bin, requireRuntimes } from './harness.js';

const PROCESSES = 4;
const CALLERS = 250;
const ROTATIONS = 10;
const TOKEN_EXP_SEC = 3_600;
const HANG_GUARD = { timeout: 240_000 };

if (requireRuntimes('deno-kv fleet')) {
  describe('Deno processes sharing one Deno KV file', HANG_GUARD, () => {
    let emulator: Emulator;
    let dir: string;
    let fleet: LineChild[] = [];
    let channelId: string;

    before(async () => {
      emulator = await startEmulator();
      const channel = await emulator.admin.createChannel();
      channelId = channel.id;
      const { privateJwk, publicJwk } = await generateKeyPair();
      const { kid } = await emulator.admin.registerKey(channelId, publicJwk);
      dir = mkdtempSync(join(tmpdir(), 'line-token-deno-kv-'));
      const kvPath = join(dir, 'kv.sqlite3');
      const config = JSON.stringify({
        baseUrl: emulator.url,
        channelId,
        channelSecret: channel.secret,
        kid,
        privateJwk,
        tokenExpSec: TOKEN_EXP_SEC,
        kvPath,
        encryptionKey: randomBytes(32).toString('base64'),
        callers: CALLERS,
      });
      fleet = Array.from(
        { length: PROCESSES },
        () =>
          new LineChild(bin('deno'), [
            'run',
            '--no-prompt',
            '--sloppy-imports',
            '--unstable-kv',
            '--allow-net=127.0.0.1',
            `--allow-read=${dir}`,
            `--allow-write=${dir}`,
            'deno-fleet-entry.ts',
            config,
          ]),
      );
      for (const child of fleet) assert.equal((await child.next())['ready'], true);
    });
    after(async () => {
      for (const child of fleet) child.kill();
      await emulator?.close();
      if (dir) rmSync(dir, { recursive: true, force: true });
    });

    test(`${PROCESSES} processes x ${CALLERS} callers, ${ROTATIONS} rotations: rotations + 1 issues`, async (t) => {
      const served: string[] = [];
      for (let rotation = 0; rotation <= ROTATIONS; rotation++) {
        const { now } = await emulator.admin.advanceClock(rotation === 0 ? 0 : TOKEN_EXP_SEC);
        for (const child of fleet) child.send(String(now));
        const reports = (await Promise.all(fleet.map((c) => c.next()))) as Array<{
          tokens: string[];
          failures: number;
          errors: string[];
          warnings: string[];
        }>;
        const failures = reports.reduce((n, r) => n + r.failures, 0);
        assert.equal(
          failures,
          0,
          `failed getToken(): ${reports.flatMap((r) => r.errors).join('; ')}`,
        );
        const tokens = new Set(reports.flatMap((r) => r.tokens));
        const warnings = reports.flatMap((r) => r.warnings);
        // A degraded store would let a process issue its own token: none may degrade.
        assert.deepEqual(warnings, [], `round ${rotation}: store warnings`);
        assert.equal(tokens.size, 1, `round ${rotation}: the whole fleet served one token`);
        const live = await emulator.admin.listTokens(channelId);
        for (const token of tokens) {
          const info = live.find((x) => x.accessToken === token);
          assert.ok(info, 'a served token is live (not expired, not revoked)');
          assert.ok(
            info.expiresAt !== null && info.expiresAt > now,
            'a served token has not expired',
          );
        }
        served.push(...tokens);
      }
      assert.equal(new Set(served).size, ROTATIONS + 1, 'a new token each rotation');
      const { requests } = await emulator.admin.stats();
      t.diagnostic(`emulator requests: ${JSON.stringify(requests)}`);
      assert.equal(requests['issueV21'], ROTATIONS + 1, 'issue requests = rotations + 1');
      for (const child of fleet) child.send('exit');
      for (const child of fleet) assert.equal((await child.next())['closed'], true);
    });
  });
}
