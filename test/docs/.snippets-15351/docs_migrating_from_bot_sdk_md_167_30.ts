// After
import { LineApiError, LineTokenError } from 'line-token';
declare const call: () => Promise<unknown>;
try {
  await call();
} catch (err) {
  if (err instanceof LineApiError) console.error(err.status, err.error, err.lineMessage, err.requestId);
  else if (err instanceof LineTokenError) console.error(err.code); // ERR_LINE_TIMEOUT, ...
}
export {};
