/**
 * The errors `getToken()` rejects with, built in one place so every message says what
 * failed and what to do, and none holds a token or secret.
 *
 * @module
 */
import { LineTokenError, TokenUnavailableError, type LineTokenErrorCode } from '../../errors.js';
import { failureHint, isTokenLimitError, isTransient } from './policy.js';

/** What went wrong, in words that are safe to log. */
export function describeError(err: unknown): string {
  // Our own errors are built to be safe to show; anything else is a bug, named but not quoted.
  if (err instanceof LineTokenError) return err.message;
  if (err instanceof Error) return `${err.name} (see the cause)`;
  return 'an unknown failure';
}

/** The code of a failure for `status().lastError`. */
export function errorCode(err: LineTokenError): LineTokenErrorCode {
  return err.code;
}

/** `getToken()` after `close()`. */
export function closedError(): TokenUnavailableError {
  return new TokenUnavailableError('the token manager is closed', {
    permanent: true,
    hint: 'Create a new TokenManager to get tokens again',
  });
}

/** Wraps the failure behind a missing token, keeping it as `cause`. */
export function unavailableError(
  err: unknown,
  context: {
    type: string;
    channelId: string | undefined;
    kid?: string | undefined;
    liveKeyIds: readonly string[] | undefined;
    gaveUpAfter: number | undefined;
  },
): TokenUnavailableError {
  if (err instanceof TokenUnavailableError) return err;
  const subject = `no valid ${context.type} token for channel ${context.channelId ?? '(static)'}`;
  if (err === undefined) {
    return new TokenUnavailableError(subject, { permanent: false, hint: 'Try again later' });
  }
  // A refusal the shared advice knows gets its likely cause and fix (which kid, which
  // channel), not only the generic hint; see line-token doctor for the full checklist.
  let hint = failureHint(err, context.type, { channelId: context.channelId, kid: context.kid });
  if (isTokenLimitError(err) && context.liveKeyIds !== undefined) {
    hint += `. Live key ids: ${context.liveKeyIds.join(', ')}`;
  }
  const gaveUp =
    context.gaveUpAfter === undefined
      ? ''
      : `; gave up after ${context.gaveUpAfter} permanent failures (a new TokenManager, or a restart, tries again)`;
  return new TokenUnavailableError(
    `${subject}: ${describeError(err)}${gaveUp}`,
    { permanent: !isTransient(err), hint },
    { cause: err },
  );
}

/**
 * Every failure the manager reports is a documented {@link LineTokenError}: anything else
 * (a bug, a hook or store that threw something odd) is wrapped, kept as the cause.
 */
export function asLineTokenError(err: unknown): LineTokenError {
  if (err instanceof LineTokenError) return err;
  const name = err instanceof Error ? err.name : typeof err;
  return new TokenUnavailableError(
    `an unexpected ${name} stopped the refresh (see the cause)`,
    {
      permanent: true,
      hint: 'This is a bug or a misbehaving dependency (store, client, fetch); please report it with the cause',
    },
    { cause: err },
  );
}
