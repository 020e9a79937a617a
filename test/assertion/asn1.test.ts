// The PKCS#1 → PKCS#8 wrapper is checked against OpenSSL's own PKCS#8 encoding of the same
// key: for RSA both are DER, so they must match byte for byte.
import assert from 'node:assert/strict';
import { generateKeyPairSync } from 'node:crypto';
import { test } from 'node:test';
import {
  DerError,
  OID_RSA_ENCRYPTION,
  pkcs8AlgorithmOid,
  readElement,
  wrapPkcs1InPkcs8,
} from '../../src/internal/asn1.js';
import { fixturePair } from './helpers.js';

test('wrapping a PKCS#1 key gives exactly the PKCS#8 DER node:crypto exports, for several sizes', () => {
  const keys = [
    generateKeyPairSync('rsa', { modulusLength: 512 }).privateKey,
    fixturePair('a').privateKey,
  ];
  for (const privateKey of keys) {
    const pkcs1 = privateKey.export({ type: 'pkcs1', format: 'der' });
    const pkcs8 = privateKey.export({ type: 'pkcs8', format: 'der' });
    assert.deepEqual(Buffer.from(wrapPkcs1InPkcs8(new Uint8Array(pkcs1))), pkcs8);
  }
});

test('pkcs8AlgorithmOid names rsaEncryption for RSA and the EC OID for an EC key', () => {
  const rsa = generateKeyPairSync('rsa', { modulusLength: 1024 }).privateKey.export({
    type: 'pkcs8',
    format: 'der',
  });
  const ec = generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey.export({
    type: 'pkcs8',
    format: 'der',
  });
  assert.equal(pkcs8AlgorithmOid(new Uint8Array(rsa)), OID_RSA_ENCRYPTION);
  assert.equal(pkcs8AlgorithmOid(new Uint8Array(ec)), '2a8648ce3d0201');
});

test('readElement reads short and long lengths and refuses overruns', () => {
  assert.deepEqual(readElement(Uint8Array.from([0x02, 0x01, 0x05]), 0), {
    tag: 2,
    start: 2,
    end: 3,
  });
  const long = new Uint8Array(4 + 300);
  long.set([0x04, 0x82, 0x01, 0x2c]);
  assert.deepEqual(readElement(long, 0), { tag: 4, start: 4, end: 304 });
  assert.throws(() => readElement(Uint8Array.from([0x30, 0x05, 0x00]), 0), DerError);
  assert.throws(() => readElement(Uint8Array.from([0x30]), 0), DerError);
  assert.throws(() => readElement(Uint8Array.from([0x30, 0x85, 1, 1, 1, 1, 1]), 0), DerError);
});

test('garbage and truncated keys are refused with DerError, never a crash or a wrong parse', () => {
  const pkcs1 = generateKeyPairSync('rsa', { modulusLength: 512 }).privateKey.export({
    type: 'pkcs1',
    format: 'der',
  });
  assert.throws(
    () => wrapPkcs1InPkcs8(new Uint8Array(pkcs1.subarray(0, pkcs1.length - 1))),
    DerError,
  );
  assert.throws(() => wrapPkcs1InPkcs8(Uint8Array.from([0x04, 0x00])), DerError);
  assert.throws(
    () => pkcs8AlgorithmOid(new Uint8Array(Buffer.concat([pkcs1, Buffer.from([0])]))),
    DerError,
  );
  assert.throws(() => pkcs8AlgorithmOid(new Uint8Array(0)), DerError);
});
