// One emulator per test file, with a channel whose key is registered, a second channel
// (for the "another channel" cases) and keys of every wrong kind, made by node:crypto so
// the fixtures do not depend on our own key code.
import { generateKeyPairSync } from 'node:crypto';
import { startEmulator, type Emulator } from '../../src/emulator/index.js';
import type { Diagnosis, Finding } from '../../src/diagnose/index.js';

export interface Keys {
  /** The private JWK text of an RSA-2048 key. */
  privateJwkText: string;
  /** Its public JWK, as the Console takes it. */
  publicJwk: { kty: string; n: string; e: string; alg: 'RS256'; use: 'sig' };
}

export function rsaKey(bits = 2048): Keys {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: bits });
  const pub = publicKey.export({ format: 'jwk' });
  return {
    privateJwkText: JSON.stringify({
      ...privateKey.export({ format: 'jwk' }),
      alg: 'RS256',
      use: 'sig',
    }),
    publicJwk: { kty: 'RSA', n: String(pub.n), e: String(pub.e), alg: 'RS256', use: 'sig' },
  };
}

export function ecKeyPem(): string {
  const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  return privateKey.export({ format: 'pem', type: 'pkcs8' }).toString();
}

export function rsa1024Pem(): string {
  const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 1024 });
  return privateKey.export({ format: 'pem', type: 'pkcs8' }).toString();
}

export interface World {
  emu: Emulator;
  /** The user's channel: key registered as `kid`. */
  a: { id: string; secret: string; kid: string; key: Keys };
  /** Another channel, with its own key. */
  b: { id: string; secret: string; kid: string; key: Keys };
  /** A key registered nowhere. */
  stray: Keys;
}

let shared: { a: Keys; b: Keys; stray: Keys } | undefined;
// RSA keys cost more to make than a test takes; one set serves every world of a file.
const sharedKeys = () => (shared ??= { a: rsaKey(), b: rsaKey(), stray: rsaKey() });

/** A fresh emulator (its own clock and tokens) with channels a and b and their keys. */
export async function startWorld(): Promise<World> {
  const emu = await startEmulator({ rateLimit: false });
  const { a: keyA, b: keyB, stray } = sharedKeys();
  const a = await emu.admin.createChannel();
  const b = await emu.admin.createChannel();
  const kidA = (await emu.admin.registerKey(a.id, keyA.publicJwk)).kid;
  const kidB = (await emu.admin.registerKey(b.id, keyB.publicJwk)).kid;
  return {
    emu,
    a: { ...a, kid: kidA, key: keyA },
    b: { ...b, kid: kidB, key: keyB },
    stray,
  };
}

/** The finding of one check. */
export function finding(diagnosis: Diagnosis, id: string): Finding {
  const found = diagnosis.findings.find((f) => f.id === id);
  if (!found)
    throw new Error(`no finding "${id}" in ${diagnosis.findings.map((f) => f.id).join(', ')}`);
  return found;
}

/** The ids of the failed checks, so a test can say "this one, and nothing else". */
export function failed(diagnosis: Diagnosis): string[] {
  return diagnosis.findings.filter((f) => f.status === 'fail').map((f) => f.id);
}

/** Issue counts from the emulator's stats, to prove no check issued a counted token. */
export async function issueCounts(emu: Emulator): Promise<{ v21: number; shortLived: number }> {
  const { requests } = await emu.admin.stats();
  return { v21: requests['issueV21'] ?? 0, shortLived: requests['issueShortLived'] ?? 0 };
}
