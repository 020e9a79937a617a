// The emulator checks its options, fault configurations and admin inputs with the shared
// toolkit, so every part reads alike: one message format, the member's full path, and a misspelt
// member refused with did-you-mean instead of being ignored.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { InvalidArgumentError } from '../../src/errors.js';
import { createEmulatorAdmin, startEmulator, type Emulator } from '../../src/emulator/index.js';

function refusedWith(argument: string, message: string) {
  return (err: unknown): boolean => {
    assert.ok(err instanceof InvalidArgumentError, String(err));
    assert.equal(err.argument, argument);
    assert.equal(err.message, message);
    return true;
  };
}

describe('startEmulator options', () => {
  const rows: Array<[string, unknown, string, string]> = [
    [
      'a misspelt option',
      { rateLimits: false },
      'rateLimits',
      '"rateLimits" is not a startEmulator option; did you mean "rateLimit"?',
    ],
    [
      'a port out of range',
      { port: 70_000 },
      'port',
      '"port" option must be an integer from 0 to 65535 (got 70000)',
    ],
    [
      'a channel without a secret',
      { channels: [{ id: '1' }] },
      'channels[0]',
      '"channels[0]" option must be { id: string, secret: string } (got an object)',
    ],
    [
      'rateLimit as text',
      { rateLimit: 'no' },
      'rateLimit',
      '"rateLimit" option must be true or false (got a string)',
    ],
  ];
  for (const [name, options, argument, message] of rows) {
    test(name, async () => {
      await assert.rejects(startEmulator(options as never), refusedWith(argument, message));
    });
  }
});

describe('fault configuration and admin inputs', () => {
  let emu: Emulator;
  before(async () => {
    emu = await startEmulator({ channels: [{ id: '1234567890', secret: 'shh' }] });
  });
  after(() => emu.close());

  const rows: Array<[string, (admin: Emulator['admin']) => Promise<unknown>, string, string]> = [
    [
      'a misspelt fault member',
      (a) => a.setFaults({ global: { sequence: [{ type: 'status', stauts: 503 }] } } as never),
      'global.sequence[0].stauts',
      '"global.sequence[0].stauts" is not a fault option; did you mean "global.sequence[0].status"?',
    ],
    [
      'a status outside 5xx',
      (a) =>
        a.setFaults({ operations: { verify: { sequence: [{ type: 'status', status: 404 }] } } }),
      'operations.verify.sequence[0].status',
      '"operations.verify.sequence[0].status" option must be an integer from 500 to 599 (got 404)',
    ],
    [
      'an unknown operation',
      (a) => a.setFaults({ operations: { issueV2: {} } } as never),
      'operations.issueV2',
      '"operations.issueV2" is not an operations option; did you mean "operations.issueV21"?',
    ],
    [
      'a latency beyond a minute',
      (a) => a.setFaults({ global: { latencyMs: 61_000 } }),
      'global.latencyMs',
      '"global.latencyMs" option must be a number of milliseconds from 0 to 60000 (got 61000)',
    ],
    [
      'a misspelt createChannel member',
      (a) => a.createChannel({ secrett: 'x' } as never),
      'secrett',
      '"secrett" is not a createChannel option; did you mean "secret"?',
    ],
    [
      'a negative clock advance',
      (a) => a.advanceClock(-1),
      'seconds',
      'advanceClock: "seconds" must be a finite, non-negative number of at most 3155760000 (100 years) (got -1)',
    ],
    [
      'a grace period past the limit',
      (a) => a.issueLongLived('1234567890', { graceSec: 1.5 }),
      'graceSec',
      '"graceSec" option must be an integer from 0 to 86400 (got 1.5)',
    ],
  ];
  for (const [name, run, argument, message] of rows) {
    test(`${name}: in process and over HTTP alike`, async () => {
      await assert.rejects(run(emu.admin), refusedWith(argument, message));
      await assert.rejects(run(createEmulatorAdmin(emu.url)), refusedWith(argument, message));
    });
  }
});
