// Before
import { HTTPFetchError } from '@line/bot-sdk';
declare const sdkCall: () => Promise<unknown>;
try {
  await sdkCall();
} catch (err) {
  if (err instanceof HTTPFetchError && err.status === 400) {
    const body = JSON.parse(err.body) as { error?: string; message?: string };
    console.error(body.error ?? body.message, err.headers.get('x-line-request-id'));
  }
}
export {};
