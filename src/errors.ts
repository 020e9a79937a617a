/**
 * Every error this library throws is a {@link LineTokenError} with a literal `code`, so
 * `switch (err.code)` narrows to the right subclass. No message, `toJSON()` or
 * `util.inspect` output of these errors ever holds a token, a channel secret or a key:
 * messages are built only from values we know are safe (statuses, LINE's error codes,
 * option names, limits).
 *
 * @module
 */
import {
  brandWithClassNames,
  fieldsOf,
  hasClassBrand,
  lineRequestId,
  textOf,
} from './internal/error-fields.js';
import { describeCauseChain, withoutCredentials } from './internal/safe-text.js';

/** Every error code this library uses. */
export type LineTokenErrorCode =
  | 'ERR_LINE_API'
  | 'ERR_LINE_NETWORK'
  | 'ERR_LINE_TIMEOUT'
  | 'ERR_LINE_INVALID_RESPONSE'
  | 'ERR_LINE_INVALID_ARGUMENT'
  | 'ERR_LINE_INVALID_KEY'
  | 'ERR_LINE_TOKEN_UNAVAILABLE'
  | 'ERR_LINE_STORE';

// Node's util.inspect looks this symbol up; Symbol.for keeps the core free of `node:` imports.
const inspectSymbol = Symbol.for('nodejs.util.inspect.custom');

/**
 * The base class of every error thrown by line-token.
 *
 * @example
 * ```ts
 * try { await client.issueV21({ assertion }) }
 * catch (err) { if (err instanceof LineTokenError) console.error(err.code, err.message) }
 * ```
 */
export abstract class LineTokenError extends Error {
  /** A stable, machine-readable code, e.g. `ERR_LINE_API`. */
  abstract readonly code: LineTokenErrorCode;

  constructor(message: string, options?: { cause?: unknown }) {
    super(message === undefined ? '' : textOf(message), options);
    this.name = new.target.name;
    brandWithClassNames(this, new.target);
  }

  /**
   * `err instanceof LineApiError` holds whether `err` came from the ESM or the CommonJS
   * build of line-token, so checks keep working when both are loaded in one app.
   */
  static override [Symbol.hasInstance](value: unknown): boolean {
    if (Function.prototype[Symbol.hasInstance].call(this, value)) return true;
    return hasClassBrand(value, this.name);
  }

  /** A JSON view with only safe fields: name, code, message and the subclass's own fields. */
  toJSON(): Record<string, unknown> {
    return { name: this.name, code: this.code, message: this.message, ...this.safeFields() };
  }

  /** Subclasses list their non-secret fields here; they feed `toJSON` and `util.inspect`. */
  protected safeFields(): Record<string, unknown> {
    return {};
  }

  /**
   * `util.inspect` shows the same safe view plus the stack and the cause chain, never raw
   * responses. A cause is someone else's text (a Redis client quoting its URL, `fs` quoting
   * a path), so each cause's message goes through the same redaction as a store's message:
   * URL credentials, passwords, PEM blocks, JWK private members and tokens are replaced.
   */
  [inspectSymbol](): string {
    const chain = describeCauseChain(this);
    const fields = JSON.stringify(this.safeFields());
    return `${this.stack ?? `${this.name}: ${this.message}`}\n  ${fields}${chain ? `\n${chain}` : ''}`;
  }
}

/**
 * LINE answered with an HTTP error status. Keeps LINE's OAuth-style `error` /
 * `error_description` or platform-style `message`, and the `x-line-request-id` to quote
 * when asking LINE for support.
 */
export class LineApiError extends LineTokenError {
  readonly code = 'ERR_LINE_API' as const;
  /** The HTTP status LINE answered with. */
  readonly status: number;
  /** OAuth-style error code, e.g. `invalid_client`. */
  readonly error: string | undefined;
  /** OAuth-style description, e.g. `invalid client_secret`. */
  readonly errorDescription: string | undefined;
  /** Platform-style message, e.g. `The maximum number of access tokens has already been issued`. */
  readonly lineMessage: string | undefined;
  /** The `x-line-request-id` response header, when present and of LINE's shape (a UUID). */
  readonly requestId: string | undefined;
  /** The operation that failed, e.g. `issueV21`. */
  readonly operation: string;
  /** Seconds LINE asked us to wait (`Retry-After`), when it said so. */
  readonly retryAfterSec: number | undefined;

  constructor(
    fields: {
      operation: string;
      status: number;
      error?: string | undefined;
      errorDescription?: string | undefined;
      lineMessage?: string | undefined;
      requestId?: string | undefined;
      retryAfterSec?: number | undefined;
    },
    options?: { cause?: unknown },
  ) {
    const f = fieldsOf(fields);
    const detail =
      f.lineMessage ?? [f.error, f.errorDescription].filter((s) => s !== undefined).join(': ');
    super(
      `LINE answered ${textOf(f.operation)} with HTTP ${textOf(f.status)}${detail ? `: ${textOf(detail)}` : ''}`,
      options,
    );
    this.operation = f.operation as string;
    this.status = f.status as number;
    this.error = f.error;
    this.errorDescription = f.errorDescription;
    this.lineMessage = f.lineMessage;
    this.requestId = lineRequestId(f.requestId);
    this.retryAfterSec = f.retryAfterSec;
  }

  protected override safeFields(): Record<string, unknown> {
    return {
      operation: this.operation,
      status: this.status,
      error: this.error,
      errorDescription: this.errorDescription,
      lineMessage: this.lineMessage,
      requestId: this.requestId,
      retryAfterSec: this.retryAfterSec,
    };
  }
}

/** The request never got an HTTP answer: DNS, connection refused or reset, TLS. */
export class LineNetworkError extends LineTokenError {
  readonly code = 'ERR_LINE_NETWORK' as const;
  /** The operation that failed. */
  readonly operation: string;
  constructor(operation: string, options?: { cause?: unknown }) {
    super(`network error during ${textOf(operation)}: could not reach the LINE API`, options);
    this.operation = operation;
  }
  protected override safeFields(): Record<string, unknown> {
    return { operation: this.operation };
  }
}

/** The request took longer than `timeoutMs`. */
export class LineTimeoutError extends LineTokenError {
  readonly code = 'ERR_LINE_TIMEOUT' as const;
  /** The operation that failed. */
  readonly operation: string;
  /** The timeout that was exceeded, in milliseconds. */
  readonly timeoutMs: number;
  constructor(operation: string, timeoutMs: number, options?: { cause?: unknown }) {
    super(`${textOf(operation)} timed out after ${textOf(timeoutMs)} ms`, options);
    this.operation = operation;
    this.timeoutMs = timeoutMs;
  }
  protected override safeFields(): Record<string, unknown> {
    return { operation: this.operation, timeoutMs: this.timeoutMs };
  }
}

/**
 * LINE (or something in between, such as a proxy) answered with something that is not
 * the documented response: an HTML error page, a 200 without `access_token`, a
 * non-integer `expires_in`.
 */
export class LineInvalidResponseError extends LineTokenError {
  readonly code = 'ERR_LINE_INVALID_RESPONSE' as const;
  /** The operation that failed. */
  readonly operation: string;
  /** The HTTP status of the odd response. */
  readonly status: number;
  /** The `x-line-request-id` response header, when present and of LINE's shape (a UUID). */
  readonly requestId: string | undefined;
  constructor(
    fields: { operation: string; status: number; reason: string; requestId?: string | undefined },
    options?: { cause?: unknown },
  ) {
    const f = fieldsOf(fields);
    super(
      `unexpected response to ${textOf(f.operation)} (HTTP ${textOf(f.status)}): ${textOf(f.reason)}`,
      options,
    );
    this.operation = f.operation as string;
    this.status = f.status as number;
    this.requestId = lineRequestId(f.requestId);
  }
  protected override safeFields(): Record<string, unknown> {
    return { operation: this.operation, status: this.status, requestId: this.requestId };
  }
}

/**
 * An argument or option is missing, of the wrong type or out of range. The message names
 * the option and says what it must be.
 *
 * It is also a `TypeError` (`err instanceof TypeError` holds), as bad arguments are in
 * jose and in Node itself, so code that treats every `TypeError` as a programming mistake
 * treats ours the same way.
 */
export class InvalidArgumentError extends LineTokenError {
  // Why re-parent rather than build the base class from a factory over Error/TypeError: a
  // class expression may not carry the `protected safeFields` hook into the .d.ts (TS4094),
  // and a second base class would make InvalidArgumentError a different type from
  // LineTokenError for TypeScript. So the declared types stay as they are, and at run time
  // the prototype chain gets TypeError.prototype under a copy of LineTokenError's methods:
  //   InvalidArgumentError.prototype -> (LineTokenError's methods) -> TypeError.prototype
  // `instanceof LineTokenError` then holds by the class-name brand, as across the ESM and
  // CommonJS builds. A static block keeps this with the class when a bundler tree-shakes.
  static {
    const lineTokenMethods = Object.getOwnPropertyDescriptors(LineTokenError.prototype);
    Object.setPrototypeOf(
      this.prototype,
      Object.create(TypeError.prototype, lineTokenMethods) as object,
    );
  }

  readonly code = 'ERR_LINE_INVALID_ARGUMENT' as const;
  /** The option or argument at fault, e.g. `tokenExpSec`. */
  readonly argument: string;
  constructor(argument: string, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.argument = argument;
  }
  protected override safeFields(): Record<string, unknown> {
    return { argument: this.argument };
  }
}

/** A key could not be used: wrong type, too small, public where private is needed, malformed. */
export class InvalidKeyError extends LineTokenError {
  readonly code = 'ERR_LINE_INVALID_KEY' as const;
}

/**
 * The token manager has no valid token to give and could not get one. `cause` holds the
 * last error; `hint` says what to do about it.
 */
export class TokenUnavailableError extends LineTokenError {
  readonly code = 'ERR_LINE_TOKEN_UNAVAILABLE' as const;
  /** Whether retrying later can help (`false` for bad credentials or the 30-token limit). */
  readonly permanent: boolean;
  /** What to do about it, in one sentence. */
  readonly hint: string | undefined;
  constructor(
    message: string,
    fields: { permanent: boolean; hint?: string | undefined },
    options?: { cause?: unknown },
  ) {
    const f = fieldsOf(fields);
    super(f.hint ? `${textOf(message)}. ${textOf(f.hint)}` : message, options);
    this.permanent = f.permanent === true;
    this.hint = f.hint;
  }
  protected override safeFields(): Record<string, unknown> {
    return { permanent: this.permanent };
  }
}

/** A token store failed: unreachable, corrupt data, wrong encryption key. */
export class TokenStoreError extends LineTokenError {
  readonly code = 'ERR_LINE_STORE' as const;
  /**
   * A store's cause is a database client's own error, whose text may quote its connection
   * URL with the password: the cause chain is kept minus those credentials.
   */
  constructor(message: string, options?: { cause?: unknown }) {
    super(
      message,
      options?.cause === undefined ? options : { cause: withoutCredentials(options.cause) },
    );
  }
}

/** Any error from line-token, as a union so `switch (err.code)` narrows. */
export type AnyLineTokenError =
  | LineApiError
  | LineNetworkError
  | LineTimeoutError
  | LineInvalidResponseError
  | InvalidArgumentError
  | InvalidKeyError
  | TokenUnavailableError
  | TokenStoreError;
