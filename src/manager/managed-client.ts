/**
 * {@link managedClient}: the managed token for SDK clients that take a token at
 * construction, such as `@line/bot-sdk`'s `MessagingApiClient`, whose token is fixed
 * and whose requests go through the global `fetch` (so {@link authorizedFetch} cannot
 * reach them). Nothing here imports the SDK: the caller's factory builds its client.
 *
 * @module
 */
import { custom, fn, readOptions, type OptionsSpec } from '../internal/options-spec.js';
import { invalidOption } from '../internal/validate.js';
import { requireManager } from './internal/require-manager.js';
import type { GetTokenOptions, TokenManager } from './manager.js';

/** Options of {@link managedClient}. */
export interface ManagedClientOptions<C> {
  /** Builds a client bound to one token; called again only when the token changes. */
  create: (accessToken: string) => C;
  /**
   * Whether a failure means the token was refused. Default {@link isUnauthorizedError}:
   * a `status` of 401, as on `@line/bot-sdk`'s `HTTPFetchError`.
   *
   * @defaultValue {@link isUnauthorizedError}
   */
  isUnauthorized?: (error: unknown) => boolean;
}

/** The reader of each option (see internal/options-spec.ts); internal. */
export const MANAGED_CLIENT_SPEC = {
  create: custom((create, path): ((accessToken: string) => unknown) => {
    if (typeof create !== 'function') {
      invalidOption(path, 'a function (accessToken) => a client bound to that token', create);
    }
    return create as (accessToken: string) => unknown;
  }),
  isUnauthorized: fn<(error: unknown) => boolean>(isUnauthorizedError),
} satisfies OptionsSpec<ManagedClientOptions<unknown>>;

/** A client factory bound to a {@link TokenManager}; see {@link managedClient}. */
export interface ManagedClient<C> {
  /**
   * Runs `fn` with a client bound to a valid token. If `fn` fails because the token was
   * refused (401), the token goes back to the manager and `fn` runs once more with a
   * client on the new token; any other failure, or a second 401, is thrown as is.
   */
  call<T>(fn: (client: C) => Promise<T>, options?: GetTokenOptions): Promise<T>;
}

/** The default 401 test: an error with `status` 401 (`@line/bot-sdk`'s `HTTPFetchError`). */
export function isUnauthorizedError(error: unknown): boolean {
  return (
    typeof error === 'object' && error !== null && (error as { status?: unknown }).status === 401
  );
}

/**
 * Binds an SDK client to the managed token: one client per token, rebuilt when the token
 * changes, and on a 401 one `invalidate()` and one retry. A 401 means the request was
 * refused before anything happened, so running `fn` again sends nothing twice.
 *
 * @example
 * ```ts
 * // messagingApi is @line/bot-sdk's namespace export.
 * const line = managedClient(manager, {
 *   create: (channelAccessToken) => new messagingApi.MessagingApiClient({ channelAccessToken }),
 * });
 * await line.call((client) => client.pushMessage({ to: userId, messages: [{ type: 'text', text: 'Hi' }] }));
 * ```
 *
 * @throws {@link InvalidArgumentError} when `manager` is not a TokenManager or `create`
 *   (or `isUnauthorized`) is not a function.
 */
export function managedClient<C>(
  manager: TokenManager,
  options: ManagedClientOptions<C>,
): ManagedClient<C> {
  requireManager(manager, 'managedClient');
  const o = readOptions(MANAGED_CLIENT_SPEC, options, { where: 'managedClient()' });
  const create = o.create as (accessToken: string) => C;
  const isUnauthorized = o.isUnauthorized;
  // Only the latest pair is kept: an old token's client is never needed again.
  let current: { token: string; client: C } | undefined;
  const clientFor = (token: string): C => {
    if (current?.token !== token) current = { token, client: create(token) };
    return current.client;
  };

  return {
    async call(fn, callOptions) {
      const token = await manager.getToken(callOptions);
      try {
        return await fn(clientFor(token));
      } catch (err) {
        if (!isUnauthorized(err)) throw err;
        await manager.invalidate(token);
        const next = await manager.getToken(callOptions);
        // No newer token: running again would only be refused again.
        if (next === token) throw err;
        return fn(clientFor(next));
      }
    },
  };
}
