/** The README's first code sample, as a user copies it: the ES module, and its CommonJS variant. */
import * as fs from 'fs';
import * as path from 'path';

export interface ReadmeSample {
  /** The sample exactly as the README shows it (an ES module; also valid TypeScript). */
  esm: string;
  /** The same program with its import line replaced by the README's require line. */
  cjs: string;
}

export function readmeFirstSample(readme = path.join(__dirname, '..', 'README.md')): ReadmeSample {
  const text = fs.readFileSync(readme, 'utf8');
  const section = text.split(/^## /m).find((s) => s.startsWith('A first model'));
  if (section === undefined) throw new Error(`${readme}: no "## A first model" section`);
  const blocks = [...section.matchAll(/^```js\n([\s\S]*?)^```$/gm)].map((m) => m[1]);
  if (blocks.length < 2) throw new Error(`${readme}: "A first model" needs the sample and its CommonJS first line as two js blocks`);
  const [esm, requireLine] = blocks;
  const lines = esm.split('\n');
  if (!lines[0].startsWith('import {')) throw new Error(`${readme}: the sample should start with its import line, not '${lines[0]}'`);
  if (!/^const \{[^}]+\} = require\('@recurrent\/core'\);\n$/.test(requireLine)) {
    throw new Error(`${readme}: the second js block should be the sample's require line, not '${requireLine.trim()}'`);
  }
  return { esm, cjs: [requireLine.trimEnd(), ...lines.slice(1)].join('\n') };
}
