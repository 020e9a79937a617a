/**
 * {@link verifyWebhookSignature}: checks the `x-line-signature` header of a webhook
 * request with WebCrypto, so it runs wherever the portable core runs.
 *
 * @module
 */

const encoder = new TextEncoder();

function decodeBase64(text: string): Uint8Array | undefined {
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(text) || text.length % 4 !== 0) return undefined;
  const binary = atob(text);
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return bytes;
}

/**
 * Whether `signature` (the `x-line-signature` header: base64 of the HMAC-SHA256 of the
 * raw request body under the channel secret) is right for `body`. Pass the body exactly as
 * received (bytes or the undecoded text), before any JSON parsing: a re-serialized body
 * does not match. The comparison takes the same time wherever the first difference is,
 * so a forger learns nothing from timing. Never throws on a malformed signature: it is
 * simply not valid.
 *
 * @example
 * ```ts
 * const body = await request.text();
 * if (!(await verifyWebhookSignature(body, request.headers.get('x-line-signature') ?? '', channelSecret))) {
 *   return new Response('bad signature', { status: 401 });
 * }
 * ```
 */
export async function verifyWebhookSignature(
  body: string | Uint8Array,
  signature: string,
  channelSecret: string,
): Promise<boolean> {
  if (typeof signature !== 'string' || typeof channelSecret !== 'string' || channelSecret === '') {
    return false;
  }
  const given = decodeBase64(signature.trim());
  if (given === undefined) return false;
  const key = await crypto.subtle.importKey(
    'raw',
    encoder.encode(channelSecret),
    { name: 'HMAC', hash: 'SHA-256' },
    false,
    ['sign'],
  );
  const data = typeof body === 'string' ? encoder.encode(body) : body;
  const expected = new Uint8Array(await crypto.subtle.sign('HMAC', key, data as BufferSource));
  // Constant time over the expected length: every byte is compared, differences OR-ed.
  let diff = given.length ^ expected.length;
  for (let i = 0; i < expected.length; i++) diff |= expected[i]! ^ (given[i] ?? 0);
  return diff === 0;
}
