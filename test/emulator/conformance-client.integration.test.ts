// The same rulebook table as conformance.test.ts, driven through our ChannelAccessTokenClient:
// every rule the client can express comes back as the documented result, or as a
// LineApiError carrying LINE's status, error, error_description or message, and request id.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { ChannelAccessTokenClient } from '../../src/client/index.js';
import type { OperationName } from '../../src/client/types.js';
import { LineApiError } from '../../src/errors.js';
import { ASSERTION_TYPE } from './helpers.js';
import { RULES, buildFixture, type Fixture } from './rules.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

// Refuses a rule whose request the client would silently "fix": such rules must be rawOnly.
function expressible(op: OperationName, p: Record<string, string>): void {
  const needsGrant = op === 'issueShortLived' || op === 'issueV21' || op === 'issueStateless';
  if (needsGrant) assert.equal(p['grant_type'], 'client_credentials', 'rule needs rawOnly');
  if ('client_assertion' in p)
    assert.equal(p['client_assertion_type'], ASSERTION_TYPE, 'rule needs rawOnly');
  for (const v of Object.values(p)) assert.notEqual(v, '', 'rule needs rawOnly');
}

/** Calls the client and answers its result in the wire's snake_case shape. */
async function viaClient(
  client: ChannelAccessTokenClient,
  op: OperationName,
  p: Record<string, string>,
): Promise<Record<string, unknown> | undefined> {
  expressible(op, p);
  const s = (name: string) => {
    const v = p[name];
    assert.ok(v !== undefined, `rule needs rawOnly: no ${name}`);
    return v;
  };
  const verification = (r: { clientId: string; expiresIn: number; scope?: string }) => ({
    client_id: r.clientId,
    expires_in: r.expiresIn,
    ...(r.scope === undefined ? {} : { scope: r.scope }),
  });
  const issued = (r: { accessToken: string; expiresIn: number; tokenType: string }) => ({
    access_token: r.accessToken,
    expires_in: r.expiresIn,
    token_type: r.tokenType,
  });
  switch (op) {
    case 'issueShortLived':
      return issued(
        await client.issueShortLived({
          channelId: s('client_id'),
          channelSecret: s('client_secret'),
        }),
      );
    case 'verify':
      return verification(await client.verify({ accessToken: s('access_token') }));
    case 'revoke':
      await client.revoke({ accessToken: s('access_token') });
      return undefined;
    case 'issueV21': {
      const r = await client.issueV21({ assertion: s('client_assertion') });
      return { ...issued(r), key_id: r.keyId };
    }
    case 'verifyV21':
      return verification(await client.verifyV21({ accessToken: s('access_token') }));
    case 'revokeV21':
      await client.revokeV21({
        channelId: s('client_id'),
        channelSecret: s('client_secret'),
        accessToken: s('access_token'),
      });
      return undefined;
    case 'getValidKeyIds':
      return { kids: await client.getValidKeyIds({ assertion: s('client_assertion') }) };
    case 'issueStateless':
      return issued(
        await client.issueStateless(
          'client_assertion' in p
            ? { assertion: s('client_assertion') }
            : { channelId: s('client_id'), channelSecret: s('client_secret') },
        ),
      );
  }
}

describe('conformance through ChannelAccessTokenClient', () => {
  let f: Fixture;
  let client: ChannelAccessTokenClient;
  before(async () => {
    f = await buildFixture();
    client = new ChannelAccessTokenClient({ baseUrl: f.emu.url, retry: false, now: f.clock.now });
  });
  after(() => f.emu.close());

  const rules = RULES.filter((r) => r.rawOnly === undefined);
  test(`covers every rule the client can send (${rules.length} of ${RULES.length})`, () => {
    // Each raw-only rule says why the client cannot send it; none is skipped silently.
    for (const r of RULES) if (r.rawOnly !== undefined) assert.ok(r.rawOnly.length > 0);
    assert.ok(rules.length >= RULES.length - 10);
  });

  for (const rule of rules) {
    test(rule.name, async () => {
      const expect = rule.expect;
      const call = viaClient(client, rule.op, rule.params(f));
      if (expect.status !== 200) {
        const body = (expect as { body: Record<string, string> }).body;
        await assert.rejects(call, (err: unknown) => {
          assert.ok(err instanceof LineApiError, `expected LineApiError, got ${String(err)}`);
          assert.equal(err.status, expect.status);
          assert.equal(err.operation, rule.op);
          assert.equal(err.error, body['error']);
          assert.equal(err.errorDescription, body['error_description']);
          assert.equal(err.lineMessage, body['message']);
          assert.match(err.requestId ?? '', UUID);
          return true;
        });
        return;
      }
      const result = await call;
      if ('empty' in expect) assert.equal(result, undefined);
      else if ('check' in expect) await expect.check(result ?? {}, f);
    });
  }
});
