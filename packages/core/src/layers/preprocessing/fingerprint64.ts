/**
 * FarmHash's Fingerprint64 (farmhashna::Hash64) of a byte string, in 64-bit BigInt arithmetic: the hash
 * TensorFlow's `tf.strings.to_hash_bucket_fast` uses, and therefore the one that decides which
 * out-of-vocabulary index a Keras StringLookup with several OOV indices gives an unknown token.
 */
const MASK = (1n << 64n) - 1n;
const K0 = 0xc3a5c85c97cb3127n;
const K1 = 0xb492b66fbe98f273n;
const K2 = 0x9ae16a3b2f90404fn;

const mul = (a: bigint, b: bigint): bigint => (a * b) & MASK;
const add = (...xs: bigint[]): bigint => xs.reduce((s, x) => s + x, 0n) & MASK;
const rotate = (v: bigint, shift: bigint): bigint => (shift === 0n ? v : ((v >> shift) | (v << (64n - shift))) & MASK);
const shiftMix = (v: bigint): bigint => v ^ (v >> 47n);

/** Little-endian 64- and 32-bit words of `s` at byte `at`. */
function fetch64(s: Uint8Array, at: number): bigint {
  let v = 0n;
  for (let i = 7; i >= 0; i--) v = (v << 8n) | BigInt(s[at + i]);
  return v;
}
function fetch32(s: Uint8Array, at: number): bigint {
  return BigInt((s[at] | (s[at + 1] << 8) | (s[at + 2] << 16) | (s[at + 3] << 24)) >>> 0);
}

function hashLen16(u: bigint, v: bigint, m: bigint): bigint {
  let a = mul(u ^ v, m);
  a ^= a >> 47n;
  let b = mul(v ^ a, m);
  b ^= b >> 47n;
  return mul(b, m);
}

function hashLen0to16(s: Uint8Array): bigint {
  const len = s.length;
  const m = add(K2, BigInt(len * 2));
  if (len >= 8) {
    const a = add(fetch64(s, 0), K2);
    const b = fetch64(s, len - 8);
    const c = add(mul(rotate(b, 37n), m), a);
    const d = mul(add(rotate(a, 25n), b), m);
    return hashLen16(c, d, m);
  }
  if (len >= 4) return hashLen16(add(BigInt(len), fetch32(s, 0) << 3n), fetch32(s, len - 4), m);
  if (len > 0) {
    const y = BigInt((s[0] + (s[len >> 1] << 8)) >>> 0);
    const z = BigInt((len + (s[len - 1] << 2)) >>> 0);
    return mul(shiftMix(mul(y, K2) ^ mul(z, K0)), K2);
  }
  return K2;
}

function hashLen17to32(s: Uint8Array): bigint {
  const len = s.length;
  const m = add(K2, BigInt(len * 2));
  const a = mul(fetch64(s, 0), K1);
  const b = fetch64(s, 8);
  const c = mul(fetch64(s, len - 8), m);
  const d = mul(fetch64(s, len - 16), K2);
  return hashLen16(add(rotate(add(a, b), 43n), rotate(c, 30n), d), add(a, rotate(add(b, K2), 18n), c), m);
}

function hashLen33to64(s: Uint8Array): bigint {
  const len = s.length;
  const m = add(K2, BigInt(len * 2));
  const a = mul(fetch64(s, 0), K2);
  const b = fetch64(s, 8);
  const c = mul(fetch64(s, len - 8), m);
  const d = mul(fetch64(s, len - 16), K2);
  const y = add(rotate(add(a, b), 43n), rotate(c, 30n), d);
  const z = hashLen16(y, add(a, rotate(add(b, K2), 18n), c), m);
  const e = mul(fetch64(s, 16), m);
  const f = fetch64(s, 24);
  const g = mul(add(y, fetch64(s, len - 32)), m);
  const h = mul(add(z, fetch64(s, len - 24)), m);
  return hashLen16(add(rotate(add(e, f), 43n), rotate(g, 30n), h), add(e, rotate(add(f, a), 18n), g), m);
}

/** Two 64-bit words from the 32 bytes at `at` and two seeds. */
function weakHash32(s: Uint8Array, at: number, seedA: bigint, seedB: bigint): [bigint, bigint] {
  const w = fetch64(s, at);
  const x = fetch64(s, at + 8);
  const y = fetch64(s, at + 16);
  const z = fetch64(s, at + 24);
  let a = add(seedA, w);
  let b = rotate(add(seedB, a, z), 21n);
  const c = a;
  a = add(a, x, y);
  b = add(b, rotate(a, 44n));
  return [add(a, z), add(b, c)];
}

/** Fingerprint64 of the bytes `s`, as an unsigned 64-bit BigInt. */
export function fingerprint64(s: Uint8Array): bigint {
  const len = s.length;
  if (len <= 16) return hashLen0to16(s);
  if (len <= 32) return hashLen17to32(s);
  if (len <= 64) return hashLen33to64(s);
  // Longer strings: 64-byte blocks through a 56-byte state, then the last 64 bytes.
  const seed = 81n;
  let x = add(mul(seed, K2), fetch64(s, 0));
  let y = add(mul(seed, K1), 113n);
  let z = mul(shiftMix(add(mul(y, K2), 113n)), K2);
  let v: [bigint, bigint] = [0n, 0n];
  let w: [bigint, bigint] = [0n, 0n];
  const end = Math.floor((len - 1) / 64) * 64;
  for (let at = 0; at !== end; at += 64) {
    x = mul(rotate(add(x, y, v[0], fetch64(s, at + 8)), 37n), K1);
    y = mul(rotate(add(y, v[1], fetch64(s, at + 48)), 42n), K1);
    x ^= w[1];
    y = add(y, v[0], fetch64(s, at + 40));
    z = mul(rotate(add(z, w[0]), 33n), K1);
    v = weakHash32(s, at, mul(v[1], K1), add(x, w[0]));
    w = weakHash32(s, at + 32, add(z, w[1]), add(y, fetch64(s, at + 16)));
    [z, x] = [x, z];
  }
  const m = add(K1, (z & 0xffn) << 1n);
  const last = len - 64;
  w[0] = add(w[0], BigInt((len - 1) & 63));
  v[0] = add(v[0], w[0]);
  w[0] = add(w[0], v[0]);
  x = mul(rotate(add(x, y, v[0], fetch64(s, last + 8)), 37n), m);
  y = mul(rotate(add(y, v[1], fetch64(s, last + 48)), 42n), m);
  x ^= mul(w[1], 9n);
  y = add(y, mul(v[0], 9n), fetch64(s, last + 40));
  z = mul(rotate(add(z, w[0]), 33n), m);
  v = weakHash32(s, last, mul(v[1], m), add(x, w[0]));
  w = weakHash32(s, last + 32, add(z, w[1]), add(y, fetch64(s, last + 16)));
  [z, x] = [x, z];
  return hashLen16(add(hashLen16(v[0], w[0], m), mul(shiftMix(y), K0), z), add(hashLen16(v[1], w[1], m), x), m);
}

/** TensorFlow's `to_hash_bucket_fast` of a string (UTF-8): Fingerprint64 modulo the number of buckets. */
export function hashBucket(text: string, buckets: number): number {
  return Number(fingerprint64(new TextEncoder().encode(text)) % BigInt(buckets));
}
