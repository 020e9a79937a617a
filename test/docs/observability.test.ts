// docs/observability.md's metric table names every metric the library exports, and no
// other: a metric added or renamed in code without the docs fails here.
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { test } from 'node:test';
import { METRIC } from '../../src/telemetry/internal/attributes.js';

test("docs/observability.md's metric table matches the metrics exported", async () => {
  const doc = await readFile(new URL('../../docs/observability.md', import.meta.url), 'utf8');
  const rows = doc
    .split('\n')
    .map((line) => /^\| `(line_token\.[a-z0-9_.]+)` \|/.exec(line)?.[1])
    .filter((name) => name !== undefined);
  assert.deepEqual([...rows].sort(), Object.values(METRIC).sort());
});
