/**
 * What a package's tarball must hold: exactly the compiled JavaScript and declarations of its sources
 * (as its tsconfig.json compiles them), README, LICENSE and manifest; for the kernels package also the
 * prebuilt addon and everything a build from source needs.
 */
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import * as ts from 'typescript';

/** The files in a tarball, without the leading "package/". */
export function tarballFiles(tgz: string): string[] {
  return execFileSync('tar', ['-tzf', tgz], { encoding: 'utf8', maxBuffer: 16 * 1024 * 1024 })
    .split('\n')
    .filter((line) => line !== '' && !line.endsWith('/'))
    .map((line) => line.replace(/^package\//, ''))
    .sort();
}

export function tarballText(tgz: string, file: string): string {
  return execFileSync('tar', ['-xzOf', tgz, `package/${file}`], { encoding: 'utf8', maxBuffer: 16 * 1024 * 1024 });
}

/** dist/x.js and dist/x.d.ts for every source file the package's tsconfig.json compiles. */
export function compiledFiles(packageDir: string): string[] {
  const configFile = path.join(packageDir, 'tsconfig.json');
  const parsed = ts.getParsedCommandLineOfConfigFile(configFile, {}, { ...ts.sys, onUnRecoverableConfigFileDiagnostic: (d) => { throw new Error(ts.flattenDiagnosticMessageText(d.messageText, '\n')); } });
  if (parsed === undefined || parsed.errors.length > 0) throw new Error(`${configFile} cannot be read`);
  const src = path.join(packageDir, 'src');
  return parsed.fileNames.flatMap((file) => {
    const stem = path.relative(src, file).replace(/\.ts$/, '').split(path.sep).join('/');
    return [`dist/${stem}.js`, `dist/${stem}.d.ts`];
  });
}

/** Every source binding.gyp compiles, and every file those sources #include, transitively (paths in the package). */
export function nativeBuildInputs(packageDir: string): string[] {
  const gyp = JSON.parse(fs.readFileSync(path.join(packageDir, 'binding.gyp'), 'utf8').replace(/^\s*#.*$/gm, '')) as unknown;
  const sources = new Set<string>();
  const collect = (node: unknown): void => {
    if (Array.isArray(node)) node.forEach(collect);
    else if (node !== null && typeof node === 'object') {
      for (const [key, value] of Object.entries(node)) {
        if (key === 'sources' && Array.isArray(value)) value.forEach((s) => sources.add(String(s)));
        else collect(value);
      }
    }
  };
  collect(gyp);
  const queue = [...sources];
  while (queue.length > 0) {
    const file = queue.pop()!;
    const text = fs.readFileSync(path.join(packageDir, file), 'utf8');
    for (const m of text.matchAll(/^\s*#\s*include\s+"([^"]+)"/gm)) {
      const included = path.posix.join(path.posix.dirname(file), m[1]);
      if (!sources.has(included)) {
        sources.add(included);
        queue.push(included);
      }
    }
  }
  return [...sources, 'binding.gyp'].sort();
}
