/**
 * Imports an RSA private JWK, the form every other key form is funnelled into when its
 * public half can be read. It checks what WebCrypto does not: Node imports a JWK whose
 * numbers do not belong together and then signs garbage that LINE refuses with a bare
 * `invalid_client`, so the members are checked against each other (consistency.ts)
 * before the one import (WebCrypto, or `node:crypto` on Node: `#signing`).
 *
 * @module
 */
import type { JWK } from 'jose';
import { importRs256Key, memberToBigInt } from '#signing';
import { inconsistency, type RsaPrivateMembers } from '../consistency.js';
import { InvalidKeyError } from '../../errors.js';
import { MIN_RSA_MODULUS_BITS } from '../constants.js';
import { refuseKeyType, refusePublicKey, refuseSmallRsa } from './refusals.js';
import type { SigningKey } from '../signing.js';

/** The public half of an RSA key: what the Console needs besides `alg` and `use`. */
export interface RsaPublicParts {
  readonly n: string;
  readonly e: string;
}

/** An imported key, ready to sign: what an AssertionKey handle stands for. */
export interface KeyState {
  /** A CryptoKey, or a KeyObject under the `node` condition (see signing.ts). */
  readonly signingKey: SigningKey;
  readonly modulusBits: number;
  /** Undefined only for a non-extractable CryptoKey, whose public half cannot be read. */
  readonly publicParts: RsaPublicParts | undefined;
  readonly jwkKid: string | undefined;
}

const MEMBERS = ['n', 'e', 'd', 'p', 'q', 'dp', 'dq', 'qi'] as const;
const CRT_MEMBERS = ['p', 'q', 'dp', 'dq', 'qi'] as const;
const BASE64URL = /^[A-Za-z0-9_-]+$/;

/** Shows a short identifier-like JWK value (`alg`, `crv`, `kty`) or nothing at all. */
export function safeLabel(value: unknown): string | undefined {
  return typeof value === 'string' && /^[A-Za-z0-9._-]{1,20}$/.test(value) ? value : undefined;
}

function keyKindOfJwk(jwk: Record<string, unknown>): string {
  const kty = jwk['kty'];
  if (kty === 'EC') return 'EC';
  if (kty === 'OKP') return `OKP (${safeLabel(jwk['crv']) ?? 'Ed25519/X25519'})`;
  if (kty === 'oct') return 'symmetric ("oct")';
  const label = safeLabel(kty);
  return label === undefined ? 'unknown-type' : `"${label}"`;
}

/** What the key was given as, for messages: a PEM key is checked as JWK members too. */
export type KeySource = 'JWK' | 'PEM';

type DeclarationProblem = 'kty' | 'd' | 'alg' | 'use' | 'key_ops' | 'oth' | 'crt';

/**
 * What a JWK's own members declare against it, checked before its numbers: not RSA, no
 * `d`, another `alg`, `use` or `key_ops`, extra primes, missing CRT members. The message
 * is built apart ({@link declarationRefusal}), only when one is needed: a fresh process
 * signing its first assertion compiles just the checks.
 */
function declarationProblem(jwk: Record<string, unknown>): DeclarationProblem | undefined {
  if (jwk['kty'] !== 'RSA') return 'kty';
  if (jwk['d'] === undefined) return 'd';
  if (jwk['alg'] !== undefined && jwk['alg'] !== 'RS256') return 'alg';
  if (jwk['use'] !== undefined && jwk['use'] !== 'sig') return 'use';
  const keyOps = jwk['key_ops'];
  if (keyOps !== undefined && !(Array.isArray(keyOps) && keyOps.includes('sign'))) {
    return 'key_ops';
  }
  if (jwk['oth'] !== undefined) return 'oth';
  for (const member of CRT_MEMBERS) if (jwk[member] === undefined) return 'crt';
  return undefined;
}

function refuseJwk(
  source: KeySource,
  reason: string,
  options?: { cause?: unknown },
): InvalidKeyError {
  return new InvalidKeyError(`privateKey ${source} ${reason}`, options);
}

function declarationRefusal(
  problem: DeclarationProblem,
  jwk: Record<string, unknown>,
  source: KeySource,
): InvalidKeyError {
  switch (problem) {
    case 'kty':
      return refuseKeyType(keyKindOfJwk(jwk));
    case 'd':
      return refusePublicKey('a JWK without "d"');
    case 'alg':
      return refuseJwk(
        source,
        `says "alg": ${JSON.stringify(safeLabel(jwk['alg']) ?? '?')}, but LINE assertions are signed with RS256: use a key made for RS256 (\`line-token keygen\`), or drop "alg" if the key is right`,
      );
    case 'use':
      return refuseJwk(source, 'says "use" is not "sig": it is not a signing key');
    case 'key_ops':
      return refuseJwk(source, 'has "key_ops" without "sign": it is not declared for signing');
    case 'oth':
      return refuseJwk(source, 'is a multi-prime RSA key ("oth"), which WebCrypto cannot import');
    case 'crt':
      return refuseJwk(
        source,
        `lacks ${CRT_MEMBERS.filter((m) => jwk[m] === undefined).join(', ')}: WebCrypto needs the complete private key, so export the whole JWK again`,
      );
  }
}

/**
 * Checks an RSA private JWK and imports it as a non-extractable RS256 signing key.
 *
 * @throws InvalidKeyError naming what is wrong with the JWK.
 */
export async function importRsaPrivateJwk(
  jwk: Record<string, unknown>,
  source: KeySource = 'JWK',
): Promise<KeyState> {
  const problem = declarationProblem(jwk);
  if (problem !== undefined) throw declarationRefusal(problem, jwk, source);
  const clean: JWK = { kty: 'RSA' };
  for (const member of MEMBERS) {
    const value = jwk[member];
    if (typeof value !== 'string' || !BASE64URL.test(value)) {
      throw refuseJwk(source, `member "${member}" is not base64url text: the copy looks damaged`);
    }
    clean[member] = value;
  }
  const kid = jwk['kid'];
  const jwkKid = typeof kid === 'string' && kid !== '' ? kid : undefined;
  const parts: RsaPublicParts = { n: clean.n!, e: clean.e! };
  // Before the import: WebCrypto would accept most of what this refuses.
  const broken = inconsistency(clean as RsaPrivateMembers, memberToBigInt);
  if (broken !== undefined) {
    throw refuseJwk(
      source,
      `is inconsistent: ${broken}, so the copy is damaged or mixes two keys (check that n and e are those of the public key you registered)`,
    );
  }

  let imported: Awaited<ReturnType<typeof importRs256Key>>;
  try {
    imported = await importRs256Key(clean);
  } catch (cause) {
    throw refuseJwk(source, 'could not be imported: its numbers do not form an RSA private key', {
      cause,
    });
  }
  const { signingKey, modulusBits } = imported;
  if (modulusBits < MIN_RSA_MODULUS_BITS) throw refuseSmallRsa(modulusBits);
  return { signingKey, modulusBits, publicParts: parts, jwkKid };
}
