// `switch (err.code)` on the errors users catch: each code narrows to its class and its fields,
// and a code the library never uses does not compile. Imported the way users import, through
// the package's own name (its exports map, the built dist/ types).
import {
  LineApiError,
  LineTokenError,
  type AnyLineTokenError,
  type LineTokenErrorCode,
} from 'line-token';
import { assertType, type Equal } from './expect.js';

declare const err: AnyLineTokenError;

switch (err.code) {
  case 'ERR_LINE_API':
    assertType<Equal<typeof err, LineApiError>>();
    // LINE's fields are there once the code says it is LINE's answer.
    void (err.status satisfies number);
    break;
  case 'ERR_LINE_INVALID_ARGUMENT':
    void (err.argument satisfies string);
    break;
  case 'ERR_LINE_TIMEOUT':
  case 'ERR_LINE_NETWORK':
  case 'ERR_LINE_INVALID_RESPONSE':
  case 'ERR_LINE_INVALID_KEY':
  case 'ERR_LINE_TOKEN_UNAVAILABLE':
  case 'ERR_LINE_STORE':
    break;
  // @ts-expect-error: not a code of this library
  case 'ERR_LINE_NOPE':
    break;
  default:
    // Every code is handled above: nothing is left.
    assertType<Equal<typeof err, never>>();
}

// The union of codes is exactly the codes of the union of classes.
assertType<Equal<AnyLineTokenError['code'], LineTokenErrorCode>>();

// The base class is what `instanceof` checks start from.
declare const caught: unknown;
if (caught instanceof LineTokenError) void (caught.code satisfies LineTokenErrorCode);
