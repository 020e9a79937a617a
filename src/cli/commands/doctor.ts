/**
 * `line-token doctor`: runs `diagnose()` on the CLI's credentials and prints one line per
 * check, ✓ or ✗ with the reason and the fix. The file checks (readable, private to its
 * owner) and the store count live here, beside the files; everything that talks to LINE
 * is the library's. Exit 0 all pass, 1 one fails, 2 usage, 3 LINE unreachable.
 *
 * @module
 */
import { readFile, stat } from 'node:fs/promises';
import { diagnose, type Finding } from '../../diagnose/index.js';
import { InvalidArgumentError, LineNetworkError } from '../../errors.js';
import { inlineKeyText } from '../../env/key-text.js';
import { parse as parseStoreFile } from '../../manager/stores/file-format.js';
import {
  CREDENTIAL_OPTIONS,
  ENV,
  fromFlagOrEnv,
  optionalChannelSecret,
  readPrivateKeyText,
  requireChannelId,
} from '../credentials.js';
import type { Command, CommandContext, CommandOutput } from '../types.js';

/** `line-token doctor [credentials] [--token TOKEN|-] [--store FILE]`. */
export const doctorCommand: Command = {
  name: 'doctor',
  summary: 'check keys, kid, secret, clock, token slots and a token: why LINE refuses, and the fix',
  usage: [
    'doctor --channel-id ID [--kid KID --private-key FILE] [--channel-secret SECRET] [--token TOKEN|-] [--store FILE]',
  ],
  options: {
    ...CREDENTIAL_OPTIONS,
    token: {
      type: 'string',
      valueName: 'TOKEN',
      description: 'a token to verify: family, channel, remaining life ("-" reads it from stdin)',
    },
    store: {
      type: 'string',
      valueName: 'FILE',
      description: 'a token store file (as `line-token token` writes): count its v2.1 tokens',
    },
  },
  env: {
    [ENV.channelId]: 'channel ID',
    [ENV.channelSecret]: 'channel secret',
    [ENV.kid]: 'assertion signing key id',
    [ENV.privateKey]: 'private key: a file path, or the JWK/PEM text itself',
    [ENV.baseUrl]: 'API base URL',
  },
  details: [
    'Checks only what is configured. Nothing it does issues a v2.1 or short-lived token: the',
    'kid is checked through the key-id listing, the secret through a stateless issue (unlimited,',
    'never stored). It never prints a secret, a private key or a token.',
    'Exit codes: 0 every check passes, 1 one fails, 2 usage, 3 LINE cannot be reached.',
  ],
  examples: [
    'line-token doctor   # credentials from LINE_CHANNEL_ID, LINE_ASSERTION_KID, ...',
    'line-token doctor --channel-id 1234567890 --kid 1dab2f4f-... --private-key key.json',
    'line-token doctor --token - --store .line-token/tokens.json < token.txt',
    'line-token doctor --json',
  ],
  run,
};

/** The key file's checks: readable, and readable by its owner only. */
async function keyFile(
  ctx: CommandContext,
): Promise<{ findings: Finding[]; text: string | undefined }> {
  const fromFlag = ctx.flags.string('private-key');
  const source = fromFlag ?? ctx.env[ENV.privateKey];
  if (source === undefined || source.trim() === '') return { findings: [], text: undefined };
  const title = 'private key file';
  // The credentials code reads the file; its permission warning becomes our finding instead.
  const quiet = { ...ctx, warn: () => undefined };
  let text: string;
  try {
    text = await readPrivateKeyText(quiet, 'to check it');
  } catch (err) {
    if (!(err instanceof InvalidArgumentError)) throw err;
    return {
      findings: [
        {
          id: 'key-file',
          status: 'fail',
          title,
          detail: err.message,
          fix: 'check the path, and that this user may read the file',
        },
      ],
      text: undefined,
    };
  }
  // The same test the key reader used: a quoted, base64 or plain key in the environment is
  // the key itself, never a path to stat (an fs error would quote it).
  const inline = fromFlag === undefined && inlineKeyText(source) !== undefined;
  if (inline) {
    return {
      findings: [
        { id: 'key-file', status: 'pass', title, detail: `the key itself, from ${ENV.privateKey}` },
      ],
      text,
    };
  }
  const findings: Finding[] = [
    { id: 'key-file', status: 'pass', title, detail: `${source} is readable` },
  ];
  if (process.platform !== 'win32') {
    const mode = (await stat(source)).mode & 0o777;
    const shown = mode.toString(8).padStart(4, '0');
    findings.push(
      (mode & 0o077) === 0
        ? {
            id: 'key-permissions',
            status: 'pass',
            title: 'key file permissions',
            detail: `mode ${shown}: only its owner can read it`,
          }
        : {
            id: 'key-permissions',
            status: 'fail',
            title: 'key file permissions',
            detail: `${source} is readable by others (mode ${shown})`,
            fix: `chmod 600 "${source}"`,
            data: { mode: shown },
          },
    );
  }
  return { findings, text };
}

/** The `key_id`s of the v2.1 tokens a store file holds, or a finding saying why none. */
async function storedKeyIds(path: string): Promise<string[] | Finding> {
  const fail = (detail: string): Finding => ({
    id: 'store',
    status: 'fail',
    title: 'token store file',
    detail,
    fix: 'pass the file `line-token token --store` (or a FileTokenStore) writes',
  });
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (err) {
    const code = (err as { code?: unknown }).code;
    return fail(`cannot read ${path}${typeof code === 'string' ? ` (${code})` : ''}`);
  }
  // The file store's own parser, so doctor reads exactly what the store would.
  const parsed = parseStoreFile(text);
  if (parsed.kind === 'foreign') return fail(`${path} is not a token store file`);
  const ids: string[] = [];
  for (const { token } of Object.values(parsed.entries)) {
    if (token.type === 'v2.1' && token.keyId !== undefined) ids.push(token.keyId);
  }
  return ids;
}

const MARK: Record<Finding['status'], string> = { pass: '✓', fail: '✗', warn: '!', skip: '-' };

/** One line per check, then its fix indented below. */
export function formatFindings(findings: readonly Finding[]): string {
  const width = Math.max(...findings.map((f) => f.title.length));
  const lines: string[] = [];
  for (const f of findings) {
    lines.push(`${MARK[f.status]} ${f.title.padEnd(width)}  ${f.detail}`);
    if (f.fix !== undefined && f.status !== 'pass')
      lines.push(`  ${' '.repeat(width)}  fix: ${f.fix}`);
  }
  const failures = findings.filter((f) => f.status === 'fail').length;
  const warnings = findings.filter((f) => f.status === 'warn').length;
  const counted = findings.filter((f) => f.status !== 'skip').length;
  const warned = warnings === 0 ? '' : `, ${warnings} with a warning`;
  lines.push(
    failures === 0
      ? `all ${counted} checks passed${warned}`
      : `${failures} of ${counted} checks failed${warned}`,
  );
  return lines.join('\n');
}

async function run(ctx: CommandContext): Promise<CommandOutput> {
  const channelId = requireChannelId(ctx, 'the channel to diagnose');
  const kid = fromFlagOrEnv(ctx, 'kid', ENV.kid);
  const rawToken = ctx.flags.string('token');
  const token =
    rawToken === '-' ? (await ctx.readStdin()).trim().split(/\r?\n/)[0] : rawToken?.trim();
  if (rawToken !== undefined && (token === undefined || token === '')) {
    throw new InvalidArgumentError(
      '--token',
      `--token is empty${rawToken === '-' ? ' (nothing on stdin)' : ''}`,
    );
  }
  const file = await keyFile(ctx);
  const storePath = ctx.flags.string('store');
  const stored = storePath === undefined ? undefined : await storedKeyIds(storePath);
  const diagnosis = await diagnose({
    channelId,
    kid,
    privateKey: file.text,
    channelSecret: optionalChannelSecret(ctx),
    token,
    storedKeyIds: Array.isArray(stored) ? stored : undefined,
    baseUrl: ctx.baseUrl,
    now: ctx.now,
    signal: ctx.signal,
  });
  const findings = [
    ...file.findings,
    ...(Array.isArray(stored) || stored === undefined ? [] : [stored]),
    ...diagnosis.findings,
  ];
  const ok = findings.every((f) => f.status !== 'fail');
  const output: CommandOutput = {
    data: { ok, unreachable: diagnosis.unreachable, checks: findings },
    text: formatFindings(findings),
    outcome: ok ? 'ok' : 'invalid',
  };
  if (diagnosis.unreachable) {
    // The checklist is printed first; the runner then reports this and exits 3.
    const done = Promise.reject(new LineNetworkError('doctor'));
    done.catch(() => undefined);
    output.done = done;
  }
  return output;
}
