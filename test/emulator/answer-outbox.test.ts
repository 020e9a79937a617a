// The emulator's answers leave in batches, once per turn of the event loop (sendAnswer in
// src/emulator/internal/http.ts): queued when given, written in the order given after the
// turn's I/O, skipped for a response already destroyed, and written at once by
// flushAnswers(). Fake responses record what reaches them; bench/emulator.bench.ts measures
// what the batching is for.
import assert from 'node:assert/strict';
import type { ServerResponse } from 'node:http';
import { setImmediate as turn } from 'node:timers/promises';
import { test } from 'node:test';
import { flushAnswers, sendAnswer, type Stamp } from '../../src/emulator/internal/http.js';
import type { Answer } from '../../src/emulator/internal/responses.js';

/** A response that logs each call into `log`, named `name`; `throws` makes writeHead fail. */
function fakeResponse(name: string, log: string[], throws = false) {
  const res = {
    destroyed: false,
    writeHead(status: number, headers: string[]) {
      if (throws) throw new TypeError('invalid header');
      log.push(`${name} ${status} ${headers.join(',')}`);
    },
    end(text?: string) {
      log.push(`${name} end ${text ?? ''}`);
    },
    destroy() {
      res.destroyed = true;
      log.push(`${name} destroyed`);
    },
  };
  return res;
}

const stamp = (id: string): Stamp => ({ requestId: id, date: 'Sun, 06 Dec 2026 00:00:00 GMT' });
const ok = (n: number): Answer => ({ status: 200, json: `{"n":${n}}`, body: { n } });
const send = (res: ReturnType<typeof fakeResponse>, s: Stamp, answer: Answer) =>
  sendAnswer(res as unknown as ServerResponse, s, answer);

test('answers are queued, then written together and in order after the turn', async () => {
  const log: string[] = [];
  const [a, b] = [fakeResponse('a', log), fakeResponse('b', log)];
  const first = stamp('id-a');
  send(a, first, ok(1));
  send(b, stamp('id-b'), { status: 204, body: undefined });
  // The stamp knows its answer at once (the dashboard's request log reads it).
  assert.deepEqual(first.answer, ok(1));
  assert.deepEqual(log, [], 'nothing written yet');
  await turn();
  assert.deepEqual(log, [
    'a 200 date,Sun, 06 Dec 2026 00:00:00 GMT,x-line-request-id,id-a,content-type,application/json,content-length,7',
    'a end {"n":1}',
    'b 204 date,Sun, 06 Dec 2026 00:00:00 GMT,x-line-request-id,id-b,content-length,0',
    'b end ',
  ]);
});

test('a response destroyed while queued gets nothing; one that fails is destroyed alone', async () => {
  const log: string[] = [];
  const gone = fakeResponse('gone', log);
  const failing = fakeResponse('failing', log, true);
  const last = fakeResponse('last', log);
  send(gone, stamp('1'), ok(1));
  send(failing, stamp('2'), ok(2));
  send(last, stamp('3'), ok(3));
  gone.destroyed = true;
  await turn();
  assert.deepEqual(
    log.map((line) => line.split(' ').slice(0, 2).join(' ')),
    ['failing destroyed', 'last 200', 'last end'],
  );
});

test('flushAnswers() writes what is queued at once, and the turn finds nothing left', async () => {
  const log: string[] = [];
  send(fakeResponse('a', log), stamp('1'), ok(1));
  flushAnswers();
  assert.equal(log.length, 2);
  await turn();
  assert.equal(log.length, 2, 'written once');
});
