/**
 * `--help` text, rendered from the command definitions so it cannot drift from what the
 * parser accepts. It shows flag names and variable names, never a value from the
 * environment.
 *
 * @module
 */
import { GLOBAL_OPTIONS } from './args.js';
import type { Command, OptionSpec } from './types.js';

/** The global flags that mean something to a command that never calls LINE. */
const LOCAL_GLOBAL_OPTIONS: Record<string, OptionSpec> = Object.fromEntries(
  Object.entries(GLOBAL_OPTIONS).filter(([name]) => name !== 'base-url' && name !== 'timeout'),
);

function optionLines(options: Record<string, OptionSpec>): string[] {
  const rows = Object.entries(options).map(([name, spec]) => {
    const short = spec.short ? `-${spec.short}, ` : '    ';
    const value = spec.type === 'string' ? ` ${spec.valueName ?? 'VALUE'}` : '';
    const repeat = spec.multiple ? '...' : '';
    return [`${short}--${name}${value}${repeat}`, spec.description] as const;
  });
  const width = Math.max(...rows.map(([left]) => left.length));
  return rows.map(([left, text]) => `  ${left.padEnd(width)}  ${text}`);
}

/** The global `line-token --help`. */
export function globalHelp(
  commands: readonly Pick<Command, 'name' | 'summary'>[],
  version: string,
): string {
  const width = Math.max(...commands.map((c) => c.name.length));
  return [
    `line-token ${version}: LINE Messaging API channel access tokens from the shell`,
    '',
    'Usage: line-token <command> [options]',
    '',
    'Commands:',
    ...commands.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`),
    '',
    'Global options:',
    ...optionLines(GLOBAL_OPTIONS),
    '',
    'Credentials come from flags or, when a flag is absent, from LINE_CHANNEL_ID,',
    'LINE_CHANNEL_SECRET, LINE_ASSERTION_KID and LINE_ASSERTION_PRIVATE_KEY. The private key',
    'variable holds a file path, or the JWK or PEM text itself, also in one pair of quotes',
    '(as a docker env_file leaves it) or base64-encoded (as many CI systems store secrets).',
    'LINE_API_BASE_URL and LINE_API_TIMEOUT stand for --base-url and --timeout.',
    '',
    'While a request takes more than a second, a terminal shows what it waits for and each',
    'retry (--verbose shows it anywhere). LINE_TOKEN_DEBUG=1 adds the error chain, redacted.',
    '',
    'Exit codes: 0 ok, 1 verify found the token invalid or a doctor check failed, 2 usage or',
    'configuration error, 3 LINE API or network failure.',
    '',
    'Run "line-token <command> --help" for a command\'s options.',
  ].join('\n');
}

/** `line-token <command> --help`. */
export function commandHelp(command: Command): string {
  const lines = [
    `line-token ${command.name}: ${command.summary}`,
    '',
    'Usage:',
    ...command.usage.map((u) => `  line-token ${u}`),
  ];
  if (command.positional) {
    lines.push('', 'Arguments:', `  ${command.positional.name}  ${command.positional.description}`);
  }
  if (Object.keys(command.options).length > 0) {
    lines.push('', 'Options:', ...optionLines(command.options));
  }
  const globals = command.offline === true ? LOCAL_GLOBAL_OPTIONS : GLOBAL_OPTIONS;
  lines.push('', 'Global options:', ...optionLines(globals));
  if (command.env && Object.keys(command.env).length > 0) {
    const width = Math.max(...Object.keys(command.env).map((k) => k.length));
    lines.push(
      '',
      'Environment (used when the flag is absent):',
      ...Object.entries(command.env).map(([name, text]) => `  ${name.padEnd(width)}  ${text}`),
    );
  }
  if (command.details && command.details.length > 0) lines.push('', ...command.details);
  lines.push('', 'Examples:', ...command.examples.map((e) => `  ${e}`));
  return lines.join('\n');
}
