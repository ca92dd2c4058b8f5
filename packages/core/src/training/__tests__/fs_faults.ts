/**
 * Fault injection for crash-safety tests, in process. Installed, the injector numbers the points where
 * the code under test changes the disk (fs_points.js); at the chosen one it leaves the disk as a kill
 * there would (a write half done, a recursive removal part done, an opened file created and empty)
 * and throws InjectedFault. From then on every further change to the disk throws too, so no cleanup
 * code can repair what a real kill would have left.
 */
import * as fs from 'fs';
import * as path from 'path';
import { patchDiskChanges, type DiskChange } from './fs_points';

export class InjectedFault extends Error {
  constructor(readonly point: string) {
    super(`injected fault at ${point}`);
    this.name = 'InjectedFault';
  }
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

/** What a kill part-way through the operation leaves on disk. */
function leaveHalfDone({ name, args, original }: DiskChange): void {
  if (name === 'writeSync') {
    const [fd, data, offset, length] = args as [number, Buffer | string, number | undefined, number | undefined];
    const start = offset ?? 0;
    const bytes = typeof data === 'string' ? Buffer.from(data) : data.subarray(start, start + (length ?? data.length - start));
    original(fd, bytes, 0, Math.floor(bytes.length / 2));
  } else if (name === 'writeFileSync' || name === 'appendFileSync') {
    const data = args[1] as Buffer | string;
    const bytes = typeof data === 'string' ? Buffer.from(data) : Buffer.from(data as Uint8Array);
    original(args[0], bytes.subarray(0, Math.floor(bytes.length / 2)));
  } else if (name === 'openSync') {
    fs.closeSync(original(...args) as number);
  } else if (name === 'rmSync') {
    removeSome(String(args[0]));
  }
}

export class FaultInjector {
  /** The points reached so far: `operation path`. */
  readonly points: string[] = [];
  fired = false;
  private uninstallHooks: (() => void) | null = null;

  /** `failAt`: index of the point to fail at (null: only count). `only`: count the points whose path matches. */
  constructor(
    private readonly failAt: number | null = null,
    private readonly only: (file: string) => boolean = () => true,
  ) {}

  install(): this {
    this.uninstallHooks = patchDiskChanges((change) => {
      if (!this.only(change.target)) return;
      const point = `${change.name} ${change.target}`;
      if (this.fired) throw new InjectedFault(`${point} (after the fault)`);
      if (this.points.push(point) - 1 !== this.failAt) return;
      this.fired = true;
      leaveHalfDone(change);
      throw new InjectedFault(point);
    });
    return this;
  }

  uninstall(): void {
    this.uninstallHooks?.();
    this.uninstallHooks = null;
  }
}

/** The disk-changing points `action` reaches (nothing fails). */
export function countPoints(action: () => void): string[] {
  const counter = new FaultInjector().install();
  try {
    action();
  } finally {
    counter.uninstall();
  }
  return counter.points;
}

/** Runs `action` with the injector installed; returns whether the fault fired (errors after it are swallowed). */
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
