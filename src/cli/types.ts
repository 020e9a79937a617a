/**
 * The shapes shared by the CLI runner and its commands. Commands never print: they get a
 * {@link CommandContext} and return a {@link CommandOutput}; the runner decides how it
 * reaches stdout (text or `--json`) and what the exit code is.
 *
 * @module
 */
import type { ClientOptions } from '../client/options.js';
import type { Flags, OptionSpec } from './args.js';

export type { OptionSpec } from './args.js';

/** The process-level services the runner needs; `main.ts` wires them to the real process. */
export interface CliIO {
  /** Writes to stdout (results only). */
  stdout(text: string): void;
  /** Writes to stderr (notes, warnings, logs, errors). */
  stderr(text: string): void;
  /** The environment credentials come from. */
  env: Readonly<Record<string, string | undefined>>;
  /** Reads all of stdin (for a TOKEN given as `-`). */
  readStdin(): Promise<string>;
  /** Aborted on SIGINT/SIGTERM: long-running commands stop, requests are cancelled. */
  signal: AbortSignal;
  /** Epoch milliseconds. Default `Date.now`. */
  now?: () => number;
  /** Whether stderr is a terminal: progress lines are printed there without `--verbose`. */
  stderrIsTTY?: boolean;
}

/** What a command gets to do its work. */
export interface CommandContext {
  /** The command's flags, checked against its {@link OptionSpec}s. */
  flags: Flags;
  /** Positional arguments after the command name. */
  positionals: readonly string[];
  /** The environment (credentials fall back to it when a flag is absent). */
  env: Readonly<Record<string, string | undefined>>;
  /** Whether `--json` was given. */
  json: boolean;
  /** `--base-url` or `LINE_API_BASE_URL`, already checked; `undefined` means LINE's own. */
  baseUrl: string | undefined;
  /** The package version. */
  version: string;
  /** Prints one warning line on stderr, prefixed `line-token: warning:`. */
  warn(message: string): void;
  /** Prints one log line on stderr, as is. */
  log(line: string): void;
  /** Reads all of stdin. */
  readStdin(): Promise<string>;
  /** Aborted when the user interrupts. */
  signal: AbortSignal;
  /** Epoch milliseconds. */
  now(): number;
  /**
   * What every client the command makes (the manager's too) is given: `--timeout`, and
   * the hooks that print "waiting for LINE" and "retrying" lines.
   */
  clientOptions: Pick<ClientOptions, 'fetch' | 'retry' | 'timeoutMs'>;
}

/** What a command returns; the runner prints it. */
export interface CommandOutput {
  /** The result as `--json` prints it (one JSON document on stdout). */
  data: unknown;
  /** The result as text mode prints it on stdout; empty prints nothing. */
  text: string;
  /** Human notes for stderr in text mode (e.g. an expiry), never a secret. */
  notes?: string[];
  /** `invalid` when the answer itself is "no" (verify of a dead token): exit code 1. */
  outcome?: 'ok' | 'invalid';
  /**
   * Print `text` on stdout even with `--json` (the `emulator` command's line is JSON
   * already, and its readers expect exactly one line).
   */
  raw?: boolean;
  /** A long-running command (the emulator) resolves this when it has shut down. */
  done?: Promise<void>;
  /**
   * The exit code of the program a command ran for the user (`demo` runs `npm start`'s
   * program), passed on as it is; it overrides `outcome`.
   */
  exitCode?: number;
}

/**
 * A row of the command table: what the global `--help` shows, and how to load the
 * command, so `--version` and `--help` load no command module (nor jose, nor the client).
 */
export interface CommandEntry {
  /** The word after `line-token`. */
  name: string;
  /** One line for the global `--help`; must equal the loaded command's `summary`. */
  summary: string;
  /** Loads the command's module. */
  load(): Promise<Command>;
}

/** A subcommand of `line-token`. */
export interface Command {
  /** The word after `line-token`. */
  name: string;
  /** One line for the global `--help`. */
  summary: string;
  /** Usage lines for the command's `--help`, without the leading `line-token `. */
  usage: string[];
  /** The positional argument, when the command takes one. */
  positional?: { name: string; description: string };
  /** The command's own flags (the global ones are added by the runner). */
  options: Record<string, OptionSpec>;
  /** Environment variables the command reads, with what they stand for. */
  env?: Record<string, string>;
  /** Extra help text, one line per entry (kept under ~95 columns). */
  details?: string[];
  /** Example command lines, as a user would type them. */
  examples: string[];
  /**
   * The command never calls LINE, so its `--help` leaves out `--base-url` and `--timeout`
   * (still accepted, and ignored, so a script may pass them to every command).
   *
   * @defaultValue false
   */
  offline?: boolean;
  /** Does the work. Throws our error classes for bad input or failed calls. */
  run(ctx: CommandContext): Promise<CommandOutput>;
}
