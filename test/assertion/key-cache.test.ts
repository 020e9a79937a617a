// Guards "imported keys are cached, not re-parsed per signature" (parsing a key per signature
// would cost a bot most of its signing time).
import assert from 'node:assert/strict';
import type { JsonWebKey } from 'node:crypto';
import { inspect } from 'node:util';
import { describe, test } from 'node:test';
import {
  createAssertionSigner,
  importPrivateKey,
  InvalidKeyError,
  signAssertion,
} from '../../src/index.js';
import { keyCacheCounters } from '../../src/assertion/internal/cache.js';
import {
  fixturePair,
  keyForms,
  publicOf,
  SEED_001_JWK,
  uniqueText,
  verifyAssertion,
} from './helpers.js';

const base = { channelId: '1573163733', kid: 'kid-1', now: () => 1_700_000_000_000 };

function counting<T>(fn: () => Promise<T>): Promise<{ result: T; imports: number; hits: number }> {
  const before = { ...keyCacheCounters };
  return fn().then((result) => ({
    result,
    imports: keyCacheCounters.imports - before.imports,
    hits: keyCacheCounters.hits - before.hits,
  }));
}

/** A copy of seed 001's JWK whose `d` getter counts how often the key material is read. */
function spiedJwk(): { jwk: JsonWebKey; reads: () => number } {
  let reads = 0;
  const { d, ...rest } = SEED_001_JWK;
  const jwk = { ...rest } as JsonWebKey;
  Object.defineProperty(jwk, 'd', {
    enumerable: true,
    get() {
      reads++;
      return d;
    },
  });
  return { jwk, reads: () => reads };
}

describe('the key cache', () => {
  test('signAssertion with the same JWK object reads its private member only during the first import', async () => {
    const { jwk, reads } = spiedJwk();
    await signAssertion({ ...base, privateKey: jwk });
    const afterFirst = reads();
    assert.ok(afterFirst > 0, 'the first call reads d');
    for (let i = 0; i < 5; i++) {
      const jws = await signAssertion({ ...base, privateKey: jwk });
      verifyAssertion(jws, publicOf(SEED_001_JWK));
    }
    assert.equal(reads(), afterFirst, 'later calls do not touch the key material again');
  });

  test('signAssertion with the same PEM text imports it once', async () => {
    const pkcs1Pem = uniqueText(keyForms(fixturePair('a').privateKey).pkcs1Pem);
    const { imports, hits } = await counting(async () => {
      for (let i = 0; i < 4; i++) await signAssertion({ ...base, privateKey: pkcs1Pem });
    });
    assert.equal(imports, 1);
    assert.equal(hits, 3);
  });

  test('a signer imports its key once and then needs no cache look-up at all', async () => {
    const text = uniqueText(JSON.stringify(keyForms(fixturePair('b').privateKey).jwk));
    const signer = createAssertionSigner({ ...base, privateKey: text });
    const { imports, hits } = await counting(async () => {
      for (let i = 0; i < 5; i++) await signer.sign();
    });
    assert.deepEqual({ imports, hits }, { imports: 1, hits: 0 });
  });

  test('concurrent first calls with a new key share one import', async () => {
    // A new object: nothing has cached it yet.
    const { jwk } = keyForms(fixturePair('a').privateKey);
    const { imports } = await counting(() =>
      Promise.all(Array.from({ length: 10 }, () => signAssertion({ ...base, privateKey: jwk }))),
    );
    assert.equal(imports, 1);
  });

  test('importPrivateKey returns the same handle for the same input, and for a handle', async () => {
    const pkcs8Pem = uniqueText(keyForms(fixturePair('a').privateKey).pkcs8Pem);
    const a = await importPrivateKey(pkcs8Pem);
    const b = await importPrivateKey(pkcs8Pem);
    assert.equal(a, b);
    assert.equal(await importPrivateKey(a), a);
  });

  test('a failed import is not remembered: the same object, fixed, imports next time', async () => {
    const { jwk } = keyForms(fixturePair('b').privateKey);
    const broken: Record<string, unknown> = { ...jwk, d: undefined };
    await assert.rejects(importPrivateKey(broken), InvalidKeyError);
    broken['d'] = jwk.d;
    const key = await importPrivateKey(broken);
    assert.equal(key.modulusBits, 2048);
  });

  test('the text cache is bounded: the least recently used of 17 texts is imported again', async () => {
    const { pkcs8Pem } = keyForms(fixturePair('b').privateKey);
    // Trailing whitespace makes distinct texts (distinct cache entries) of one key; the tab
    // keeps them apart from uniqueText()'s.
    const texts = Array.from({ length: 17 }, (_, i) => `${pkcs8Pem}\t${' '.repeat(i + 1)}`);
    const fill = await counting(async () => {
      for (const text of texts) await importPrivateKey(text);
    });
    assert.equal(fill.imports, 17);
    const again = await counting(async () => {
      await importPrivateKey(texts[16]!); // most recent: still cached
      await importPrivateKey(texts[0]!); // evicted by the 17th
    });
    assert.deepEqual({ imports: again.imports, hits: again.hits }, { imports: 1, hits: 1 });
  });
});

describe('the AssertionKey handle', () => {
  test('shows its size and the JWK kid, and nothing of the key, in JSON and util.inspect', async () => {
    const key = await importPrivateKey(SEED_001_JWK);
    assert.equal(key.modulusBits, 2048);
    assert.equal(key.jwkKid, SEED_001_JWK.kid);
    for (const view of [JSON.stringify(key), inspect(key, { showHidden: true, depth: 5 })]) {
      assert.ok(view.includes('2048'));
      for (const member of ['d', 'p', 'q', 'dp', 'dq', 'qi', 'n'] as const) {
        assert.ok(!view.includes(SEED_001_JWK[member]!.slice(0, 12)), `no ${member} in ${view}`);
      }
    }
  });

  test('a look-alike object is not a handle: it is checked as a key and refused', async () => {
    await assert.rejects(
      signAssertion({ ...base, privateKey: { modulusBits: 2048, jwkKid: undefined } }),
      InvalidKeyError,
    );
  });

  test('a PEM key has no JWK kid', async () => {
    const key = await importPrivateKey(keyForms(fixturePair('b').privateKey).pkcs8Pem);
    assert.equal(key.jwkKid, undefined);
  });
});
