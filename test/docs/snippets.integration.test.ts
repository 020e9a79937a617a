// Every ```ts block of README.md and docs/*.md compiles against the package, so a reader's first
// copy-paste works: each block becomes one module, `line-token` and its subpaths resolve to src/,
// and the names a reader supplies (channelId, privateKey...) are declared in PRELUDE. A block opts
// out only with a line `// snippet-check: skip: <reason>`.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdir, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { defer } from '../fixtures.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const SKIP = /^\s*\/\/ snippet-check: skip: (.*)$/m;

// The placeholders snippets use without defining them: values a reader has at hand (their
// channel ID, key, secret). Written as a script-style declaration file (no top-level
// import) beside the snippets only, so every name is global there and a snippet's own
// `const client = ...` shadows it; kept out of the project's type-check, where such globals
// would hide mistakes.
const PRELUDE = `${[
  'declare const channelId: string;',
  'declare const channelSecret: string;',
  'declare const secret2: string;',
  'declare const kid: string;',
  'declare const privateKey: string;',
  "declare const publicJwk: import('line-token').ConsolePublicJwk;",
  'declare const userId: string;',
  'declare const token: string;',
  'declare const accessToken: string;',
  'declare const assertion: string;',
  "declare const client: import('line-token').ChannelAccessTokenClient;",
  "declare const manager: import('line-token').TokenManager;",
  "declare const strategy: import('line-token').TokenStrategy;",
  "declare const emu: import('line-token/emulator').Emulator;",
  "declare const onRefreshError: (event: import('line-token').RefreshErrorEvent) => void;",
].join('\n')}\n`;

/** One fenced block: where it starts (the line after the fence, 1-based) and its code. */
export interface Snippet {
  doc: string;
  line: number;
  code: string;
}

/** The ```ts (or ```typescript) blocks of a Markdown text. */
export function extractSnippets(doc: string, text: string): Snippet[] {
  const snippets: Snippet[] = [];
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    if (!/^```(ts|typescript)\s*$/.test(lines[i] ?? '')) continue;
    const start = i + 1;
    let end = start;
    while (end < lines.length && !/^```\s*$/.test(lines[end] ?? '')) end++;
    snippets.push({ doc, line: start + 1, code: lines.slice(start, end).join('\n') });
    i = end;
  }
  return snippets;
}

async function docs(): Promise<string[]> {
  const inDocs = (await readdir(join(ROOT, 'docs'))).filter((f) => f.endsWith('.md'));
  return ['README.md', ...inDocs.sort().map((f) => `docs/${f}`)];
}

const SUBPATHS: Record<string, string> = {
  'line-token': 'src/index.ts',
  'line-token/emulator': 'src/emulator/index.ts',
  'line-token/redis': 'src/redis/index.ts',
  'line-token/file-store': 'src/manager/stores/file-store.ts',
  'line-token/env': 'src/env/index.ts',
  'line-token/opentelemetry': 'src/telemetry/opentelemetry.ts',
};

test(
  'every ts snippet in README.md and docs/ type-checks against the package',
  { timeout: 300_000 },
  async (t) => {
    const snippets: Snippet[] = [];
    for (const doc of await docs()) {
      snippets.push(...extractSnippets(doc, await readFile(join(ROOT, doc), 'utf8')));
    }
    assert.ok(snippets.length >= 10, `found only ${snippets.length} snippets`);
    const skipped = snippets.filter((s) => SKIP.test(s.code));
    for (const s of skipped) {
      assert.ok(
        (SKIP.exec(s.code)?.[1] ?? '').trim().length >= 10,
        `${s.doc}:${s.line} skips without a reason`,
      );
    }

    // Inside the repo, so `ioredis` and `@line/bot-sdk` resolve from node_modules.
    const dir = join(ROOT, 'test', 'docs', `.snippets-${process.pid}`);
    await mkdir(dir, { recursive: true });
    defer(t, () => rm(dir, { recursive: true, force: true }));
    await writeFile(join(dir, 'placeholders.d.ts'), PRELUDE);
    const files = new Map<string, Snippet>();
    for (const [i, s] of snippets.entries()) {
      if (SKIP.test(s.code)) continue;
      const name = `${s.doc.replace(/\W/g, '_')}_${s.line}_${i}.ts`;
      files.set(name, s);
      // `export {}` makes every block a module, so top-level await works and blocks
      // do not see each other's names.
      await writeFile(join(dir, name), `${s.code}\nexport {};\n`);
    }
    const paths = Object.fromEntries(
      Object.entries(SUBPATHS).map(([name, file]) => [
        name,
        [`./${relative(dir, join(ROOT, file))}`],
      ]),
    );
    await writeFile(
      join(dir, 'tsconfig.json'),
      JSON.stringify({
        extends: relative(dir, join(ROOT, 'tsconfig.json')),
        compilerOptions: {
          noEmit: true,
          rootDir: relative(dir, ROOT),
          // A snippet shows a call; it need not use every name it makes.
          noUnusedLocals: false,
          noUnusedParameters: false,
          paths,
        },
        include: ['*.ts'],
      }),
    );
    const tsc = join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc');
    const output = await new Promise<string>((resolve) => {
      execFile(
        process.execPath,
        [tsc, '-p', join(dir, 'tsconfig.json'), '--pretty', 'false'],
        { maxBuffer: 1 << 24 },
        (_error, stdout) => resolve(stdout),
      );
    });
    // Map "file.ts(3,5): error ..." back to the doc's own line numbers.
    const problems = output
      .split('\n')
      .filter((line) => line.trim() !== '')
      .map((line) => {
        const m = /([^/\\]+\.ts)\((\d+),(\d+)\): (.*)$/.exec(line);
        const s = m ? files.get(m[1] as string) : undefined;
        return s && m ? `${s.doc}:${s.line + Number(m[2]) - 1}:${m[3]}: ${m[4]}` : line;
      });
    assert.deepEqual(problems, [], `snippets that do not compile:\n${problems.join('\n')}`);
  },
);
