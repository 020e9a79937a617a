/**
 * The one place that prints: it finds the command, parses its flags, runs it, writes the
 * result to stdout (text or `--json`), notes and errors to stderr, and returns the exit
 * code. Commands themselves only return data.
 *
 * @module
 */
import { inspect } from 'node:util';
import { DEFAULT_BASE_URL } from '../client/options.js';
import { InvalidArgumentError } from '../errors.js';
import { GLOBAL_OPTIONS, parseCommandLine, parseFlags } from './args.js';
import { COMMANDS } from './commands/index.js';
import { ENV } from './credentials.js';
import { describeError, EXIT, exitCodeFor, type ExitCode } from './exit-code.js';
import { commandHelp, globalHelp } from './help.js';
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
 * Runs `line-token` with `args` (without `node` and the script path).
 *
 * @example
 * ```ts
 * process.exitCode = await runCli(process.argv.slice(2), io);
 * ```
 */
export async function runCli(args: readonly string[], io: CliIO): Promise<ExitCode> {
  const version = packageVersion();
  let baseUrl: string | undefined;
  const fail = (error: unknown, interrupted = false): ExitCode => {
    const text = interrupted
      ? 'interrupted'
      : describeError(error, { baseUrl: baseUrl ?? DEFAULT_BASE_URL });
    io.stderr(`line-token: ${text}\n`);
    if (io.env['LINE_TOKEN_DEBUG'] === '1' && !interrupted) io.stderr(`${inspect(error)}\n`);
    return exitCodeFor({ error, interrupted });
  };

  const { command: name, rest } = parseCommandLine(args, allOptions(COMMANDS));
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
    io.stderr(`${globalHelp(COMMANDS, version)}\n`);
    return EXIT.usage;
  }

  const command = COMMANDS.find((c) => c.name === name);
  if (command === undefined) {
    // The word may be a mistyped secret (a value whose flag we did not know): quote it
    // only when it looks like a command name.
    const shown = /^[a-z][a-z0-9-]{0,19}$/.test(name) ? ` "${name}"` : '';
    return fail(
      new InvalidArgumentError('command', `unknown command${shown}; run "line-token --help"`),
    );
  }

  let ctx: CommandContext;
  try {
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
    ctx = {
      flags,
      positionals,
      env: io.env,
      json: flags.bool('json'),
      baseUrl,
      version,
      warn: (message) => io.stderr(`line-token: warning: ${message}\n`),
      log: (line) => io.stderr(`${line}\n`),
      readStdin: () => io.readStdin(),
      signal: io.signal,
      now: () => now(),
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
  print(output, ctx.json, io);
  if (output.done) {
    try {
      await output.done;
    } catch (error) {
      return fail(error);
    }
  }
  return exitCodeFor({ output });
}

function print(output: CommandOutput, json: boolean, io: CliIO): void {
  if (json && output.raw !== true) {
    io.stdout(`${JSON.stringify(output.data, null, 2)}\n`);
    return;
  }
  if (output.text !== '') io.stdout(output.text.endsWith('\n') ? output.text : `${output.text}\n`);
  if (!json) for (const note of output.notes ?? []) io.stderr(`${note}\n`);
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
