// Readers learn options from the docs, so every exported option is documented with its default, and
// docs/manager.md's option table is the TokenManager's options. The TypeScript compiler reads the
// entry points of package.json's exports map (src/ for dist/), so a new option without TSDoc or
// without `@defaultValue`, or one the table forgets, fails here rather than in a reader's editor.
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { before, describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { CLIENT_DEFAULTS } from '../../src/client/defaults.js';
import { TOKEN_MANAGER_DEFAULTS } from '../../src/manager/defaults.js';
import { REDIS_TOKEN_STORE_DEFAULTS } from '../../src/redis/index.js';
import { DENO_KV_TOKEN_STORE_DEFAULTS } from '../../src/deno-kv/index.js';
import { DURABLE_OBJECT_TOKEN_STORE_DEFAULTS } from '../../src/cloudflare/index.js';
import { FILE_TOKEN_STORE_DEFAULTS } from '../../src/manager/stores/file-store.js';
import { EMULATOR_DEFAULTS } from '../../src/emulator/index.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));

/** One exported options type: its properties with what their TSDoc says. */
interface OptionsType {
  name: string;
  properties: Array<{ name: string; optional: boolean; doc: string; defaultValue?: string }>;
}

/** The entry points' source files, from package.json's exports (`./dist/x.js` is `src/x.ts`). */
async function entryPoints(): Promise<string[]> {
  const pkg = JSON.parse(await readFile(join(ROOT, 'package.json'), 'utf8')) as {
    exports: Record<string, string | { import?: { default?: string } }>;
  };
  const files: string[] = [];
  for (const target of Object.values(pkg.exports)) {
    const js = typeof target === 'string' ? target : target.import?.default;
    if (js === undefined || !js.startsWith('./dist/')) continue;
    files.push(join(ROOT, js.replace(/^\.\/dist\//, 'src/').replace(/\.js$/, '.ts')));
  }
  return files;
}

/** Every type exported by an entry point whose name ends in `Options`, with its properties. */
async function exportedOptions(): Promise<Map<string, OptionsType>> {
  const files = await entryPoints();
  const program = ts.createProgram(files, {
    target: ts.ScriptTarget.ES2022,
    module: ts.ModuleKind.NodeNext,
    moduleResolution: ts.ModuleResolutionKind.NodeNext,
    strict: true,
    skipLibCheck: true,
    noEmit: true,
  });
  const checker = program.getTypeChecker();
  const found = new Map<string, OptionsType>();
  for (const file of files) {
    const source = program.getSourceFile(file);
    assert.ok(source, `entry point ${file} is in the program`);
    const moduleSymbol = checker.getSymbolAtLocation(source);
    assert.ok(moduleSymbol, `${file} is a module`);
    for (const exported of checker.getExportsOfModule(moduleSymbol)) {
      if (!exported.name.endsWith('Options') || found.has(exported.name)) continue;
      const symbol =
        exported.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(exported) : exported;
      if (!(symbol.flags & (ts.SymbolFlags.Interface | ts.SymbolFlags.TypeAlias))) continue;
      const type = checker.getDeclaredTypeOfSymbol(symbol);
      const properties = checker.getPropertiesOfType(type).flatMap((p) => {
        const declaration = p.declarations?.[0];
        // Properties of the platform's own types (a DOM or Node interface) are not ours.
        if (
          declaration === undefined ||
          declaration.getSourceFile().fileName.includes('node_modules')
        ) {
          return [];
        }
        const tag = p.getJsDocTags(checker).find((t) => t.name === 'defaultValue');
        return [
          {
            name: p.name,
            optional: (p.flags & ts.SymbolFlags.Optional) !== 0,
            doc: ts.displayPartsToString(p.getDocumentationComment(checker)).trim(),
            ...(tag === undefined
              ? {}
              : { defaultValue: ts.displayPartsToString(tag.text).trim() }),
          },
        ];
      });
      found.set(exported.name, { name: exported.name, properties });
    }
  }
  return found;
}

/** The rows of docs/manager.md's option table: option path to its default cell. */
async function optionTable(): Promise<Map<string, string>> {
  const text = await readFile(join(ROOT, 'docs/manager.md'), 'utf8');
  const start = text.indexOf('<!-- options-table');
  assert.ok(start >= 0, 'docs/manager.md marks its option table');
  const rows = new Map<string, string>();
  for (const line of text.slice(start).split('\n').slice(1)) {
    if (line.trim() === '') {
      if (rows.size > 0) break;
      continue;
    }
    const cells = line.split('|').map((c) => c.trim());
    const path = /^`([\w.]+)`$/.exec(cells[1] ?? '')?.[1];
    if (path === undefined) continue; // the header and its rule
    assert.ok(!rows.has(path), `${path} appears once in the table`);
    rows.set(path, cells[2] ?? '');
  }
  return rows;
}

/** `TOKEN_MANAGER_DEFAULTS` as option paths: `revoke.graceMs` to 60000. */
function defaultPaths(): Map<string, unknown> {
  const paths = new Map<string, unknown>();
  for (const [key, value] of Object.entries(TOKEN_MANAGER_DEFAULTS)) {
    if (typeof value === 'object' && value !== null) {
      for (const [inner, v] of Object.entries(value)) paths.set(`${key}.${inner}`, v);
    } else {
      paths.set(key, value);
    }
  }
  return paths;
}

/** A default as the docs write it (`60,000 (1 min)`, `` `true` ``), as the value's text. */
function firstWord(cell: string): string {
  return (cell.split(/\s/)[0] ?? '').replace(/[`,]/g, '');
}

/** A defaults object, the options interface it is shaped like, and its groups' interfaces. */
interface DefaultsRow {
  type: string;
  defaults: object;
  groups?: Record<string, string>;
}

/** Each default of a row as (interface name, property, value), groups by their own interface. */
function defaultEntries(row: DefaultsRow): Array<[string, string, unknown]> {
  return Object.entries(row.defaults).flatMap(([key, value]): Array<[string, string, unknown]> => {
    const group = row.groups?.[key];
    if (group !== undefined && typeof value === 'object' && value !== null) {
      return Object.entries(value).map(([inner, v]): [string, string, unknown] => [
        group,
        inner,
        v,
      ]);
    }
    return [[row.type, key, value]];
  });
}

/**
 * Whether a `@defaultValue` tag states `value`: its first word as a number or boolean
 * (`60000 (1 min)`), or the whole tag as a literal (`` `[429, 503]` ``, `` `'https://x'` ``).
 */
function sameDefault(tag: string, value: unknown): boolean {
  if (typeof value === 'number' || typeof value === 'boolean') {
    return firstWord(tag) === String(value);
  }
  // A code span first (`'127.0.0.1'` (loopback only)): its literal; else the whole tag.
  const literal = (/^`([^`]*)`/.exec(tag)?.[1] ?? tag).trim().replace(/'/g, '"');
  try {
    return JSON.stringify(JSON.parse(literal)) === JSON.stringify(value);
  } catch {
    return false;
  }
}

let options: Map<string, OptionsType>;
before(async () => {
  options = await exportedOptions();
});

// The options the issue names: if one stops being found, the walk is broken, not the docs.
const EXPECTED = [
  'TokenManagerOptions',
  'ManagerRefreshOptions',
  'ManagerRetryOptions',
  'ManagerTokenLimitOptions',
  'ManagerRevokeOptions',
  'ManagerLockOptions',
  'TokenManagerRegistryOptions',
  'ClientOptions',
  'RetryOptions',
  'AuthorizedFetchOptions',
  'ManagedClientOptions',
  'MemoryTokenStoreOptions',
  'FileTokenStoreOptions',
  'RedisTokenStoreOptions',
  'DenoKvTokenStoreOptions',
  'DurableObjectTokenStoreOptions',
  'EmulatorOptions',
  'AssertionOptions',
];

describe('exported options', () => {
  test('the walk finds every options type of the entry points', () => {
    const missing = EXPECTED.filter((name) => !options.has(name));
    assert.deepEqual(missing, [], `found: ${[...options.keys()].join(', ')}`);
  });

  test('every property has TSDoc, and every optional one a @defaultValue', () => {
    const problems: string[] = [];
    for (const type of options.values()) {
      for (const p of type.properties) {
        if (p.doc === '') problems.push(`${type.name}.${p.name}: no TSDoc`);
        if (p.optional && (p.defaultValue === undefined || p.defaultValue === '')) {
          problems.push(`${type.name}.${p.name}: optional without @defaultValue`);
        }
      }
    }
    assert.deepEqual(problems, []);
  });

  // Each defaults object with the interface it is shaped like and, for its nested groups,
  // the interface of each group. Another part adds its own row (a store, the emulator).
  const DEFAULTS: DefaultsRow[] = [
    {
      type: 'TokenManagerOptions',
      defaults: TOKEN_MANAGER_DEFAULTS,
      groups: {
        refresh: 'ManagerRefreshOptions',
        retry: 'ManagerRetryOptions',
        tokenLimit: 'ManagerTokenLimitOptions',
        revoke: 'ManagerRevokeOptions',
        lock: 'ManagerLockOptions',
      },
    },
    { type: 'ClientOptions', defaults: CLIENT_DEFAULTS, groups: { retry: 'RetryOptions' } },
    { type: 'RedisTokenStoreOptions', defaults: REDIS_TOKEN_STORE_DEFAULTS, groups: {} },
    { type: 'DenoKvTokenStoreOptions', defaults: DENO_KV_TOKEN_STORE_DEFAULTS, groups: {} },
    {
      type: 'DurableObjectTokenStoreOptions',
      defaults: DURABLE_OBJECT_TOKEN_STORE_DEFAULTS,
      groups: {},
    },
    { type: 'FileTokenStoreOptions', defaults: FILE_TOKEN_STORE_DEFAULTS, groups: {} },
    { type: 'EmulatorOptions', defaults: EMULATOR_DEFAULTS, groups: {} },
  ];
  // Defaults the TSDoc states in words rather than as a literal, checked by eye.
  const IN_WORDS = new Set(['ClientOptions.userAgent', 'RetryOptions.operations']);

  test('each @defaultValue tag says what the defaults object derived from the spec holds', () => {
    const problems: string[] = [];
    for (const row of DEFAULTS) {
      for (const [typeName, key, value] of defaultEntries(row)) {
        const tag = options.get(typeName)?.properties.find((p) => p.name === key)?.defaultValue;
        const where = `${typeName}.${key}`;
        if (tag === undefined)
          problems.push(`${where}: no @defaultValue (default ${String(value)})`);
        else if (IN_WORDS.has(where)) continue;
        else if (!sameDefault(tag, value))
          problems.push(`${where}: @defaultValue ${tag}, spec ${JSON.stringify(value)}`);
      }
    }
    assert.deepEqual(problems, []);
  });
});

describe("docs/manager.md's option table", () => {
  test('lists exactly the options of TokenManagerOptions, groups by their paths', () => {
    const manager = options.get('TokenManagerOptions')!;
    const groups = new Set(['refresh', 'retry', 'tokenLimit', 'revoke', 'lock']);
    const groupTypes: Record<string, string> = {
      refresh: 'ManagerRefreshOptions',
      retry: 'ManagerRetryOptions',
      tokenLimit: 'ManagerTokenLimitOptions',
      revoke: 'ManagerRevokeOptions',
      lock: 'ManagerLockOptions',
    };
    const expected = manager.properties.flatMap((p) =>
      groups.has(p.name)
        ? options.get(groupTypes[p.name]!)!.properties.map((inner) => `${p.name}.${inner.name}`)
        : [p.name],
    );
    return optionTable().then((rows) => {
      const documented = [...rows.keys()];
      assert.deepEqual(
        documented.filter((path) => !expected.includes(path)),
        [],
        'rows for options that do not exist',
      );
      assert.deepEqual(
        expected.filter((path) => !rows.has(path)),
        [],
        'options missing from the table',
      );
    });
  });

  test('gives each default TOKEN_MANAGER_DEFAULTS holds', async () => {
    const rows = await optionTable();
    for (const [path, value] of defaultPaths()) {
      assert.equal(firstWord(rows.get(path) ?? ''), String(value), `${path}: "${rows.get(path)}"`);
    }
  });
});
