import { ChildProcess, execFileSync, spawn } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

/** Helpers for end-to-end tests: they run the BUILT command, `node packages/cli/bin/recurrent.js`. */

export const ROOT = path.resolve(__dirname, '../../../..');
export const BIN = path.join(ROOT, 'packages/cli/bin/recurrent.js');
const DIST_MAIN = path.join(ROOT, 'packages/cli/dist/main.js');

function newestSource(dir: string): number {
  let newest = 0;
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) newest = Math.max(newest, newestSource(full));
    else if (entry.name.endsWith('.ts') && !entry.name.endsWith('.test.ts')) newest = Math.max(newest, fs.statSync(full).mtimeMs);
  }
  return newest;
}

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** Takes a lock folder holding the owner's pid; a lock whose owner died is taken over. */
function acquireLock(lock: string): void {
  for (let waited = 0; ; waited += 200) {
    try {
      fs.mkdirSync(lock);
      fs.writeFileSync(path.join(lock, 'pid'), String(process.pid));
      return;
    } catch {
      const owner = Number(fs.existsSync(path.join(lock, 'pid')) ? fs.readFileSync(path.join(lock, 'pid'), 'utf8') : NaN);
      if (Number.isInteger(owner) && !processAlive(owner)) fs.rmSync(lock, { recursive: true, force: true });
      else if (waited > 300_000) throw new Error(`timed out waiting for ${lock}`);
      else Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 200);
    }
  }
}

/** Builds the packages (tsc -b) when dist is missing or older than the sources; one build at a time. */
export function ensureBuilt(): void {
  const lock = path.join(os.tmpdir(), 'recurrent-e2e-build-lock');
  acquireLock(lock);
  try {
    const built = fs.existsSync(DIST_MAIN) ? fs.statSync(DIST_MAIN).mtimeMs : 0;
    const stale = ['cli', 'core', 'kernels'].some((p) => newestSource(path.join(ROOT, 'packages', p, 'src')) > built);
    if (!stale) return;
    try {
      execFileSync('npx', ['tsc', '-b', 'packages/cli'], { cwd: ROOT, stdio: 'pipe' });
    } catch (e) {
      // tsc -b still emits JavaScript when there are type errors; those are the type check's business.
      if (!fs.existsSync(DIST_MAIN)) throw e;
      process.stderr.write(`tsc -b packages/cli reported errors:\n${String((e as { stdout?: Buffer }).stdout ?? e)}\n`);
    }
    // tsc -b leaves an up-to-date file alone; touch the entry point so the staleness check settles.
    const now = new Date();
    fs.utimesSync(DIST_MAIN, now, now);
  } finally {
    fs.rmSync(lock, { recursive: true, force: true });
  }
}

export interface CliResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/** Runs the command to completion. */
export function runCli(args: string[], options: { cwd?: string; input?: string; env?: NodeJS.ProcessEnv } = {}): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const child = startCli(args, options);
    let stdout = '';
    let stderr = '';
    child.stdout?.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr?.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', reject);
    child.on('close', (code, signal) => resolve({ code, signal, stdout, stderr }));
    if (options.input !== undefined) child.stdin?.end(options.input);
    else child.stdin?.end();
  });
}

export function startCli(args: string[], options: { cwd?: string; env?: NodeJS.ProcessEnv } = {}): ChildProcess {
  return spawn(process.execPath, [BIN, ...args], { cwd: options.cwd ?? ROOT, env: { ...process.env, ...options.env }, stdio: ['pipe', 'pipe', 'pipe'] });
}
