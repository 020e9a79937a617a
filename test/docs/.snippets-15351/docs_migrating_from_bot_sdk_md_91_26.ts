// After: any key form you hold (the Console's JWK, the browser snippet's pair, PKCS#8 or
// PKCS#1 PEM, a CryptoKey, a KeyObject); the claims are LINE's.
import { signAssertion } from 'line-token';
const after = await signAssertion({ channelId, kid, privateKey, tokenExpSec: 86_400 });
export {};
