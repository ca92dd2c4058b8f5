/**
 * Type-checks files of a consumer project with the TypeScript of this repository, under --strict.
 * With node16 resolution the declarations are checked too (no skipLibCheck): those of TensorFlow.js 4.22
 * and its dependencies (@webgpu/types, ...) have errors of their own under --strict without the DOM
 * library, so only errors in the project's files and in @recurrent's declarations are returned. With
 * bundler resolution the check uses the setting such projects need, skipLibCheck, which also keeps
 * this test's time down (checking tfjs's declarations is most of a run).
 */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { userEnvironment } from './run_command';

export type Resolution = 'node16' | 'bundler';

const TSC = require.resolve('typescript/bin/tsc');

/** A project file, or a declaration of one of our packages (the part after the last node_modules/). */
function isOurs(file: string): boolean {
  const parts = file.split('node_modules/');
  return parts.length === 1 || parts[parts.length - 1].startsWith('@recurrent/');
}

export function typeErrors(dir: string, files: string[], resolution: Resolution): string[] {
  const config = `tsconfig.${resolution}.json`;
  const compilerOptions = {
    strict: true,
    noEmit: true,
    target: 'ES2022',
    lib: ['ES2022'],
    module: resolution === 'node16' ? 'node16' : 'esnext',
    moduleResolution: resolution,
    types: ['node'],
    skipLibCheck: resolution === 'bundler',
  };
  fs.writeFileSync(path.join(dir, config), JSON.stringify({ compilerOptions, files }, null, 2));
  const result = spawnSync(process.execPath, [TSC, '-p', config, '--pretty', 'false'], { cwd: dir, env: userEnvironment(), encoding: 'utf8', maxBuffer: 16 * 1024 * 1024 });
  if (result.status !== 0 && result.status !== 2) throw new Error(`tsc -p ${config} failed to run (${result.status}): ${result.stderr}`);
  // One error per line that names a location; indented lines continue the previous error.
  const errors: { file: string; text: string }[] = [];
  for (const line of result.stdout.split('\n')) {
    const located = /^(.+?)\(\d+,\d+\): error TS\d+/.exec(line);
    if (located) errors.push({ file: located[1], text: line });
    else if (line.trim() !== '' && errors.length > 0) errors[errors.length - 1].text += `\n${line}`;
    else if (line.trim() !== '') errors.push({ file: '', text: line });
  }
  return errors.filter((e) => isOurs(e.file)).map((e) => e.text);
}
