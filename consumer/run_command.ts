/** Runs a command of the consumer test in a user's environment and fails with its output when it fails. */
import { spawnSync } from 'child_process';
import * as path from 'path';

const ROOT = path.resolve(__dirname, '..');

export interface CommandResult {
  stdout: string;
  stderr: string;
}

/**
 * The environment of a user's shell: without the variables a package manager sets for the scripts it
 * runs (npm_*, pnpm_*, INIT_CWD), which would otherwise configure the npm and pnpm run here, without
 * this repository's folders on the PATH (its tools would stand in for the project's), and without the
 * repository's switches of the kernels.
 */
export function userEnvironment(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(process.env)) {
    if (/^(npm_|pnpm_)/i.test(key) || key === 'INIT_CWD' || key.startsWith('RECURRENT_')) continue;
    env[key] = value;
  }
  const outside = (dir: string) => dir !== '' && path.relative(ROOT, dir).startsWith('..');
  env.PATH = (process.env.PATH ?? '').split(path.delimiter).filter(outside).join(path.delimiter);
  return { ...env, ...extra };
}

export function run(command: string, args: string[], options: { cwd: string; env?: Record<string, string>; timeoutMs?: number }): CommandResult {
  const result = spawnSync(command, args, {
    cwd: options.cwd,
    env: userEnvironment(options.env),
    encoding: 'utf8',
    timeout: options.timeoutMs ?? 300_000,
    maxBuffer: 64 * 1024 * 1024,
  });
  const shown = `${command} ${args.join(' ')} (in ${options.cwd})`;
  if (result.error) throw new Error(`${shown} did not run: ${result.error.message}`);
  if (result.status !== 0) {
    throw new Error(`${shown} exited with ${result.status ?? result.signal}:\n--- stdout\n${tail(result.stdout)}\n--- stderr\n${tail(result.stderr)}`);
  }
  return { stdout: result.stdout, stderr: result.stderr };
}

function tail(text: string): string {
  return text.length > 6000 ? `...${text.slice(-6000)}` : text;
}
