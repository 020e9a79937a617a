// The state file: a restarted emulator knows its channels, keys, tokens and clock offset;
// the file is written atomically with mode 0600; a corrupt file is refused without quoting it.
import assert from 'node:assert/strict';
import { readdir, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { InvalidArgumentError } from '../../src/errors.js';
import {
  ASSERTION_TYPE,
  claims,
  getQuery,
  header,
  postForm,
  rsaKey,
  signJws,
  start,
} from './helpers.js';
import { defer, suiteScope, tempDirFor } from '../fixtures.js';
import { FIXED_SECRET, FORMAT_1_TOKENS } from './stateless-fixtures.js';

const CH = { id: '1600000001', secret: '9'.repeat(32) };
const key = rsaKey('persist');

describe('state file', () => {
  const dir = tempDirFor(suiteScope(), 'line-token-emu-');

  test('survives a restart: channels, keys, live, revoked and long-lived tokens, clock offset', async (t) => {
    const stateFile = join(dir, 'state.json');
    const first = await start({ stateFile, channels: [CH] });
    const other = await first.emu.admin.createChannel({ id: 'made-later', secret: 's3' });
    const { kid } = await first.emu.admin.registerKey(CH.id, key.publicJwk);
    // The emulator clock is the fake clock plus the offset advanced below.
    const assertion = (offsetSec: number) =>
      signJws(header(kid), claims(CH.id, first.clock.sec + offsetSec), key.privateKey);
    const issued = await postForm(first.emu.url, '/oauth2/v2.1/token', {
      grant_type: 'client_credentials',
      client_assertion_type: ASSERTION_TYPE,
      client_assertion: assertion(0),
    });
    assert.equal(issued.status, 200, issued.text);
    const v21 = (issued.json as { access_token: string }).access_token;
    const revoked = await postForm(first.emu.url, '/v2/oauth/accessToken', {
      grant_type: 'client_credentials',
      client_id: CH.id,
      client_secret: CH.secret,
    });
    const revokedToken = (revoked.json as { access_token: string }).access_token;
    await postForm(first.emu.url, '/v2/oauth/revoke', { access_token: revokedToken });
    const stateless = await postForm(first.emu.url, '/oauth2/v3/token', {
      grant_type: 'client_credentials',
      client_id: CH.id,
      client_secret: CH.secret,
    });
    const statelessToken = (stateless.json as { access_token: string }).access_token;
    const { accessToken: longLived } = await first.emu.admin.issueLongLived(CH.id);
    await first.emu.admin.advanceClock(3600);
    const before = await first.emu.admin.listTokens(CH.id);
    await first.emu.close();

    const mode = (await stat(stateFile)).mode & 0o777;
    assert.equal(mode, 0o600);
    assert.deepEqual(await readdir(dir), ['state.json'], 'no temporary file left behind');

    const second = await start({ stateFile, channels: [CH] });
    defer(t, () => second.emu.close());
    assert.deepEqual(await second.emu.admin.listTokens(CH.id), before);
    assert.deepEqual(await second.emu.admin.listTokens(other.id), []);
    const verified = await getQuery(second.emu.url, '/oauth2/v2.1/verify', { access_token: v21 });
    assert.equal((verified.json as { expires_in: number }).expires_in, 86_400 - 3600);
    const dead = await postForm(second.emu.url, '/v2/oauth/verify', {
      access_token: revokedToken,
    });
    assert.equal(dead.status, 400);
    assert.equal(
      (await postForm(second.emu.url, '/v2/oauth/verify', { access_token: longLived })).status,
      200,
    );
    const statelessAgain = await postForm(second.emu.url, '/v2/oauth/verify', {
      access_token: statelessToken,
    });
    assert.equal(
      statelessAgain.status,
      400,
      'the stateless token expired on the restored clock (900 s < 3600 s)',
    );
    // The restored key still verifies assertions.
    const again = await postForm(second.emu.url, '/oauth2/v2.1/token', {
      grant_type: 'client_credentials',
      client_assertion_type: ASSERTION_TYPE,
      client_assertion: assertion(3600),
    });
    assert.equal(again.status, 200);
  });

  test('stateless tokens minted by the previous version, under its state file, still verify', async () => {
    const stateFile = join(dir, 'previous.json');
    const channel = { id: '1234567890', secret: 'f'.repeat(32) };
    await writeFile(
      stateFile,
      JSON.stringify({
        version: 1,
        clockOffsetMs: 0,
        hmacSecret: FIXED_SECRET,
        channels: [channel],
        keys: [],
        tokens: [],
      }),
    );
    const { emu } = await start({ stateFile, channels: [channel] });
    try {
      const minted = await postForm(emu.url, '/oauth2/v3/token', {
        grant_type: 'client_credentials',
        client_id: channel.id,
        client_secret: channel.secret,
      });
      const fresh = (minted.json as { access_token: string }).access_token;
      for (const token of [...FORMAT_1_TOKENS, fresh]) {
        const verified = await postForm(emu.url, '/v2/oauth/verify', { access_token: token });
        assert.equal(verified.status, 200, verified.text);
        assert.equal((verified.json as { client_id: string }).client_id, channel.id);
      }
      const forged = `${FORMAT_1_TOKENS[0]!.slice(0, -2)}AA`;
      const refused = await postForm(emu.url, '/v2/oauth/verify', { access_token: forged });
      assert.equal(refused.status, 400);
    } finally {
      await emu.close();
    }
  });

  test('a corrupt state file is refused without quoting its content', async () => {
    const stateFile = join(dir, 'corrupt.json');
    await writeFile(stateFile, '{"channels": [{"id": "1", "secret": "TOP-SECRET-VALUE"');
    await assert.rejects(start({ stateFile }), (e: unknown) => {
      assert.ok(e instanceof InvalidArgumentError);
      assert.equal(e.argument, 'stateFile');
      assert.doesNotMatch(e.message, /TOP-SECRET-VALUE/);
      assert.doesNotMatch(JSON.stringify(e), /TOP-SECRET-VALUE/);
      return true;
    });
  });

  test('a JSON file of another format is refused', async () => {
    const stateFile = join(dir, 'other.json');
    await writeFile(stateFile, '{"hello": "world"}');
    await assert.rejects(start({ stateFile }), { argument: 'stateFile' });
  });
});
