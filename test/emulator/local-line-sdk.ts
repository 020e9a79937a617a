// A bot's world on the emulator for @line/bot-sdk tests: an emulator on a fake clock, a
// channel, a long-lived token and the SDK's MessagingApiClient on it, plus a helper that
// unpacks the SDK's HTTPFetchError into status, headers and parsed body.
import assert from 'node:assert/strict';
import { HTTPFetchError, messagingApi } from '@line/bot-sdk';
import type { Emulator } from '../../src/emulator/index.js';
import type { FakeClock } from './helpers.js';
import { start } from './helpers.js';

export interface SdkWorld {
  emu: Emulator;
  clock: FakeClock;
  channelId: string;
  secret: string;
  token: string;
  line: messagingApi.MessagingApiClient;
}

export async function sdkWorld(): Promise<SdkWorld> {
  const { emu, clock } = await start({});
  const { id, secret } = await emu.admin.createChannel();
  const { accessToken } = await emu.admin.issueLongLived(id);
  const line = new messagingApi.MessagingApiClient({
    channelAccessToken: accessToken,
    baseURL: emu.url,
  });
  return { emu, clock, channelId: id, secret, token: accessToken, line };
}

export interface Refusal {
  status: number;
  headers: Headers;
  body: { message: string; details?: Array<{ message: string; property: string }> } & Record<
    string,
    unknown
  >;
}

/** Awaits a call the SDK must reject with an HTTPFetchError; its status, headers and body. */
export async function refusal(call: Promise<unknown>): Promise<Refusal> {
  try {
    await call;
  } catch (err) {
    assert.ok(err instanceof HTTPFetchError, `an HTTPFetchError, got ${String(err)}`);
    return {
      status: err.status,
      headers: err.headers,
      body: JSON.parse(err.body) as Refusal['body'],
    };
  }
  assert.fail('the call was accepted');
}

/** A user ID in LINE's shape. */
export const USER = 'U0123456789abcdef0123456789abcdef';
