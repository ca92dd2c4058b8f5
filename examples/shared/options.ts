/**
 * Command-line options shared by every example: `--smoke` (tiny data and epochs, results written to a
 * temporary folder, for the test that keeps the examples from rotting), `--seed N` and `--out DIR`.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

export interface ExampleOptions {
  /** Tiny epochs and data slices: checks that the example runs, measures nothing. */
  smoke: boolean;
  seed: number;
  /** Where results (JSON, SVG) are written. */
  outDir: string;
  /** Prints one line of progress; the smoke test passes a silent one. */
  log: (line: string) => void;
}

/** The examples folder (the one holding this package's package.json), from sources or from dist/. */
export function examplesRoot(): string {
  let dir = __dirname;
  for (;;) {
    const manifest = path.join(dir, 'package.json');
    if (fs.existsSync(manifest) && JSON.parse(fs.readFileSync(manifest, 'utf8')).name === '@recurrent/examples') return dir;
    const parent = path.dirname(dir);
    if (parent === dir) throw new Error(`examplesRoot: no package.json of @recurrent/examples above ${__dirname}`);
    dir = parent;
  }
}

/** The source folder of one example, e.g. examples/spam-classification. */
export function exampleDir(name: string): string {
  return path.join(examplesRoot(), name);
}

function usage(name: string): string {
  return `usage: node examples/dist/${name}/run.js [--smoke] [--seed N] [--out DIR]`;
}

/** Parses argv (without node and the script); results go to <example>/results unless --smoke or --out. */
export function parseOptions(name: string, argv: string[]): ExampleOptions {
  let smoke = false;
  let seed = 42;
  let out: string | undefined;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--smoke') smoke = true;
    else if (arg === '--seed' && /^\d+$/.test(argv[i + 1] ?? '')) seed = Number(argv[++i]);
    else if (arg === '--out' && argv[i + 1] !== undefined) out = argv[++i];
    else if (arg === '--help' || arg === '-h') {
      console.log(usage(name));
      process.exit(0);
    } else {
      console.error(`${name}: unknown argument '${arg}'\n${usage(name)}`);
      process.exit(2);
    }
  }
  const outDir = out !== undefined ? path.resolve(out) : smoke ? fs.mkdtempSync(path.join(os.tmpdir(), `${name}-smoke-`)) : path.join(exampleDir(name), 'results');
  return { smoke, seed, outDir, log: (line) => console.log(line) };
}

/** Runs an example from the command line: exit code 0 on success, 1 with the message on failure. */
export function runMain<R>(name: string, run: (options: ExampleOptions) => Promise<R>): void {
  const options = parseOptions(name, process.argv.slice(2));
  run(options).then(
    () => {
      process.exitCode = 0;
    },
    (e: unknown) => {
      console.error(`${name} failed: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`);
      process.exitCode = 1;
    },
  );
}
