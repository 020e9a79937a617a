// The shared validation toolkit: one message format, safe value descriptions, unknown keys.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { InvalidArgumentError } from '../../src/errors.js';
import {
  describeValue,
  durationOption,
  fractionOption,
  integerOption,
  invalidArgument,
  invalidOption,
  numberOption,
  objectOption,
  oneOfOption,
  optionsObject,
  rejectUnknownOptions,
  textOption,
  wordOption,
} from '../../src/internal/validate.js';

function refusal(fn: () => unknown): InvalidArgumentError {
  try {
    fn();
  } catch (err) {
    assert.ok(err instanceof InvalidArgumentError, String(err));
    return err;
  }
  assert.fail('expected an InvalidArgumentError');
}

describe('validation toolkit', () => {
  test('names the option, the expectation and the value in one format', () => {
    const err = refusal(() => integerOption('retry.limit', 1.5, 3, { min: 0, max: 99 }));
    assert.equal(err.argument, 'retry.limit');
    assert.equal(err.message, '"retry.limit" option must be an integer from 0 to 99 (got 1.5)');
    assert.equal(
      refusal(() => durationOption('timeoutMs', '30000', 1)).message,
      '"timeoutMs" option must be a whole number of milliseconds from 1 to 2147483647 (got the string "30000")',
    );
  });

  test('never quotes a string that could be a secret', () => {
    const secret = 'a3f0c2b1d4e5f60718293a4b5c6d7e8f';
    for (const fn of [
      () => integerOption('lockTtlMs', secret, 1, { min: 1, max: 2 }),
      () => fractionOption('refresh.jitter', secret, 0.1, true),
      () => wordOption('prefix', `${secret} x`, 'p'),
      () => oneOfOption('type', secret, ['a', 'b'], 'a'),
      () => objectOption('retry', secret),
    ]) {
      const err = refusal(fn);
      assert.ok(!err.message.includes(secret.slice(0, 8)), err.message);
      assert.match(err.message, /\(got a string\)$/);
    }
    assert.equal(describeValue(''), 'an empty string');
    assert.equal(describeValue('-12.5'), 'the string "-12.5"');
    assert.equal(describeValue('1'.repeat(40)), 'a string');
    assert.equal(describeValue([1]), 'an array');
    assert.equal(
      describeValue(() => 1),
      'a function',
    );
  });

  test('answers the fallback when the option is absent, the value when it is good', () => {
    assert.equal(integerOption('n', undefined, 7, { min: 0, max: 9 }), 7);
    assert.equal(integerOption('n', 9, 7, { min: 0, max: 9 }), 9);
    assert.equal(fractionOption('f', 0, 0.5, true), 0);
    refusal(() => fractionOption('f', 0, 0.5, false));
    assert.deepEqual(objectOption('retry', undefined), {});
    assert.equal(oneOfOption('type', 'b', ['a', 'b'], 'a'), 'b');
  });

  test('refuses an unknown key, suggesting the closest known one', () => {
    const err = refusal(() =>
      rejectUnknownOptions({ limt: 2 }, ['limit', 'backoffMs'], 'retry', 'retry.'),
    );
    assert.equal(err.argument, 'retry.limt');
    assert.equal(err.message, '"retry.limt" is not a retry option; did you mean "retry.limit"?');
    assert.match(
      refusal(() => rejectUnknownOptions({ zzzzzz: 1 }, ['store'], 'TokenManager')).message,
      /known: store$/,
    );
    rejectUnknownOptions({ store: 1, other: undefined }, ['store'], 'TokenManager');
  });

  test('words the other readers the same way', () => {
    const cases: Array<[() => unknown, string, string]> = [
      [
        () =>
          numberOption('retry.backoffMs', Infinity, 1, {
            min: 0,
            max: Number.MAX_VALUE,
            unit: 'milliseconds',
          }),
        'retry.backoffMs',
        '"retry.backoffMs" option must be a non-negative number of milliseconds (got Infinity)',
      ],
      [
        () => numberOption('cap', Number.NaN, 1, { min: 0, max: Infinity }),
        'cap',
        '"cap" option must be a non-negative number (or Infinity) (got NaN)',
      ],
      [
        () => numberOption('latencyMs', 70_000, 0, { min: 0, max: 60_000, unit: 'milliseconds' }),
        'latencyMs',
        '"latencyMs" option must be a number of milliseconds from 0 to 60000 (got 70000)',
      ],
      [
        () => textOption('userAgent', 'bot\n', 'x'),
        'userAgent',
        '"userAgent" option must be a non-empty string without control characters (got a string)',
      ],
      [
        () => invalidOption('channelId', 'a string of digits', 42, 'pass it as a string'),
        'channelId',
        '"channelId" option must be a string of digits (got 42); pass it as a string',
      ],
      [
        () => invalidArgument('issueV21', 'assertion', 'a string', 42),
        'assertion',
        'issueV21: "assertion" must be a string (got 42)',
      ],
      [
        () => optionsObject('RedisTokenStore', 'redis://x'),
        'options',
        'RedisTokenStore options must be an object (got a string)',
      ],
      [
        () => rejectUnknownOptions({ comandTimeoutMs: 1 }, ['commandTimeoutMs'], 'assertion'),
        'comandTimeoutMs',
        '"comandTimeoutMs" is not an assertion option; did you mean "commandTimeoutMs"?',
      ],
    ];
    for (const [fn, argument, message] of cases) {
      const err = refusal(fn);
      assert.ok(err instanceof TypeError, 'a bad argument is a TypeError too');
      assert.equal(err.argument, argument);
      assert.equal(err.message, message);
    }
    assert.equal(numberOption('cap', Infinity, 1, { min: 0, max: Infinity }), Infinity);
    assert.equal(textOption('userAgent', undefined, 'line-token'), 'line-token');
    assert.deepEqual(optionsObject('X', undefined), {});
  });
});
