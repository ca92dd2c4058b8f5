/**
 * The array checks that route a call to the addon or to the JavaScript loops: they read the objects'
 * internal slots, so arrays of another realm pass and look-alikes fail, whatever tag or prototype they carry.
 */
import * as vm from 'vm';
import { checkArray, isFloat32Array, isPlainFloat32Array } from './request_checks';

describe('isFloat32Array', () => {
  test('accepts Float32Arrays of this realm and of another (a vm context, as the addon\'s may be)', () => {
    expect(isFloat32Array(new Float32Array(3))).toBe(true);
    expect(isFloat32Array(new Float32Array(new ArrayBuffer(16), 4, 2))).toBe(true);
    expect(isFloat32Array(vm.runInNewContext('new Float32Array(3)'))).toBe(true);
    class Sub extends Float32Array {}
    expect(isFloat32Array(new Sub(2))).toBe(true);
  });

  test('refuses other values, look-alikes with a Float32Array tag or prototype included', () => {
    for (const value of [null, undefined, 3, 'Float32Array', [1, 2], new Float64Array(2), new Uint8Array(4), new DataView(new ArrayBuffer(4))]) {
      expect(isFloat32Array(value)).toBe(false);
    }
    expect(isFloat32Array({ [Symbol.toStringTag]: 'Float32Array', length: 2 })).toBe(false);
    const taggedBytes = new Uint8Array(4);
    Object.defineProperty(taggedBytes, Symbol.toStringTag, { value: 'Float32Array' });
    expect(isFloat32Array(taggedBytes)).toBe(false);
    expect(isFloat32Array(Object.setPrototypeOf(new DataView(new ArrayBuffer(8)), Float32Array.prototype))).toBe(false);
    expect(isFloat32Array(Object.create(Float32Array.prototype))).toBe(false);
  });
});

describe('isPlainFloat32Array (what the addon takes as it is)', () => {
  test('a Float32Array over an ordinary ArrayBuffer, of any realm', () => {
    expect(isPlainFloat32Array(new Float32Array(4))).toBe(true);
    expect(isPlainFloat32Array(vm.runInNewContext('new Float32Array(4)'))).toBe(true);
  });

  test('not over a SharedArrayBuffer, not even one tagged as an ArrayBuffer', () => {
    const shared = new SharedArrayBuffer(16);
    expect(isPlainFloat32Array(new Float32Array(shared))).toBe(false);
    Object.defineProperty(shared, Symbol.toStringTag, { value: 'ArrayBuffer' });
    expect(isPlainFloat32Array(new Float32Array(shared))).toBe(false);
    expect(isPlainFloat32Array(vm.runInNewContext('new Float32Array(new SharedArrayBuffer(8))'))).toBe(false);
  });

  test('not over a resizable ArrayBuffer, nor anything that is not a Float32Array', () => {
    // ES2024's resizable ArrayBuffer, which the TypeScript library of this project does not declare.
    const Resizable = ArrayBuffer as unknown as new (bytes: number, options: { maxByteLength: number }) => ArrayBuffer;
    const resizable = new Resizable(16, { maxByteLength: 64 });
    if ((resizable as ArrayBuffer & { resizable?: boolean }).resizable === true) expect(isPlainFloat32Array(new Float32Array(resizable))).toBe(false);
    expect(isPlainFloat32Array(new Float64Array(2))).toBe(false);
    expect(isPlainFloat32Array({ [Symbol.toStringTag]: 'Float32Array' })).toBe(false);
  });

  test('checkArray refuses a shared array whatever its tag says, with the addon\'s words', () => {
    const shared = new SharedArrayBuffer(8);
    Object.defineProperty(shared, Symbol.toStringTag, { value: 'ArrayBuffer' });
    expect(() => checkArray('h', new Float32Array(shared), [2], false)).toThrow(/^h: arrays over a SharedArrayBuffer are not accepted/);
    expect(() => checkArray('h', new Float32Array(2), [2], false)).not.toThrow();
  });
});
