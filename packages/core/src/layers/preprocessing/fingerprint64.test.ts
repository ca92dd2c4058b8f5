import { fingerprint64, hashBucket } from './fingerprint64';

/** FarmHash's self-test data: the byte stream its Setup() generates (64-bit arithmetic). */
function farmhashTestData(size: number): Uint8Array {
  const mask = (1n << 64n) - 1n;
  const k0 = 0xc3a5c85c97cb3127n;
  let a = 9n;
  let b = 777n;
  const data = new Uint8Array(size);
  for (let i = 0; i < size; i++) {
    a = (a + b) & mask;
    b = (b + a) & mask;
    a = ((a ^ (a >> 41n)) * k0) & mask;
    b = (((b ^ (b >> 41n)) * k0) + BigInt(i)) & mask;
    data[i] = Number((b >> 37n) & 0xffn);
  }
  return data;
}

describe('fingerprint64 (farmhashna::Hash64)', () => {
  test("matches FarmHash's own expected values for test i: Hash64(data + i*i, i), every length branch", () => {
    // From farmhash.cc's farmhashnaTest::expected (the Hash64 pair of test i, high and low words joined).
    const expected: [number, bigint][] = [
      [0, 0x9ae16a3b2f90404fn], [1, 0x541150e87f415e96n], [2, 0xf3786a4b25827c1n], [3, 0xef923a7a1af78eabn],
      [4, 0x11df592596f41d88n], [5, 0x831f448bdc5600b3n], [7, 0x1b5a063fb4c7f9f1n], [8, 0xa0f10149a0e538d6n],
      [9, 0xfb8d9c70660b910bn], [12, 0xe3f6828b6017086dn], [15, 0x44473e03be306c88n], [16, 0x3ead5f21d344056n],
      [17, 0x6abbfde37ee03b5bn], [20, 0x4182832b52d63735n], [31, 0x55bdb0e71e3edebdn], [32, 0x782fa1b08b475e7n],
      [33, 0x9deb3da5e16b5b8n], [40, 0x1596fbb269fb44en], [63, 0xa8edbff858475437n], [64, 0xdef74bf4c9f1bc1bn],
      [65, 0x3cceab392bc39b3fn], [100, 0x5ad36f677825ce0n], [128, 0xf4a9a248b462909dn], [150, 0xc9504fb06a97dc38n],
      [200, 0x40f32eb90e5caa01n], [298, 0x2031c84bc57a1a9fn],
    ];
    const data = farmhashTestData(298 * 298 + 298);
    for (const [i, hash] of expected) expect({ i, hash: fingerprint64(data.subarray(i * i, i * i + i)).toString(16) }).toEqual({ i, hash: hash.toString(16) });
  });

  test("TensorFlow's documented to_hash_bucket_fast example: ['Hello', 'TensorFlow', '2.x'] in 3 buckets", () => {
    expect(['Hello', 'TensorFlow', '2.x'].map((s) => hashBucket(s, 3))).toEqual([0, 2, 2]);
  });
});
