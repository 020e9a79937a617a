// Every store checks its options with the shared toolkit, so all read alike: one message
// format, a misspelt option refused with did-you-mean, and the arguments of its calls
// refused naming the store. The Deno KV and Durable Object stores check their options
// before touching the handle, so stand-ins for `Deno.Kv` and the namespace suffice here;
// test/runtimes runs them on the real runtimes, test/redis the Redis store.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { DurableObjectTokenStore } from '../../src/cloudflare/index.js';
import { DenoKvTokenStore } from '../../src/deno-kv/index.js';
import { InvalidArgumentError } from '../../src/errors.js';

const kv = { get: () => undefined, atomic: () => undefined } as never;
const namespace = { idFromName: () => 'id', get: () => ({}) } as never;
const KEY = 'q'.repeat(43) + '=';

interface Row {
  name: string;
  make: () => unknown;
  argument: string;
  message: string;
}

const rows: Row[] = [
  {
    name: 'Deno KV: a misspelt option',
    make: () => new DenoKvTokenStore({ kv, pollIntervallMs: 10 } as never),
    argument: 'pollIntervallMs',
    message: '"pollIntervallMs" is not a DenoKvTokenStore option; did you mean "pollIntervalMs"?',
  },
  {
    name: 'Deno KV: no kv',
    make: () => new DenoKvTokenStore({} as never),
    argument: 'kv',
    message:
      '"kv" option must be a Deno.Kv from `await Deno.openKv()` (run Deno with --unstable-kv) (got undefined)',
  },
  {
    name: 'Deno KV: options not an object',
    make: () => new DenoKvTokenStore('kv' as never),
    argument: 'options',
    message: 'DenoKvTokenStore options must be an object (got a string)',
  },
  {
    name: 'Deno KV: a poll interval typed as text',
    make: () => new DenoKvTokenStore({ kv, pollIntervalMs: '250' as never }),
    argument: 'pollIntervalMs',
    message:
      '"pollIntervalMs" option must be a whole number of milliseconds from 1 to 2147483647 (got the string "250")',
  },
  {
    name: 'Deno KV: a busy timeout past the timer range',
    make: () => new DenoKvTokenStore({ kv, busyTimeoutMs: 2 ** 31 }),
    argument: 'busyTimeoutMs',
    message:
      '"busyTimeoutMs" option must be a whole number of milliseconds from 1 to 2147483647 (got 2147483648)',
  },
  {
    name: 'Deno KV: a prefix with a space',
    make: () => new DenoKvTokenStore({ kv, prefix: 'my app' }),
    argument: 'prefix',
    message: '"prefix" option must be a non-empty string without whitespace (got a string)',
  },
  {
    name: 'Durable Object: a misspelt option',
    make: () => new DurableObjectTokenStore({ namespace, encryptionkey: KEY } as never),
    argument: 'encryptionkey',
    message:
      '"encryptionkey" is not a DurableObjectTokenStore option; did you mean "encryptionKey"?',
  },
  {
    name: 'Durable Object: not a namespace',
    make: () => new DurableObjectTokenStore({ namespace: 'LINE_TOKENS' as never }),
    argument: 'namespace',
    message:
      '"namespace" option must be a Durable Object namespace binding (env.<BINDING>) bound to LineTokenDurableObject (got a string); check the durable_objects binding in wrangler.toml',
  },
  {
    name: 'Durable Object: a short encryption key',
    make: () => new DurableObjectTokenStore({ namespace, encryptionKey: new Uint8Array(16) }),
    argument: 'encryptionKey',
    message:
      '"encryptionKey" option must be exactly 32 bytes for AES-256-GCM (got 16); generate one with `openssl rand -base64 32`',
  },
];

describe('store options', () => {
  for (const row of rows) {
    test(row.name, () => {
      assert.throws(row.make, (err: unknown) => {
        assert.ok(err instanceof InvalidArgumentError, String(err));
        assert.ok(err instanceof TypeError);
        assert.equal(err.argument, row.argument);
        assert.equal(err.message, row.message);
        return true;
      });
    });
  }

  test('accepts good options', () => {
    new DenoKvTokenStore({ kv, prefix: 'app', pollIntervalMs: 100, busyTimeoutMs: 500 });
    new DurableObjectTokenStore({ namespace, prefix: 'app', encryptionKey: KEY });
  });

  test('refuses bad call arguments naming the store, before any request', async () => {
    const store = new DenoKvTokenStore({ kv });
    await assert.rejects(store.acquireLock('k', 0), {
      message: 'DenoKvTokenStore: "ttlMs" must be a positive number of milliseconds (got 0)',
    });
    await assert.rejects(store.get(''), {
      message: 'DenoKvTokenStore: "key" must be a non-empty string (got an empty string)',
    });
    const dobj = new DurableObjectTokenStore({ namespace });
    await assert.rejects(dobj.set('k', { accessToken: 'x' } as never, Number.NaN), {
      message: 'DurableObjectTokenStore: "ttlMs" must be a finite number of milliseconds (got NaN)',
    });
  });
});
