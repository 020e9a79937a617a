import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import {
  fingerprint,
  formatClock,
  formatSpan,
  revocationReason,
  styleFor,
  TimelinePrinter,
} from '../../src/demo/timeline.js';

describe('formatClock', () => {
  const origin = Date.UTC(2025, 0, 1, 9, 0, 0);
  test('counts days and time from the origin', () => {
    assert.equal(formatClock(origin, origin), 'day 0 00:00:00');
    assert.equal(formatClock(origin + 90_061_000, origin), 'day 1 01:01:01');
    assert.equal(formatClock(origin + 4 * 86_400_000 + 86_399_999, origin), 'day 4 23:59:59');
  });
});

describe('formatSpan', () => {
  test('two largest units, singular for one day', () => {
    assert.equal(formatSpan(86_400_000), '1 day');
    assert.equal(formatSpan(4 * 86_400_000), '4 days');
    assert.equal(formatSpan(2_592_000_000 - 3_600_000 * 5), '29d 19h');
    assert.equal(formatSpan(17_220_000), '4h 47m');
    assert.equal(formatSpan(4 * 3_600_000), '4h');
    assert.equal(formatSpan(60_000), '1 min');
    assert.equal(formatSpan(90_000), '1m 30s');
    assert.equal(formatSpan(30_000), '30 s');
    assert.equal(formatSpan(-30_000), '30 s');
  });
});

describe('fingerprint', () => {
  test('keeps the first characters only', () => {
    assert.equal(fingerprint('VRpk6ZGiabcdefghijklmn'), 'VRpk6ZGi…');
    assert.equal(fingerprint('short'), 'short');
    assert.equal(fingerprint(undefined), '-');
    assert.equal(fingerprint(''), '-');
  });
});

describe('revocationReason', () => {
  test('says why each kind of revocation happened', () => {
    assert.equal(revocationReason('superseded', 60_000), 'after its 1 min grace period');
    assert.equal(
      revocationReason('superseded-at-close', 60_000),
      'at shutdown, before its grace period ended',
    );
    assert.match(revocationReason('token-limit', 60_000), /near the 30-token limit/);
  });
});

describe('styleFor', () => {
  test('plain text off a terminal, or with NO_COLOR', () => {
    assert.equal(styleFor(false, {}).green('x'), 'x');
    assert.equal(styleFor(true, { NO_COLOR: '1' }).green('x'), 'x');
  });
  test('ANSI colour on a terminal', () => {
    assert.equal(styleFor(true, {}).green('x'), '\u001b[32mx\u001b[39m');
    assert.equal(styleFor(true, { NO_COLOR: '' }).bold('x'), '\u001b[1mx\u001b[22m');
  });
});

describe('TimelinePrinter', () => {
  test('aligns the columns whatever the values', () => {
    const lines: string[] = [];
    const origin = 0;
    const printer = new TimelinePrinter({
      write: (l) => lines.push(l),
      style: styleFor(false, {}),
      originMs: origin,
    });
    printer.header();
    printer.row({ at: 0, event: 'issued', token: 1, live: 1, detail: 'first' });
    printer.row({ at: 3_600_000, event: 'refreshed', token: 12, live: 2, detail: 'second' });
    printer.row({
      at: 7_200_000,
      event: 'warning',
      token: undefined,
      live: undefined,
      detail: 'w',
    });
    const details = ['detail', 'first', 'second', 'w'];
    const detailAt = lines.map((l, i) => l.length - (details[i] as string).length);
    assert.ok(lines.every((l, i) => l.endsWith(details[i] as string)));
    assert.deepEqual(new Set(detailAt), new Set([40]), lines.join('\n'));
    assert.match(lines[1] as string, /^day 0 00:00:00 {2}issued {5}#1 {8}1 {2}first$/);
    assert.match(lines[2] as string, /refreshed {2}#12 {7}2 {2}second$/);
  });

  test('colour does not shift the columns', () => {
    const plain: string[] = [];
    const coloured: string[] = [];
    const strip = (s: string): string =>
      s
        .split('\u001b')
        .map((part, i) => (i === 0 ? part : part.replace(/^\[\d+m/, '')))
        .join('');
    for (const [out, tty] of [
      [plain, false],
      [coloured, true],
    ] as const) {
      const p = new TimelinePrinter({
        write: (l) => out.push(l),
        style: styleFor(tty, {}),
        originMs: 0,
      });
      p.row({ at: 0, event: 'revoked', token: 3, live: 1, detail: 'x' });
    }
    assert.notEqual(coloured[0], plain[0]);
    assert.equal(strip(coloured[0] as string), plain[0]);
  });
});
