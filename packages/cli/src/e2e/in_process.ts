import { run } from '../main';
import { Output } from '../output';

/** Runs the command line in this process, capturing what it prints (faster than a child process). */
export async function capture(argv: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const output: Output = { out: (t) => (out += t), err: (t) => (err += t), interactive: false };
  const code = await run(argv, output);
  return { code, out, err };
}
