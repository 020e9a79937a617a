/**
 * Stateless tokens minted by the previous emulator version, for the tests that format 1
 * still verifies.
 *
 * @module
 */

// A fixed secret, and stateless tokens minted under it by the previous version (format 1,
// HMAC-signed) for channel 1234567890, expiring in 2100. The second starts with the byte
// that tags format 2, so it can only be read by falling back to format 1.
/** The emulator's token secret (base64, as a state file keeps it) they were minted under. */
export const FIXED_SECRET = 'AQgPFh0kKzI5QEdOVVxjanF4f4aNlJuiqbC3vsXM09o=';
/** Format 1 tokens of channel 1234567890, expiring in 2100. */
export const FORMAT_1_TOKENS = [
  'eyJhbGciOiJIUzI1NiJ9.gAj6F0YAP7ux9ydI_ZdWMUfZrBrgLaeNq7HuATcyzorl47rwIek.gZmpkgsac10ElLT8dVhvCW5obpGh5_zw0rO_rZFlQu4',
  'eyJhbGciOiJIUzI1NiJ9.Au3BTwwDgSSPqEqeQ26BgKhuyYO-uSZYE2ySZOMlgxpTiictFVQ.-18zwOjiCTomvOuxkXZNzcjieWXuHgIQAAA_oBKN0Y4',
];
