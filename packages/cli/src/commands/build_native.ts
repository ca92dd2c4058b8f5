import { spawn } from 'child_process';
import * as path from 'path';
import { Output } from '../output';

/** The build script of the installed @recurrent/kernels (it ships with the package, with the C++ sources). */
export function buildNativeScript(): string {
  return path.join(path.dirname(require.resolve('@recurrent/kernels/package.json')), 'scripts', 'build-native.js');
}

/**
 * `recurrent build-native`: compiles the kernels' native addon from source with node-gyp, for platforms
 * without a prebuilt binary (or to replace it). The build runs in a child process, its messages shown as
 * they come; a failure is exit 1 with the compiler's output and what the build needs.
 */
export async function runBuildNative(output: Output): Promise<void> {
  const script = buildNativeScript();
  const code = await new Promise<number | null>((resolve, reject) => {
    const child = spawn(process.execPath, [script], { stdio: ['ignore', 'pipe', 'pipe'] });
    child.stdout.on('data', (chunk: Buffer) => output.out(chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => output.err(chunk.toString()));
    child.on('error', reject);
    child.on('close', resolve);
  });
  if (code !== 0) throw new Error(`the native addon was not built (${script} exited with ${code}); the kernels load as before ('recurrent info' says which)`);
  // The script has checked that the build loads; programs started from now on use it.
  output.out("done: programs started from now on use it ('recurrent info' shows: native (built from source))\n");
}
