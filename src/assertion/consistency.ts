/**
 * Checks that the numbers of an RSA private JWK belong to one key, by arithmetic on the
 * members themselves. WebCrypto does not: Node imports a JWK whose `n` comes from another
 * key (or whose `e` is wrong) and then signs garbage that LINE refuses with a bare
 * `invalid_client`; it also imports a damaged `dp`, `dq` or `qi`, which only works because
 * OpenSSL quietly falls back to `d`. This check replaces the former self-test (a second
 * import for the public half, a probe signature and a verify: three WebCrypto round trips
 * on every import) and catches more, in microseconds, with no key material leaving it.
 *
 * @module
 */
/** The members of a complete RSA private JWK, base64url, already checked to be text. */
export interface RsaPrivateMembers {
  readonly n: string;
  readonly e: string;
  readonly d: string;
  readonly p: string;
  readonly q: string;
  readonly dp: string;
  readonly dq: string;
  readonly qi: string;
}

// Two hex digits per byte value: a fresh process checks one key, with the code still cold,
// and formatting each byte anew was most of the check's time.
const HEX_BYTE = Array.from({ length: 256 }, (_, b) => b.toString(16).padStart(2, '0'));
// The value of each base64url character (the members passed the base64url check before).
const SEXTET = new Uint8Array(128);
for (const [i, c] of [
  ...'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_',
].entries()) {
  SEXTET[c.charCodeAt(0)] = i;
}

/**
 * A base64url member as a number, read straight from its characters: decoding to bytes
 * first went through `atob`, which Node 20 runs character by character in JavaScript and
 * which was most of a fresh process's first key import. The portable decoder; on Node the
 * signing back end decodes natively (`memberToBigInt` of `#signing`).
 */
export function base64urlToBigInt(member: string): bigint {
  let hex = '0x0';
  let acc = 0;
  let bits = 0;
  for (let i = 0; i < member.length; i++) {
    acc = ((acc << 6) | SEXTET[member.charCodeAt(i) & 127]!) & 0x3fff;
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      hex += HEX_BYTE[(acc >> bits) & 0xff]!;
    }
  }
  return BigInt(hex);
}

/**
 * The first relation the members break, or `undefined` when they form one RSA key:
 * n = p·q, dp = d mod (p−1), dq = d mod (q−1), e·d ≡ 1 mod (p−1) and mod (q−1), and
 * qi·q ≡ 1 mod p (RFC 8017 §3.2). The answer names relations, never values.
 *
 * @param toBigInt Decodes one member; the signing back end's own (native on Node).
 */
export function inconsistency(
  members: RsaPrivateMembers,
  toBigInt: (member: string) => bigint = base64urlToBigInt,
): string | undefined {
  const n = toBigInt(members.n);
  const e = toBigInt(members.e);
  const d = toBigInt(members.d);
  const p = toBigInt(members.p);
  const q = toBigInt(members.q);
  if (p < 3n || q < 3n || e < 3n) return 'p, q or e is too small to be part of an RSA key';
  if (p * q !== n) return 'n is not p × q';
  const p1 = p - 1n;
  const q1 = q - 1n;
  if ((e * d) % p1 !== 1n || (e * d) % q1 !== 1n) return 'd is not the inverse of e';
  if (toBigInt(members.dp) !== d % p1 || toBigInt(members.dq) !== d % q1) {
    return 'dp or dq does not match d';
  }
  if ((toBigInt(members.qi) * q) % p !== 1n) return 'qi is not the inverse of q mod p';
  return undefined;
}
