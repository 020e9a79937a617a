import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import {
  GLOBAL_OPTIONS,
  parseCommandLine,
  parseFlags,
  parseIntegerFlag,
} from '../../src/cli/args.js';
import { InvalidArgumentError } from '../../src/errors.js';
import type { OptionSpec } from '../../src/cli/types.js';

const OPTIONS: Record<string, OptionSpec> = {
  ...GLOBAL_OPTIONS,
  type: { type: 'string', short: 't', description: 'type' },
  'channel-secret': { type: 'string', description: 'secret' },
  channel: { type: 'string', multiple: true, description: 'channels' },
  force: { type: 'boolean', short: 'f', description: 'force' },
};

function refusal(fn: () => unknown): InvalidArgumentError {
  try {
    fn();
  } catch (err) {
    assert.ok(
      err instanceof InvalidArgumentError,
      `expected InvalidArgumentError, got ${String(err)}`,
    );
    return err;
  }
  assert.fail('expected a refusal');
}

describe('parseCommandLine', () => {
  test('finds the command after global flags and their values', () => {
    assert.deepEqual(
      parseCommandLine(['--base-url', 'http://x', '--json', 'issue', '-t', 'v2.1']),
      {
        command: 'issue',
        rest: ['--base-url', 'http://x', '--json', '-t', 'v2.1'],
      },
    );
  });

  test('skips the value of any known string flag, so a secret before the command is not taken for it', () => {
    const parsed = parseCommandLine(['--channel-secret', 'abc123', 'issue'], OPTIONS);
    assert.equal(parsed.command, 'issue');
    assert.deepEqual(parsed.rest, ['--channel-secret', 'abc123']);
  });

  test('reports no command when only flags are given', () => {
    assert.deepEqual(parseCommandLine(['--help']), { command: undefined, rest: ['--help'] });
  });
});

describe('parseFlags', () => {
  test('reads long, short, inline, repeated and boolean flags and positionals', () => {
    const { flags, positionals } = parseFlags(
      ['TOKEN', '-t', 'v2.1', '--channel=a:b', '--channel', 'c:d', '-f', '--json'],
      OPTIONS,
      1,
      'x',
    );
    assert.equal(flags.string('type'), 'v2.1');
    assert.deepEqual(flags.list('channel'), ['a:b', 'c:d']);
    assert.equal(flags.bool('force'), true);
    assert.equal(flags.bool('json'), true);
    assert.equal(flags.has('channel-secret'), false);
    assert.deepEqual(positionals, ['TOKEN']);
  });

  test('keeps "-" as a positional (read the token from stdin)', () => {
    assert.deepEqual(parseFlags(['-'], OPTIONS, 1, 'verify').positionals, ['-']);
  });

  test('refuses an unknown flag without echoing its inline value', () => {
    const err = refusal(() => parseFlags(['--chanel-secret=s3cr3tvalue'], OPTIONS, 0, 'issue'));
    assert.match(err.message, /unknown option --chanel-secret for "issue"/);
    assert.doesNotMatch(err.message, /s3cr3tvalue/);
  });

  test('refuses a string flag with no value, or whose value is another flag', () => {
    assert.match(
      refusal(() => parseFlags(['--type'], OPTIONS, 0, 'issue')).message,
      /--type needs a value/,
    );
    assert.match(
      refusal(() => parseFlags(['--type', '--json'], OPTIONS, 0, 'issue')).message,
      /--type needs a value/,
    );
  });

  test('refuses a value given to a boolean flag without echoing it', () => {
    const err = refusal(() => parseFlags(['--force=s3cr3t'], OPTIONS, 0, 'keygen'));
    assert.match(err.message, /--force takes no value/);
    assert.doesNotMatch(err.message, /s3cr3t/);
  });

  test('refuses extra positionals', () => {
    assert.match(
      refusal(() => parseFlags(['a', 'b'], OPTIONS, 1, 'verify')).message,
      /"verify" takes one positional argument, got 2/,
    );
    assert.match(
      refusal(() => parseFlags(['a'], OPTIONS, 0, 'kids')).message,
      /takes no positional/,
    );
  });
});

describe('parseIntegerFlag', () => {
  test('accepts whole numbers in range', () => {
    assert.equal(parseIntegerFlag('--token-exp', '86400', 1, 2_592_000), 86_400);
    assert.equal(parseIntegerFlag('--port', ' 0 ', 0, 65_535), 0);
  });

  for (const raw of ['0', '2592001', '1.5', '-3', '1e3', 'abc', '', '12abc']) {
    test(`refuses ${JSON.stringify(raw)}`, () => {
      const err = refusal(() => parseIntegerFlag('--token-exp', raw, 1, 2_592_000));
      assert.match(err.message, /--token-exp must be a whole number from 1 to 2592000/);
      assert.equal(err.argument, '--token-exp');
    });
  }

  test('does not quote a value that is not number-like (it could be a pasted secret)', () => {
    const err = refusal(() => parseIntegerFlag('--token-exp', 'deadbeefcafe0123', 1, 10));
    assert.doesNotMatch(err.message, /deadbeef/);
  });
});
