// The checks that need no network: the key (form, private, RSA-2048), the kid a JWK file
// carries against the configured one, and an assertion signed and verified here.
import { compactVerify, importJWK } from 'jose';
import {
  createAssertionSigner,
  importPrivateKey,
  publicJwkForConsole,
  type AssertionKey,
  type ConsolePublicJwk,
  type PrivateKeyInput,
} from '../../assertion/index.js';
import { LINE_ASSERTION_AUDIENCE, MAX_ASSERTION_LIFETIME_SEC } from '../../line/facts.js';
import { InvalidArgumentError, InvalidKeyError } from '../../errors.js';
import type { Finding } from '../types.js';

const NEW_KEY_FIX =
  'make an RSA-2048 key with `line-token keygen --out key.json`, register the public JWK it prints in the LINE Developers Console, and use the kid the Console answers';

/** The form a key was given in, named the way users know it; never reads key material out. */
export function keyForm(input: unknown): string {
  let value = input;
  if (typeof value === 'string') {
    const text = value.trim();
    if (text.includes('-----BEGIN RSA PRIVATE KEY')) return 'PKCS#1 PEM';
    if (text.includes('-----BEGIN PRIVATE KEY')) return 'PKCS#8 PEM';
    if (text.includes('-----BEGIN ')) return 'PEM';
    try {
      value = JSON.parse(text);
    } catch {
      return 'text';
    }
  }
  const tag = (value as { [Symbol.toStringTag]?: unknown } | null)?.[Symbol.toStringTag];
  if (tag === 'CryptoKey') return 'CryptoKey';
  if (tag === 'KeyObject') return 'KeyObject';
  if (typeof value === 'object' && value !== null) {
    if ('privateKey' in value || 'publicKey' in value)
      return 'snippet pair {privateKey, publicKey}';
    if ('kty' in value) return 'JWK';
  }
  return 'an imported key';
}

/** A key refusal as detail + fix, by what the (safe) message says. */
function keyRefusal(err: InvalidKeyError): { detail: string; fix: string } {
  const message = err.message;
  if (/is a public key/.test(message)) {
    return {
      detail: 'this is a public key; signing needs the private one',
      fix: 'point the private key setting at the private half (the file `line-token keygen` wrote), not the public JWK you pasted into the Console',
    };
  }
  const small = /is an? (\d+)-bit RSA key/.exec(message);
  if (small) {
    return { detail: `this is a ${small[1]}-bit RSA key; LINE needs 2048 bits`, fix: NEW_KEY_FIX };
  }
  const kind = /is (an? .+?) key, but LINE assertion keys are RSA/.exec(message);
  if (kind) {
    return {
      detail: `this is ${kind[1]} key; LINE assertion keys are RSA-2048 (RS256)`,
      fix: NEW_KEY_FIX,
    };
  }
  // Our key messages are built to be safe and already say what to do.
  return {
    detail: message,
    fix: 'export the private key again, or make a new one: ' + NEW_KEY_FIX,
  };
}

/** The key check: an AssertionKey when it imports, and its finding either way. */
export async function checkKey(
  input: PrivateKeyInput | AssertionKey,
): Promise<{ finding: Finding; key?: AssertionKey; publicJwk?: ConsolePublicJwk }> {
  const form = keyForm(input);
  const title = 'private key';
  try {
    const key = await importPrivateKey(input);
    let publicJwk: ConsolePublicJwk | undefined;
    try {
      publicJwk = await publicJwkForConsole(key);
    } catch {
      publicJwk = undefined; // a non-extractable CryptoKey: signing still works
    }
    return {
      key,
      ...(publicJwk && { publicJwk }),
      finding: {
        id: 'key',
        status: 'pass',
        title,
        detail: `RSA-${key.modulusBits} private key (${form})`,
        data: { form, modulusBits: key.modulusBits },
      },
    };
  } catch (err) {
    if (!(err instanceof InvalidKeyError)) throw err;
    const { detail, fix } = keyRefusal(err);
    return { finding: { id: 'key', status: 'fail', title, detail, fix, data: { form } } };
  }
}

/** The kid a JWK file carries (older Console keys have one) against the configured kid. */
export function checkKeyKid(key: AssertionKey, kid: string): Finding {
  const title = 'kid in the key file';
  if (key.jwkKid === undefined) {
    return {
      id: 'key-kid',
      status: 'pass',
      title,
      detail: 'the key carries no kid; the configured one is used',
    };
  }
  if (key.jwkKid === kid) {
    return {
      id: 'key-kid',
      status: 'pass',
      title,
      detail: `the key's kid matches the configured kid ${kid}`,
    };
  }
  return {
    id: 'key-kid',
    status: 'fail',
    title,
    detail: `the key file says kid ${key.jwkKid}, but the configured kid is ${kid}`,
    fix: `use the kid the Console showed for this key: if the file is right, set the kid to ${key.jwkKid}; if not, this is a different key than the one registered as ${kid}`,
    data: { fileKid: key.jwkKid, configuredKid: kid },
  };
}

/**
 * Signs an assertion as the manager would and checks it here: signature against the
 * key's own public half, claims, lifetime. Answers the assertion for the LINE checks.
 */
export async function checkAssertion(options: {
  channelId: string;
  kid: string;
  key: AssertionKey;
  publicJwk: ConsolePublicJwk | undefined;
  now: () => number;
}): Promise<{ finding: Finding; assertion?: string }> {
  const title = 'assertion (signed here)';
  let assertion: string;
  try {
    const signer = createAssertionSigner({
      channelId: options.channelId,
      kid: options.kid,
      privateKey: options.key,
      now: options.now,
    });
    assertion = await signer.sign({ tokenExpSec: null });
  } catch (err) {
    if (!(err instanceof InvalidArgumentError || err instanceof InvalidKeyError)) throw err;
    return {
      finding: {
        id: 'assertion',
        status: 'fail',
        title,
        detail: err.message,
        fix: "fix the option named above; channel ids are digits, kids are the Console's UUID",
      },
    };
  }
  const problems: string[] = [];
  let claims: Record<string, unknown> = {};
  if (options.publicJwk) {
    try {
      const publicKey = await importJWK({ ...options.publicJwk }, 'RS256');
      const { payload } = await compactVerify(assertion, publicKey, { algorithms: ['RS256'] });
      claims = JSON.parse(new TextDecoder().decode(payload)) as Record<string, unknown>;
    } catch {
      problems.push("the signature does not verify with the key's own public half");
    }
  } else {
    const payload = assertion.split('.')[1] ?? '';
    claims = JSON.parse(atob(payload.replace(/-/g, '+').replace(/_/g, '/'))) as Record<
      string,
      unknown
    >;
  }
  if (claims['iss'] !== options.channelId || claims['sub'] !== options.channelId) {
    problems.push('iss/sub are not the channel id');
  }
  if (claims['aud'] !== LINE_ASSERTION_AUDIENCE)
    problems.push(`aud is not ${LINE_ASSERTION_AUDIENCE}`);
  const nowSec = Math.floor(options.now() / 1000);
  const exp = claims['exp'];
  const ahead = typeof exp === 'number' ? exp - nowSec : Number.NaN;
  if (!(ahead > 0 && ahead <= MAX_ASSERTION_LIFETIME_SEC)) {
    problems.push(`exp is not within ${MAX_ASSERTION_LIFETIME_SEC} s ahead`);
  }
  if (problems.length > 0) {
    return {
      finding: {
        id: 'assertion',
        status: 'fail',
        title,
        detail: problems.join('; '),
        fix: 'this is a bug in line-token or a damaged key: rerun with a key made by `line-token keygen` and report it',
      },
    };
  }
  return {
    assertion,
    finding: {
      id: 'assertion',
      status: 'pass',
      title,
      detail: `RS256, kid ${options.kid}, iss/sub ${options.channelId}, exp in ${ahead} s; verifies with the key's public half`,
    },
  };
}
