/**
 * The package version, for the default User-Agent. A constant rather than a read of
 * package.json so the portable core needs no `node:` module or JSON import; a test keeps
 * it equal to package.json's version.
 */
export const VERSION = '0.1.0';
