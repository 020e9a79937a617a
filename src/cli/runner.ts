/**
 * The one place that prints: it finds the command, parses its flags, runs it, writes the
 * result to stdout (text or `--json`), notes and errors to stderr, and returns the exit
 * code. Commands themselves only return data, and are loaded only when they run.
 *
 * @module
 */
import { CLIENT_DEFAULTS } from '../client/defaults.js';
import { InvalidArgumentError, LineTokenError } from '../errors.js';
import {
  GLOBAL_OPTIONS,
  parseCommandLine,
  parseDurationFlag,
  parseFlags,
  type ParsedCommandLine,
} from './args.js';
import { COMMANDS } from './commands/index.js';
import { LINE_ENV as ENV } from '../env/names.js';
import { EXIT, explainError, exitCodeFor, type ExitCode } from './exit-code.js';
import { commandHelp, globalHelp } from './help.js';
import { debugReport, stderrFilter } from './internal/debug.js';
import { createProgress, type Progress } from './internal/progress.js';
import { closest } from '../internal/suggest.js';
import { packageVersion } from './internal/version.js';
import type { CliIO, Command, CommandContext, CommandOutput, OptionSpec } from './types.js';

/** Every flag of every command, so the command word is found whatever the flag order. */
function allOptions(commands: readonly Command[]): Record<string, OptionSpec> {
  return Object.assign({}, ...commands.map((c) => c.options), GLOBAL_OPTIONS) as Record<
    string,
    OptionSpec
  >;
}

/**
 * Finds the command word. Usually it comes first, and no command needs loading; when
 * flags come before it, every command's flags are needed to tell a flag's value from the
 * command word (`line-token --kid KID issue`).
 */
async function findCommand(args: readonly string[]): Promise<ParsedCommandLine> {
  const first = parseCommandLine(args, GLOBAL_OPTIONS);
  if (first.command === undefined || args[0] === first.command) return first;
  const loaded = await Promise.all(COMMANDS.map((c) => c.load()));
  return parseCommandLine(args, allOptions(loaded));
}

/** Failures a retry could have helped with: the message says how many attempts were made. */
function withAttempts(text: string, error: unknown, progress: Progress | undefined): string {
  const attempts = progress?.attempts ?? 0;
  const code = error instanceof LineTokenError ? error.code : '';
  const retryable =
    code === 'ERR_LINE_NETWORK' ||
    code === 'ERR_LINE_TIMEOUT' ||
    (code === 'ERR_LINE_API' && /HTTP (429|5\d\d)/.test(text));
  if (!retryable || attempts === 0) return text;
  return `${text}; gave up after ${attempts} attempt${attempts === 1 ? '' : 's'}`;
}

/**
 * Runs `line-token` with `args` (without `node` and the script path).
 *
 * @example
 * ```ts
 * process.exitCode = await runCli(process.argv.slice(2), io);
 * ```
 */
export async function runCli(args: readonly string[], io: CliIO): Promise<number> {
  const version = packageVersion();
  // Whatever reaches stderr passes through this: a configured secret never gets out,
  // even if some message were to quote it.
  const errorOut = stderrFilter(args, io.env, (text) => io.stderr(text));
  const json = args.includes('--json');
  let baseUrl: string | undefined;
  let progress: Progress | undefined;

  const fail = (error: unknown, interrupted = false): ExitCode => {
    const report = interrupted
      ? { code: 'ERR_INTERRUPTED', message: 'interrupted', hint: undefined, requestId: undefined }
      : explainError(error, { baseUrl: baseUrl ?? CLIENT_DEFAULTS.baseUrl });
    report.message = withAttempts(report.message, error, progress);
    if (json) {
      // Every member present (null when unknown), so readers can rely on the shape.
      const { code, message, hint, requestId } = report;
      const shape = { code, message, hint: hint ?? null, requestId: requestId ?? null };
      errorOut(`${JSON.stringify({ error: shape })}\n`);
    } else {
      const { message, hint, requestId } = report;
      const text = [message, hint && ` (${hint})`, requestId && ` [request id ${requestId}]`];
      errorOut(`line-token: ${text.filter(Boolean).join('')}\n`);
    }
    if (io.env['LINE_TOKEN_DEBUG'] === '1' && !interrupted) errorOut(`${debugReport(error)}\n`);
    return exitCodeFor({ error, interrupted });
  };

  let found: ParsedCommandLine;
  try {
    found = await findCommand(args);
  } catch (error) {
    return fail(error);
  }
  const { command: name, rest } = found;
  if (name === undefined) {
    try {
      const { flags } = parseFlags(rest, GLOBAL_OPTIONS, 0, '');
      if (flags.bool('version')) {
        io.stdout(`${version}\n`);
        return EXIT.ok;
      }
      if (flags.bool('help')) {
        io.stdout(`${globalHelp(COMMANDS, version)}\n`);
        return EXIT.ok;
      }
    } catch (error) {
      return fail(error);
    }
    errorOut(`${globalHelp(COMMANDS, version)}\n`);
    return EXIT.usage;
  }

  const entry = COMMANDS.find((c) => c.name === name);
  if (entry === undefined) {
    // The word may be a mistyped secret (a value whose flag we did not know): quote it
    // only when it looks like a command name.
    const wordLike = /^[a-z][a-z0-9-]{0,19}$/.test(name);
    const guess = wordLike
      ? closest(
          name,
          COMMANDS.map((c) => c.name),
        )
      : undefined;
    const next =
      guess !== undefined ? `did you mean "${guess}"?` : 'run "line-token --help" for the list';
    return fail(
      new InvalidArgumentError(
        'command',
        `unknown command${wordLike ? ` "${name}"` : ''}; ${next}`,
      ),
    );
  }

  let command: Command;
  let ctx: CommandContext;
  try {
    command = await entry.load();
    const options = { ...command.options, ...GLOBAL_OPTIONS };
    const { flags, positionals } = parseFlags(rest, options, command.positional ? 1 : 0, name);
    if (flags.bool('help')) {
      io.stdout(`${commandHelp(command)}\n`);
      return EXIT.ok;
    }
    if (flags.bool('version')) {
      io.stdout(`${version}\n`);
      return EXIT.ok;
    }
    const now = io.now ?? Date.now;
    baseUrl = checkBaseUrl(flags.string('base-url'), io.env[ENV.baseUrl]);
    const timeoutMs = readTimeout(flags.string('timeout'), io.env[ENV.timeout]);
    const isJson = flags.bool('json');
    progress = createProgress({
      talk: flags.bool('verbose') || (io.stderrIsTTY === true && !isJson),
      log: (line) => errorOut(`${line}\n`),
      timeoutMs,
    });
    ctx = {
      flags,
      positionals,
      env: io.env,
      json: isJson,
      baseUrl,
      version,
      warn: (message) => errorOut(`line-token: warning: ${message}\n`),
      log: (line) => errorOut(`${line}\n`),
      readStdin: () => io.readStdin(),
      signal: io.signal,
      now: () => now(),
      clientOptions: progress.clientOptions,
    };
  } catch (error) {
    return fail(error);
  }

  let output: CommandOutput;
  try {
    output = await command.run(ctx);
  } catch (error) {
    return fail(error, io.signal.aborted);
  }
  print(output, ctx.json, io, errorOut);
  if (output.done) {
    try {
      await output.done;
    } catch (error) {
      return fail(error);
    }
  }
  // `demo` passes on the exit code of the program it ran.
  return output.exitCode ?? exitCodeFor({ output });
}

function print(
  output: CommandOutput,
  json: boolean,
  io: CliIO,
  errorOut: (text: string) => void,
): void {
  if (json && output.raw !== true) {
    io.stdout(`${JSON.stringify(output.data, null, 2)}\n`);
    return;
  }
  if (output.text !== '') io.stdout(output.text.endsWith('\n') ? output.text : `${output.text}\n`);
  if (!json) for (const note of output.notes ?? []) errorOut(`${note}\n`);
}

/** `--timeout` or LINE_API_TIMEOUT in milliseconds; `undefined` keeps the client's default. */
function readTimeout(
  fromFlag: string | undefined,
  fromEnv: string | undefined,
): number | undefined {
  const raw = fromFlag ?? (fromEnv?.trim() === '' ? undefined : fromEnv);
  if (raw === undefined) return undefined;
  const origin = fromFlag !== undefined ? '--timeout' : ENV.timeout;
  return parseDurationFlag(origin, raw, 1, 600) * 1000;
}

function checkBaseUrl(
  fromFlag: string | undefined,
  fromEnv: string | undefined,
): string | undefined {
  const raw = fromFlag ?? (fromEnv?.trim() === '' ? undefined : fromEnv);
  if (raw === undefined) return undefined;
  const origin = fromFlag !== undefined ? '--base-url' : ENV.baseUrl;
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new InvalidArgumentError(
      origin,
      `${origin} must be an http(s) URL such as https://api.line.me`,
    );
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new InvalidArgumentError(
      origin,
      `${origin} must be an http(s) URL such as https://api.line.me`,
    );
  }
  return raw.replace(/\/+$/, '');
}
