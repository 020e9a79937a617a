// Shared setup of the RedisTokenStore tests: one real redis-server per test file, fresh
// prefixes per test, and every connection and store closed afterwards.
import assert from 'node:assert/strict';
import { after, before } from 'node:test';
import { inspect } from 'node:util';
import { Redis } from 'ioredis';
import type { StoredToken } from '../../../src/manager/store.js';
import { RedisTokenStore, type RedisTokenStoreOptions } from '../../../src/redis/index.js';
import { startRedisServer, type RedisServer } from '../redis-server.js';

/** A token as the manager stores it; its value must never show up where it should not. */
export const TOKEN: StoredToken = {
  accessToken: 'eyJhbGciOiJIUzI1NiJ9.secret-token-value.sig',
  expiresAt: 1_700_000_900_000,
  issuedAt: 1_700_000_000_000,
  keyId: 'key-id-22-characters-x',
  type: 'v2.1',
  refreshAt: 1_700_000_700_000,
};
export const KEY = new Uint8Array(32).map((_, i) => i + 1);
export const OTHER_KEY = new Uint8Array(32).map((_, i) => 200 - i);

/** Fails if the error's message, JSON or inspect view holds the token. */
export function assertNoSecret(err: Error): void {
  for (const view of [err.message, JSON.stringify(err), inspect(err)]) {
    assert.ok(!view.includes(TOKEN.accessToken), 'no token in the error');
    assert.ok(!view.includes('secret-token-value'));
  }
}

/** The test file's Redis: call inside a `describe`, use the members inside tests. */
export interface RedisFixture {
  readonly server: RedisServer;
  /** A plain connection for looking at (or tampering with) what the store wrote. */
  readonly raw: Redis;
  uniquePrefix(): string;
  /** A new connection, closed after the file. */
  client(): Redis;
  /** A store on a new connection and a fresh prefix (unless `options` say otherwise). */
  store(options?: Partial<RedisTokenStoreOptions>): RedisTokenStore;
  /** Closes `thing` after the file. */
  track<T extends Redis | RedisTokenStore>(thing: T): T;
  /** Resolves once `count` connections listen on `channel`. */
  subscribers(channel: string, count?: number): Promise<void>;
}

export function useRedis(binary: string): RedisFixture {
  let server: RedisServer | undefined;
  let raw: Redis | undefined;
  const clients: Redis[] = [];
  const stores: RedisTokenStore[] = [];
  let n = 0;
  const fixture: RedisFixture = {
    get server() {
      return server!;
    },
    get raw() {
      return raw!;
    },
    uniquePrefix: () => `t${++n}`,
    client() {
      return fixture.track(new Redis(fixture.server.url));
    },
    store(options = {}) {
      return fixture.track(
        new RedisTokenStore({
          client: fixture.client(),
          prefix: fixture.uniquePrefix(),
          ...options,
        }),
      );
    },
    track(thing) {
      if (thing instanceof RedisTokenStore) stores.push(thing);
      else clients.push(thing as Redis);
      return thing;
    },
    async subscribers(channel, count = 1) {
      for (;;) {
        const [, listening] = (await fixture.raw.call('PUBSUB', 'SHARDNUMSUB', channel)) as [
          string,
          number,
        ];
        if (listening >= count) return;
        await new Promise((resolve) => setImmediate(resolve));
      }
    },
  };
  before(async () => {
    server = await startRedisServer(binary);
    raw = fixture.client();
  });
  after(async () => {
    await Promise.all(stores.map((s) => s.close()));
    for (const c of clients) c.disconnect();
    await server?.close();
  });
  return fixture;
}
