// The options layer every part reads its options with: one reader per key, renamed keys,
// did-you-mean, dotted paths in groups, cross-field rules, and defaults derived from the spec.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { InvalidArgumentError } from '../../src/errors.js';
import {
  boolean,
  checkOptionNames,
  optionNames,
  defaultsOf,
  duration,
  fn,
  group,
  integer,
  readOptions,
  type OptionsSpec,
} from '../../src/internal/options-spec.js';
import { invalidOption } from '../../src/internal/validate.js';

interface Sample {
  timeoutMs?: number;
  retry?: { limit?: number; backoffMs?: number; backoffLimitMs?: number };
  keepWarm?: boolean;
  now?: () => number;
}

const SPEC = {
  timeoutMs: duration(30_000),
  retry: group(
    { limit: integer(3, 0, 10), backoffMs: duration(500), backoffLimitMs: duration(5_000) },
    {
      where: 'Sample "retry"',
      rules: (r) => {
        if (r.backoffLimitMs < r.backoffMs) {
          invalidOption(
            'retry.backoffLimitMs',
            `at least "retry.backoffMs" (${r.backoffMs})`,
            r.backoffLimitMs,
          );
        }
      },
    },
  ),
  keepWarm: boolean(false),
  now: fn<() => number>(Date.now),
} satisfies OptionsSpec<Sample>;

const read = (input: unknown) =>
  readOptions(SPEC, input, {
    where: 'Sample',
    moved: { maxAttempts: { to: 'retry.limit', note: 'one less' }, timeout: 'timeoutMs' },
  });

describe('readOptions', () => {
  test('fills every default and keeps given values', () => {
    const r = read({ retry: { limit: 0 } });
    assert.equal(r.timeoutMs, 30_000);
    assert.deepEqual({ ...r.retry }, { limit: 0, backoffMs: 500, backoffLimitMs: 5_000 });
    assert.equal(r.keepWarm, false);
    assert.equal(r.now, Date.now);
    assert.deepEqual(read(undefined).retry.limit, 3);
  });

  test('refuses a non-object, naming what the options configure', () => {
    assert.throws(() => read('secret-ish'), {
      name: 'InvalidArgumentError',
      message: 'Sample options must be an object (got a string)',
    });
    assert.throws(() => read({ retry: [] }), /"retry" option must be an object \(got an array\)/);
  });

  test('names a renamed key with its new path and note', () => {
    assert.throws(
      () => read({ maxAttempts: 4 }),
      (err: unknown) =>
        err instanceof InvalidArgumentError &&
        err.argument === 'maxAttempts' &&
        /"maxAttempts" is now "retry\.limit" \(one less\)/.test(err.message),
    );
    assert.throws(() => read({ timeout: 1 }), /"timeout" is now "timeoutMs"/);
  });

  test('unknown keys get did-you-mean with dotted paths in groups', () => {
    assert.throws(
      () => read({ timeoutMS: 1 }),
      /"timeoutMS" is not a Sample option; did you mean "timeoutMs"\?/,
    );
    assert.throws(
      () => read({ retry: { limt: 1 } }),
      (err: unknown) =>
        err instanceof InvalidArgumentError &&
        err.argument === 'retry.limt' &&
        err.message === '"retry.limt" is not a Sample "retry" option; did you mean "retry.limit"?',
    );
  });

  test('an undefined value counts as absent, also for unknown keys', () => {
    assert.equal(read({ timeoutMs: undefined, unknown: undefined }).timeoutMs, 30_000);
  });

  test('checks each value under its full path, never quoting a string', () => {
    assert.throws(
      () => read({ retry: { limit: 11 } }),
      /"retry\.limit" option must be an integer from 0 to 10 \(got 11\)/,
    );
    assert.throws(
      () => read({ keepWarm: 'token-value' }),
      /"keepWarm" option must be true or false \(got a string\)/,
    );
  });

  test('runs cross-field rules after the keys', () => {
    assert.throws(
      () => read({ retry: { backoffMs: 1_000, backoffLimitMs: 10 } }),
      /"retry\.backoffLimitMs" option must be at least "retry\.backoffMs" \(1000\)/,
    );
  });
});

describe('defaultsOf', () => {
  test('lists documented defaults, nests groups, skips functions, freezes', () => {
    const defaults = defaultsOf(SPEC);
    assert.deepEqual(JSON.parse(JSON.stringify(defaults)), {
      timeoutMs: 30_000,
      retry: { limit: 3, backoffMs: 500, backoffLimitMs: 5_000 },
      keepWarm: false,
    });
    assert.ok(Object.isFrozen(defaults) && Object.isFrozen(defaults.retry));
    assert.equal('now' in defaults, false);
  });
});

describe('checkOptionNames', () => {
  test('refuses renamed and unknown keys, in groups too, and leaves values alone', () => {
    const check = (input: unknown) =>
      checkOptionNames(SPEC, input, { where: 'Sample', moved: { timeout: 'timeoutMs' } });
    check({ timeoutMs: 'not checked here', retry: { limit: -1 } });
    assert.throws(() => check({ timeout: 1 }), /"timeout" is now "timeoutMs"/);
    assert.throws(
      () => check({ retry: { limt: 1 } }),
      /"retry\.limt" is not a Sample "retry" option; did you mean "retry\.limit"\?/,
    );
  });
});

describe('optionNames', () => {
  test('lists the keys of the record the compiler checked, frozen', () => {
    const names = optionNames<{ signal?: AbortSignal; timeoutMs?: number }>({
      signal: true,
      timeoutMs: true,
    });
    assert.deepEqual(names, ['signal', 'timeoutMs']);
    assert.ok(Object.isFrozen(names));
  });
});
