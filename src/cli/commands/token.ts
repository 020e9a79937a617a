/**
 * `line-token token`: prints a valid token for shell scripts and cron, through the token
 * manager and a file store, so it issues only when the stored token is missing or inside
 * its refresh window, and concurrent runs share one issue (the store's lock).
 *
 * @module
 */
import { InvalidArgumentError } from '../../errors.js';
import {
  CREDENTIAL_OPTIONS,
  hasAssertionKey,
  loadAssertionMaterial,
  optionalChannelSecret,
  optionalTokenExp,
  requireChannelId,
  requireChannelSecret,
  TOKEN_EXP_OPTION,
} from '../credentials.js';
import { describeError } from '../exit-code.js';
import { parseType } from '../internal/client.js';
import { formatExpiry } from '../internal/format.js';
import { replaceIfAsked, type IssuingStrategy } from '../internal/replace-token.js';
import { checkStoreUsable } from '../internal/store-preflight.js';
import type { Command, CommandContext, CommandOutput } from '../types.js';
import { ISSUE_ENV, ISSUE_TYPE_OPTION } from './issue.js';

/** Where `token` keeps its token unless `--store` says otherwise (git-ignored by default). */
export const DEFAULT_STORE_FILE = '.line-token/tokens.json';

/** `line-token token --type ... [credentials] [--store FILE]`. */
export const tokenCommand: Command = {
  name: 'token',
  summary: 'print a valid token, reusing the one kept in a store file while it is fresh',
  usage: [
    'token --type v2.1        --channel-id ID --kid KID --private-key FILE [--token-exp DURATION] [--store FILE]',
    'token --type stateless   --channel-id ID (--channel-secret SECRET | --kid KID --private-key FILE) [--store FILE]',
    'token --type short-lived --channel-id ID --channel-secret SECRET [--store FILE]',
  ],
  options: {
    ...ISSUE_TYPE_OPTION,
    ...CREDENTIAL_OPTIONS,
    ...TOKEN_EXP_OPTION,
    store: {
      type: 'string',
      valueName: 'FILE',
      description: `the token store file (default ${DEFAULT_STORE_FILE}; written with mode 0600)`,
    },
    verify: {
      type: 'boolean',
      description: 'ask LINE whether the stored token is still valid before printing it',
    },
    refresh: {
      type: 'boolean',
      description: 'issue a new token even if the stored one is fresh, revoking the old one',
    },
  },
  env: ISSUE_ENV,
  details: [
    'Issues only when the stored token is missing or inside its refresh window (the last fifth',
    'of its lifetime, at most a day); otherwise prints the stored one without calling LINE.',
    'Runs sharing a store file take turns through its lock, so they issue once between them.',
    'A store file that cannot be read or written stops the command before anything is issued',
    '(exit 2): a one-shot command that kept nothing would issue a new token on every run.',
    'A superseded token is left to expire rather than revoked: a one-shot command cannot wait',
    'out the grace period other scripts may still be using it in.',
    '--verify asks LINE about a stored token first (one request) and replaces it if LINE no',
    'longer accepts it (revoked elsewhere, say). --refresh replaces it whatever its age and',
    'revokes the old one at once where LINE allows: v2.1 (needs --channel-secret) and',
    'short-lived; a stateless token cannot be revoked and is left to expire.',
    'A file that is not a token store (a .env, a key file) is refused and left as it is.',
  ],
  examples: [
    'line-token token --type v2.1 --token-exp 1d --store /var/lib/bot/token.json',
    'line-token token --type v2.1 --verify   # replaces a token revoked elsewhere',
    'curl -H "Authorization: Bearer $(line-token token -t stateless)" https://api.line.me/v2/bot/info',
  ],
  run,
};

async function strategyOf(
  ctx: CommandContext,
  type: IssuingStrategy['type'],
): Promise<IssuingStrategy> {
  const tokenExpSec = optionalTokenExp(ctx);
  if (tokenExpSec !== undefined && type !== 'v2.1') {
    throw new InvalidArgumentError('--token-exp', '--token-exp applies to --type v2.1 only');
  }
  if (type === 'v2.1') {
    // Imported here so a bad key is a usage error now, not a refresh failure later.
    const { channelId, kid, privateKey } = await loadAssertionMaterial(ctx);
    const channelSecret = optionalChannelSecret(ctx);
    return {
      type,
      channelId,
      kid,
      privateKey,
      ...(tokenExpSec !== undefined && { tokenExpSec }),
      ...(channelSecret !== undefined && { channelSecret }),
    };
  }
  if (type === 'stateless') {
    const byKey =
      !ctx.flags.has('channel-secret') &&
      (ctx.flags.has('kid') || ctx.flags.has('private-key') || hasAssertionKey(ctx));
    if (byKey) {
      const { channelId, kid, privateKey } = await loadAssertionMaterial(ctx);
      return { type, channelId, kid, privateKey };
    }
    return {
      type,
      channelId: requireChannelId(ctx),
      channelSecret: requireChannelSecret(ctx, 'or give --kid and --private-key'),
    };
  }
  return {
    type: 'short-lived',
    channelId: requireChannelId(ctx),
    channelSecret: requireChannelSecret(ctx),
  };
}

async function run(ctx: CommandContext): Promise<CommandOutput> {
  const type = parseType(ctx, ['v2.1', 'stateless', 'short-lived'] as const);
  const storePath = ctx.flags.string('store') ?? DEFAULT_STORE_FILE;
  const strategy = await strategyOf(ctx, type);
  // Loaded on use: only this command needs the manager and the file store.
  const [{ TokenManager }, { FileTokenStore }] = await Promise.all([
    import('../../manager/manager.js'),
    import('../../manager/stores/file-store.js'),
  ]);
  const store = new FileTokenStore({
    path: storePath,
    onWarning: (message) => ctx.warn(message),
    now: ctx.now,
  });
  // Before anything is issued: a store this run cannot use would make it issue a token
  // nobody keeps (see store-preflight.ts).
  await checkStoreUsable(storePath, store);
  let refreshWarned = false;
  const manager = new TokenManager({
    strategy,
    store,
    clientOptions: {
      ...(ctx.baseUrl !== undefined && { baseUrl: ctx.baseUrl }),
      userAgent: `line-token-cli/${ctx.version}`,
      ...ctx.clientOptions,
    },
    now: ctx.now,
    revoke: { superseded: false },
    // Referenced timers: a backoff wait must keep this one-shot process alive; close()
    // below clears whatever is left.
    timers: {
      setTimeout: (callback, delayMs) => setTimeout(callback, delayMs),
      clearTimeout: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
    },
    onWarning: ({ message }) => ctx.warn(message),
    onRefreshError: ({ error, servingCurrentToken }) => {
      // When nothing valid is left the final error says it all; this is the quiet case.
      if (servingCurrentToken && !refreshWarned) {
        refreshWarned = true;
        ctx.warn(`could not refresh, keeping the current token: ${describeError(error)}`);
      }
    },
  });
  try {
    let accessToken = await manager.getToken({ signal: ctx.signal });
    // Inside the refresh window the manager answers the current token and refreshes in
    // the background; a one-shot command waits for that refresh, or it would never happen.
    if (manager.status().refreshing) {
      await manager.idle();
      accessToken = await manager.getToken({ signal: ctx.signal });
    }
    const issuedFirst = manager.status().counts.issued > 0;
    const { replacement, ...fresh } = issuedFirst
      ? { accessToken, replacement: undefined }
      : await replaceIfAsked(ctx, manager, strategy, accessToken);
    accessToken = fresh.accessToken;
    const status = manager.status();
    const issued = status.counts.issued > 0;
    const expiresAt = status.expiresAt;
    const keyId = status.keyId;
    const when =
      expiresAt !== undefined ? `; expires at ${formatExpiry(expiresAt, ctx.now())}` : '';
    return {
      data: {
        type,
        accessToken,
        expiresAt: expiresAt !== undefined ? new Date(expiresAt).toISOString() : undefined,
        issued,
        ...(keyId !== undefined && { keyId }),
        store: storePath,
        ...(replacement !== undefined && {
          replaced: replacement.why,
          revokedOld: replacement.revokedOld,
        }),
      },
      text: accessToken,
      notes: [
        ...(replacement !== undefined ? [`line-token: ${replacement.note}`] : []),
        `line-token: ${issued ? 'issued a new' : 'reused the stored'} ${type} token${when}`,
      ],
    };
  } finally {
    await manager.close();
  }
}
