/**
 * Argument parsing on top of `node:util` `parseArgs`. We run it non-strict and check its
 * tokens ourselves, because its own strict-mode messages quote the raw argument — and a
 * mistyped `--chanel-secret=...` would then print the secret.
 *
 * @module
 */
import { parseArgs } from 'node:util';
import { InvalidArgumentError } from '../errors.js';
import { closest } from '../internal/suggest.js';

/** One flag a command accepts. */
export interface OptionSpec {
  /** `string` flags take a value (`--kid KID` or `--kid=KID`); `boolean` ones do not. */
  type: 'string' | 'boolean';
  /** A one-letter short form, e.g. `t` for `-t`. */
  short?: string;
  /** Whether the flag may repeat (`--channel A:B --channel C:D`). */
  multiple?: boolean;
  /** The value's placeholder in `--help`, e.g. `SECONDS`. */
  valueName?: string;
  /** One line for `--help`. Never shows a secret or an environment value. */
  description: string;
}

/** The flags every command accepts. */
export const GLOBAL_OPTIONS: Record<string, OptionSpec> = {
  'base-url': {
    type: 'string',
    valueName: 'URL',
    description: 'API base URL (env LINE_API_BASE_URL; default https://api.line.me)',
  },
  timeout: {
    type: 'string',
    valueName: 'SECONDS',
    description: 'seconds each request to LINE may take (env LINE_API_TIMEOUT; default 10)',
  },
  verbose: {
    type: 'boolean',
    short: 'v',
    description: 'say on stderr what a slow request is waiting for, even when not a terminal',
  },
  json: {
    type: 'boolean',
    description: 'print the result as JSON on stdout, and an error as one JSON object on stderr',
  },
  help: { type: 'boolean', short: 'h', description: 'show help' },
  version: { type: 'boolean', short: 'V', description: 'show the version' },
};

/** Parsed flag values of one command, with typed getters. */
export class Flags {
  readonly #values: Readonly<Record<string, string | boolean | string[] | undefined>>;

  constructor(values: Record<string, string | boolean | string[] | undefined>) {
    this.#values = values;
  }

  /** A string flag's value, or `undefined` when absent. */
  string(name: string): string | undefined {
    const value = this.#values[name];
    return typeof value === 'string' ? value : undefined;
  }

  /** Whether a boolean flag was given. */
  bool(name: string): boolean {
    return this.#values[name] === true;
  }

  /** Every value of a repeatable flag, in order. */
  list(name: string): string[] {
    const value = this.#values[name];
    return Array.isArray(value) ? [...value] : [];
  }

  /** Whether the flag was given at all. */
  has(name: string): boolean {
    return this.#values[name] !== undefined;
  }
}

/** The result of {@link parseCommandLine}. */
export interface ParsedCommandLine {
  /** The command word, or `undefined` when none was given. */
  command: string | undefined;
  /** The arguments that follow, command word removed. */
  rest: string[];
}

/**
 * Finds the command word: the first argument that is neither a flag nor the value of a
 * flag in `options`, so `line-token --base-url URL issue ...` works as well as
 * `line-token issue ... --base-url URL`.
 */
export function parseCommandLine(
  args: readonly string[],
  options: Record<string, OptionSpec> = GLOBAL_OPTIONS,
): ParsedCommandLine {
  for (let i = 0; i < args.length; i++) {
    const arg = args[i] as string;
    if (arg === '--') break;
    if (arg.startsWith('-') && arg !== '-') {
      if (takesSeparateValue(arg, options)) i++;
      continue;
    }
    return { command: arg, rest: [...args.slice(0, i), ...args.slice(i + 1)] };
  }
  return { command: undefined, rest: [...args] };
}

function takesSeparateValue(arg: string, options: Record<string, OptionSpec>): boolean {
  if (arg.includes('=')) return false;
  const spec = arg.startsWith('--')
    ? options[arg.slice(2)]
    : Object.values(options).find((o) => o.short !== undefined && `-${o.short}` === arg);
  return spec?.type === 'string';
}

/**
 * Parses `args` against `options`. Every complaint names the flag, never its value.
 *
 * @throws {@link InvalidArgumentError} for an unknown flag, a missing value, a value given
 * to a boolean flag, or more positional arguments than `maxPositionals`.
 */
export function parseFlags(
  args: readonly string[],
  options: Record<string, OptionSpec>,
  maxPositionals: number,
  commandName: string,
): { flags: Flags; positionals: string[] } {
  const config: Record<string, { type: 'string' | 'boolean'; short?: string; multiple?: boolean }> =
    {};
  for (const [name, spec] of Object.entries(options)) {
    config[name] = {
      type: spec.type,
      ...(spec.short !== undefined && { short: spec.short }),
      ...(spec.multiple === true && { multiple: true }),
    };
  }
  const { tokens } = parseArgs({
    args: [...args],
    options: config,
    allowPositionals: true,
    strict: false,
    tokens: true,
  });
  const helpHint = `see "line-token ${commandName} --help"`;
  const values: Record<string, string | boolean | string[] | undefined> = {};
  const positionals: string[] = [];
  for (const token of tokens) {
    if (token.kind === 'positional') {
      positionals.push(token.value);
      continue;
    }
    if (token.kind !== 'option') continue;
    const spec = options[token.name];
    // rawName is "--name" or "-x", never the inline value, so it is safe to quote.
    const flag = token.rawName;
    if (spec === undefined) {
      // rawName of a long flag is "--" plus what the user typed before any "=".
      const guess = flag.startsWith('--')
        ? closest(flag.slice(2), Object.keys(options))
        : undefined;
      const mean = guess !== undefined ? `; did you mean --${guess}?` : `; ${helpHint}`;
      throw new InvalidArgumentError(flag, `unknown option ${flag} for "${commandName}"${mean}`);
    }
    if (spec.type === 'boolean') {
      if (token.value !== undefined) {
        throw new InvalidArgumentError(flag, `${flag} takes no value; ${helpHint}`);
      }
      values[token.name] = true;
      continue;
    }
    const value = token.value;
    // "-----BEGIN ..." is a PEM given as the value, never a flag: the command says what
    // is wrong with it (key text where a path belongs) without showing it.
    const isFlag = value?.startsWith('-') === true && value !== '-' && !value.startsWith('-----');
    if (value === undefined || (!token.inlineValue && isFlag)) {
      throw new InvalidArgumentError(
        flag,
        `${flag} needs a value${spec.valueName ? ` (${spec.valueName})` : ''}; ${helpHint}`,
      );
    }
    if (spec.multiple === true) {
      const list = values[token.name];
      values[token.name] = Array.isArray(list) ? [...list, value] : [value];
    } else {
      values[token.name] = value;
    }
  }
  if (positionals.length > maxPositionals) {
    const what =
      maxPositionals === 0 ? 'takes no positional argument' : 'takes one positional argument';
    throw new InvalidArgumentError(
      'positional',
      `"${commandName}" ${what}, got ${positionals.length}; ${helpHint}`,
    );
  }
  return { flags: new Flags(values), positionals };
}

/**
 * Parses a whole number given to `flag` and checks it lies in `min..max`. A number-looking
 * value is quoted to help the user; anything else is not, in case a secret was pasted
 * into the wrong flag.
 *
 * @throws {@link InvalidArgumentError} when it is not an integer in range.
 */
export function parseIntegerFlag(flag: string, raw: string, min: number, max: number): number {
  const trimmed = raw.trim();
  const value = /^\d+$/.test(trimmed) ? Number(trimmed) : Number.NaN;
  if (!Number.isSafeInteger(value) || value < min || value > max) {
    const got = /^[-+]?[\d.,eE_]{1,20}$/.test(trimmed) ? `"${trimmed}"` : 'something else';
    throw new InvalidArgumentError(
      flag,
      `${flag} must be a whole number from ${min} to ${max}, got ${got}`,
    );
  }
  return value;
}

const UNITS: Record<string, number> = { s: 1, m: 60, h: 3_600, d: 86_400 };

/**
 * Parses a duration given to `flag` as whole seconds (`86400`) or a number with one unit
 * (`30m`, `12h`, `1d`, `45s`), and checks it lies in `min..max` seconds. Like
 * {@link parseIntegerFlag}, it quotes only values that look like a duration.
 *
 * @example
 * ```ts
 * parseDurationFlag('--token-exp', '12h', 1, 2_592_000) // 43200
 * ```
 * @throws {@link InvalidArgumentError} when it is not such a duration, or out of range.
 */
export function parseDurationFlag(flag: string, raw: string, min: number, max: number): number {
  const trimmed = raw.trim().toLowerCase();
  const match = /^(\d{1,9})([smhd]?)$/.exec(trimmed);
  const value = match ? Number(match[1]) * (UNITS[match[2] || 's'] ?? 1) : Number.NaN;
  if (!Number.isSafeInteger(value) || value < min || value > max) {
    const got = /^[-+]?[\d.,eE_]{1,12}[a-z]{0,3}$/.test(trimmed)
      ? `"${raw.trim()}"`
      : 'something else';
    throw new InvalidArgumentError(
      flag,
      `${flag} must be a duration from ${min} s to ${max} s: seconds (86400) or a number with s, m, h or d (30m, 12h, 1d), got ${got}`,
    );
  }
  return value;
}
