import assert from 'node:assert/strict';
import { test } from 'node:test';
import { MessageLog } from '../../src/emulator/messaging-context.js';
import type { EmulatorMessage } from '../../src/emulator/types.js';

const message = (n: number): EmulatorMessage => ({
  endpoint: 'push',
  tokenFamily: 'short-lived',
  to: `U${'0'.repeat(32)}`,
  messages: [{ type: 'text', text: `message ${n}` }],
  deliveredTo: [],
  requestId: `request ${n}`,
  receivedAt: n,
});

test('a channel keeps its last 1,000 messages, oldest first, however many came', () => {
  const log = new MessageLog();
  for (let n = 1; n <= 2_600; n++) {
    log.add('1234567890', message(n));
    if (n === 999 || n === 1_000 || n === 1_001 || n === 1_250 || n === 1_251 || n === 2_600) {
      const kept = log.list('1234567890').map((m) => m.receivedAt);
      const first = Math.max(1, n - 999);
      assert.deepEqual(
        kept,
        Array.from({ length: n - first + 1 }, (_, i) => first + i),
        `after ${n} messages`,
      );
    }
  }
  assert.deepEqual(log.list('another'), []);
});
