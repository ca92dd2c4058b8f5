/**
 * Fault injection for crash-safety tests: every file operation that changes the disk is a point where
 * a kill can fall. Installed, the injector numbers those points as the code under test reaches them;
 * at the chosen one it leaves the disk as a kill there would (a write half done, a recursive removal
 * part done, an opened file created and empty) and throws InjectedFault. From then on every further
 * change to the disk throws too, so no cleanup code can repair what a real kill would have left.
 */
// The module object itself (not an import copy), so patching it reaches every user of 'fs'.
import fs = require('fs');
import * as path from 'path';

export class InjectedFault extends Error {
  constructor(readonly point: string) {
    super(`injected fault at ${point}`);
    this.name = 'InjectedFault';
  }
}

type Patched = 'openSync' | 'writeSync' | 'writeFileSync' | 'appendFileSync' | 'fsyncSync' | 'fdatasyncSync' | 'renameSync' | 'rmSync' | 'unlinkSync' | 'rmdirSync' | 'mkdirSync' | 'copyFileSync' | 'closeSync';
const PATCHED: Patched[] = ['openSync', 'writeSync', 'writeFileSync', 'appendFileSync', 'fsyncSync', 'fdatasyncSync', 'renameSync', 'rmSync', 'unlinkSync', 'rmdirSync', 'mkdirSync', 'copyFileSync', 'closeSync'];

function opensForWriting(flags: unknown): boolean {
  if (flags === undefined) return false;
  if (typeof flags === 'number') return (flags & (fs.constants.O_WRONLY | fs.constants.O_RDWR | fs.constants.O_CREAT)) !== 0;
  return /[wa+]/.test(String(flags));
}

/** The unpatched operations, for leaving a half-done state behind. */
const unlinkSync = fs.unlinkSync;
const rmdirSync = fs.rmdirSync;

/** Removes one file of a tree (a kill in the middle of a recursive removal). */
function removeSome(target: string): void {
  const stat = fs.lstatSync(target, { throwIfNoEntry: false });
  if (stat === undefined) return;
  if (!stat.isDirectory()) {
    unlinkSync(target);
    return;
  }
  const entries = fs.readdirSync(target);
  if (entries.length === 0) rmdirSync(target);
  else removeSome(path.join(target, entries.sort()[0]));
}

export class FaultInjector {
  /** The points reached so far: `operation path`. */
  readonly points: string[] = [];
  fired = false;
  private readonly originals = new Map<Patched, unknown>();

  /** `failAt`: index of the point to fail at (null: only count). `only`: count points whose path matches. */
  constructor(
    private readonly failAt: number | null = null,
    private readonly only: (file: string) => boolean = () => true,
  ) {}

  install(): this {
    const real = fs as unknown as Record<Patched, (...args: unknown[]) => unknown>;
    const fdPaths = new Map<number, string>();
    let depth = 0;
    for (const name of PATCHED) {
      const original = real[name];
      this.originals.set(name, original);
      const counted = (...args: unknown[]): unknown => {
        const target = typeof args[0] === 'number' ? (fdPaths.get(args[0]) ?? `fd ${args[0]}`) : String(args[0]);
        const mutating = name !== 'closeSync' && (name !== 'openSync' || opensForWriting(args[1]));
        if (!mutating || !this.only(target)) {
          const result = original.apply(fs, args);
          if (name === 'openSync' && typeof result === 'number') fdPaths.set(result, target);
          if (name === 'closeSync') fdPaths.delete(args[0] as number);
          return result;
        }
        if (this.fired) throw new InjectedFault(`${name} ${target} (after the fault)`);
        const point = `${name} ${target}`;
        const index = this.points.push(point) - 1;
        if (index !== this.failAt) {
          const result = original.apply(fs, args);
          if (name === 'openSync' && typeof result === 'number') fdPaths.set(result, target);
          return result;
        }
        this.fired = true;
        this.leaveHalfDone(name, args, original);
        throw new InjectedFault(point);
      };
      // Operations made inside another one (a recursive removal's unlinks) belong to it: one point.
      real[name] = (...args: unknown[]) => {
        if (depth > 0) return original.apply(fs, args);
        depth++;
        try {
          return counted(...args);
        } finally {
          depth--;
        }
      };
    }
    return this;
  }

  /** What a kill part-way through the operation leaves on disk. */
  private leaveHalfDone(name: Patched, args: unknown[], original: (...a: unknown[]) => unknown): void {
    if (name === 'writeSync') {
      const [fd, data, offset, length] = args as [number, Buffer | string, number | undefined, number | undefined];
      const bytes = typeof data === 'string' ? Buffer.from(data) : data.subarray(offset ?? 0, (offset ?? 0) + (length ?? data.length - (offset ?? 0)));
      original.call(fs, fd, bytes, 0, Math.floor(bytes.length / 2));
    } else if (name === 'writeFileSync' || name === 'appendFileSync') {
      const data = args[1] as Buffer | string;
      const bytes = typeof data === 'string' ? Buffer.from(data) : Buffer.from(data as Uint8Array);
      original.call(fs, args[0], bytes.subarray(0, Math.floor(bytes.length / 2)));
    } else if (name === 'openSync') {
      const fd = original.apply(fs, args) as number;
      fs.closeSync(fd);
    } else if (name === 'rmSync') {
      removeSome(String(args[0]));
    }
  }

  uninstall(): void {
    const real = fs as unknown as Record<Patched, unknown>;
    for (const [name, original] of this.originals) real[name] = original;
    this.originals.clear();
  }
}

/** Runs `action` with the injector installed; returns whether the fault fired (an InjectedFault is swallowed, other errors rethrown). */
export async function withFaults(injector: FaultInjector, action: () => unknown): Promise<boolean> {
  injector.install();
  try {
    await action();
  } catch (e) {
    if (!injector.fired) throw e;
  } finally {
    injector.uninstall();
  }
  return injector.fired;
}
