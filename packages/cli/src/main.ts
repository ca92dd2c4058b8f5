import { CommanderError } from 'commander';
import { EXIT_OK, EXIT_USAGE, exitCodeOf, isUserError } from './errors';
import { Output, processOutput } from './output';
import { packageVersion } from './package_version';
import { buildProgram } from './program';
import { quietTfjs } from './tfjs_setup';

/** Runs the command line on `argv` (without node and script) and returns the exit code. */
export async function run(argv: string[], output: Output = processOutput()): Promise<number> {
  quietTfjs();
  const program = buildProgram(output, packageVersion('@recurrent/cli', '0.0.0'));
  try {
    await program.parseAsync(argv, { from: 'user' });
    return EXIT_OK;
  } catch (e) {
    if (e instanceof CommanderError) {
      // Help and version end with exit code 0; everything else commander reports is a usage error.
      return e.exitCode === 0 ? EXIT_OK : EXIT_USAGE;
    }
    const code = exitCodeOf(e);
    if (code !== 130) output.err(`${isUserError(e) ? 'error' : 'failed'}: ${(e as Error).message}\n`);
    if (!isUserError(e) && code === 1 && process.env.RECURRENT_DEBUG) output.err(`${(e as Error).stack}\n`);
    return code;
  }
}

/** Entry point of bin/recurrent.js. */
export function main(): void {
  // `recurrent generate ... | head` closes the pipe early: stop quietly instead of crashing.
  for (const stream of [process.stdout, process.stderr]) {
    stream.on('error', (e: NodeJS.ErrnoException) => {
      if (e.code === 'EPIPE') process.exit(process.exitCode ?? 0);
      throw e;
    });
  }
  run(process.argv.slice(2)).then(
    (code) => {
      process.exitCode = code;
    },
    (e: unknown) => {
      process.stderr.write(`failed: ${String(e)}\n`);
      process.exitCode = 1;
    },
  );
}
