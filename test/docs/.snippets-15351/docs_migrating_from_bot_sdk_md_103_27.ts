// Before
import { channelAccessToken } from '@line/bot-sdk';
import { SignJWT, importJWK, type JWK } from 'jose';
declare const privateJwk: JWK;

const sdk = new channelAccessToken.ChannelAccessTokenClient({});
let current: { token: string; expiresAt: number } | undefined;

async function getToken(): Promise<string> {
  if (current && current.expiresAt - Date.now() > 60 * 60 * 1000) return current.token;
  const key = await importJWK(privateJwk, 'RS256');
  const jwt = await new SignJWT({ token_exp: 86_400 })
    .setProtectedHeader({ alg: 'RS256', typ: 'JWT', kid })
    .setIssuer(channelId)
    .setSubject(channelId)
    .setAudience('https://api.line.me/')
    .setExpirationTime('30m')
    .sign(key);
  const issued = await sdk.issueChannelTokenByJWT(
    'client_credentials',
    'urn:ietf:params:oauth:client-assertion-type:jwt-bearer',
    jwt,
  );
  // Two concurrent callers both get here and issue two tokens; the old one is never revoked;
  // a timeout after LINE issued loses a token that blocks one of 30 slots for a day.
  current = { token: issued.access_token, expiresAt: Date.now() + issued.expires_in * 1000 };
  return current.token;
}
export {};
