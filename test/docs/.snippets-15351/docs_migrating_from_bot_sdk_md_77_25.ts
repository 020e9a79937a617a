// Before: jose by hand, with every claim LINE wants spelt out.
import { SignJWT, importJWK, type JWK } from 'jose';
declare const privateJwk: JWK;
const key = await importJWK(privateJwk, 'RS256');
const before = await new SignJWT({ token_exp: 86_400 })
  .setProtectedHeader({ alg: 'RS256', typ: 'JWT', kid })
  .setIssuer(channelId)
  .setSubject(channelId)
  .setAudience('https://api.line.me/') // the trailing slash matters
  .setExpirationTime('30m')
  .sign(key);
export {};
