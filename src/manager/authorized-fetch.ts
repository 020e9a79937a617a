/**
 * {@link authorizedFetch}: a `fetch` that carries the managed token and recovers once from
 * a 401, for code that calls the Messaging API with plain `fetch`.
 *
 * @module
 */
import { fn, readOptions, type OptionsSpec } from '../internal/options-spec.js';
import { requireManager } from './internal/require-manager.js';
import type { TokenManager } from './manager.js';

/** Options of {@link authorizedFetch}. */
export interface AuthorizedFetchOptions {
  /**
   * The `fetch` that sends the requests.
   *
   * @defaultValue the global `fetch`
   */
  fetch?: typeof fetch;
}

/** The reader of each option (see internal/options-spec.ts); internal. */
export const AUTHORIZED_FETCH_SPEC = {
  // Absent means the global fetch, looked up at call time (see below).
  fetch: fn<typeof fetch | undefined>(undefined),
} satisfies OptionsSpec<AuthorizedFetchOptions>;

const noop = (): void => {};

/** Drops an answer unread: cancelling its body frees the connection at once. */
async function discard(response: Response): Promise<void> {
  await response.body?.cancel().catch(noop);
}

/**
 * Whether the body can be sent a second time. Streams (and async iterables) are consumed
 * by the first attempt; a `Request`'s own body is a stream too.
 */
function isReplayable(body: unknown): boolean {
  return (
    body === undefined ||
    body === null ||
    typeof body === 'string' ||
    body instanceof URLSearchParams ||
    body instanceof ArrayBuffer ||
    ArrayBuffer.isView(body) ||
    (typeof Blob !== 'undefined' && body instanceof Blob) ||
    (typeof FormData !== 'undefined' && body instanceof FormData)
  );
}

/**
 * Wraps `fetch` so each request carries `Authorization: Bearer <token>` from `manager`.
 * When the server answers 401, the token is handed back through
 * {@link TokenManager.invalidate} (the manager refreshes once, however many requests
 * report the same token) and the request is sent once more with the new token — only if
 * its body can be sent again (none, a string, `URLSearchParams`, an `ArrayBuffer` or
 * typed array, a `Blob` or `FormData`; not a stream, nor a `Request` object's own body).
 * A second 401 is returned as is: it never loops. A 401 to a request that cannot be sent
 * again is returned as is too, after the token was handed back.
 *
 * The caller's headers (a `Headers`, an array of pairs or a record) are kept, except an
 * `Authorization` header, which is replaced. The request's `signal` also stops the wait
 * for a token. When no token can be had, the returned promise rejects with the manager's
 * `TokenUnavailableError`.
 *
 * @example
 * ```ts
 * const lineFetch = authorizedFetch(manager);
 * const res = await lineFetch('https://api.line.me/v2/bot/message/push', {
 *   method: 'POST',
 *   headers: { 'content-type': 'application/json' },
 *   body: JSON.stringify({ to: userId, messages: [{ type: 'text', text: 'Hello' }] }),
 * });
 * ```
 *
 * @throws {@link InvalidArgumentError} when `manager` is not a TokenManager or `fetch` is
 *   not a function.
 */
export function authorizedFetch(
  manager: TokenManager,
  options: AuthorizedFetchOptions = {},
): typeof fetch {
  requireManager(manager, 'authorizedFetch');
  const explicitFetch = readOptions(AUTHORIZED_FETCH_SPEC, options, {
    where: 'authorizedFetch()',
  }).fetch;

  return async (input, init) => {
    // Read at call time, not wrap time, so a fetch patched later (tests, instrumentation)
    // is the one used, as with a direct call.
    const send = explicitFetch ?? fetch;
    const request = typeof Request !== 'undefined' && input instanceof Request ? input : undefined;
    const signal = init?.signal ?? request?.signal ?? undefined;
    const body = init !== undefined && 'body' in init ? init.body : request?.body;
    // As fetch itself does, headers given in `init` replace those of a Request input.
    const callerHeaders = init?.headers ?? request?.headers;

    const attempt = (token: string): Promise<Response> => {
      const headers = new Headers(callerHeaders);
      headers.set('authorization', `Bearer ${token}`);
      return send(input, { ...init, headers });
    };

    const token = await manager.getToken(signal === undefined ? undefined : { signal });
    const first = await attempt(token);
    if (first.status !== 401) return first;
    if (!isReplayable(body)) {
      // Not sent again, but the refused token still goes back, so the caller's own retry
      // gets a new one.
      await manager.invalidate(token);
      return first;
    }

    let next: string;
    try {
      await manager.invalidate(token);
      next = await manager.getToken(signal === undefined ? undefined : { signal });
    } catch (err) {
      await discard(first);
      throw err;
    }
    // The same token again means nothing better exists; resending it would only repeat the 401.
    if (next === token) return first;
    await discard(first);
    return attempt(next);
  };
}
