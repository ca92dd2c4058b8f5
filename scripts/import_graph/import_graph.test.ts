/**
 * The sources' dependencies are all visible: no import cycle through runtime imports, and no
 * `require` inside a function (which hides a dependency from tools and from an ES-module build).
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { findCycles, readImportGraph } from './import_graph';

const ROOT = path.resolve(__dirname, '..', '..');
/** Tests, their helpers (`__tests__/`) and the shared test support of a package (`src/testing/`). */
const TEST_SUPPORT = /(\.test\.ts$|\/__tests__\/|^packages\/[^/]+\/src\/testing\/)/;

describe('the workspace import graph', () => {
  const graph = readImportGraph(ROOT);

  test('reads every package', () => {
    for (const name of ['kernels', 'core', 'cli']) {
      expect(graph.files).toContain(`packages/${name}/src/index.ts`);
    }
    // Cross-package imports resolve to the other package's sources.
    expect(graph.edges).toContainEqual({ from: 'packages/core/src/layers/rnn/fused_sequence.ts', to: 'packages/kernels/src/index.ts' });
  });

  test('has no cycle through runtime imports', () => {
    const cycles = findCycles(graph).map((c) => c.join(' -> '));
    expect(cycles).toEqual([]);
  });

  test('has no function-level require of a project file in the shipped sources', () => {
    // Tests are exempt: re-loading a module in a fresh registry (jest.isolateModules) to test what it
    // does at load time needs a require at that point, and tests are never built or shipped.
    const hidden = graph.hiddenRequires.filter((r) => !TEST_SUPPORT.test(r.file)).map((r) => `${r.file}:${r.line} require(${r.target})`);
    expect(hidden).toEqual([]);
  });

  test('shipped sources do not import test support', () => {
    const leaks = graph.edges.filter((e) => !TEST_SUPPORT.test(e.from) && TEST_SUPPORT.test(e.to)).map((e) => `${e.from} -> ${e.to}`);
    expect(leaks).toEqual([]);
  });
});

describe('the import graph reader', () => {
  let root: string;
  const write = (file: string, text: string): void => {
    fs.mkdirSync(path.dirname(path.join(root, file)), { recursive: true });
    fs.writeFileSync(path.join(root, file), text);
  };
  beforeEach(() => {
    root = fs.mkdtempSync(path.join(os.tmpdir(), 'import-graph-'));
  });
  afterEach(() => fs.rmSync(root, { recursive: true, force: true }));

  test('finds a cycle through runtime imports and ignores type-only ones', () => {
    write('packages/a/src/index.ts', "import { b } from './b';\nimport type { C } from './c';\nexport const a = b;\n");
    write('packages/a/src/b.ts', "import { a } from './index';\nexport const b = 1;\n");
    write('packages/a/src/c.ts', "import { type A } from './index';\nexport type C = A;\n");
    const cycles = findCycles(readImportGraph(root));
    expect(cycles).toEqual([['packages/a/src/b.ts', 'packages/a/src/index.ts', 'packages/a/src/b.ts']]);
  });

  test('follows re-exports and cross-package imports', () => {
    write('packages/a/src/index.ts', "export * from './x';\n");
    write('packages/a/src/x.ts', "import { y } from '@recurrent/b';\nexport const x = y;\n");
    write('packages/b/src/index.ts', "export { a } from '@recurrent/a';\nexport const y = 1;\n");
    expect(findCycles(readImportGraph(root))).toHaveLength(1);
  });

  test('reports a require inside a function (project file or unknown target), not an outside package', () => {
    write('packages/a/src/index.ts', [
      "const top = require('./top');",
      'export function f(name: string) {',
      "  const fs = require('fs');",
      "  const sibling = require('./sibling');",
      '  const anything = require(name);',
      '  return [top, fs, sibling, anything];',
      '}',
    ].join('\n'));
    write('packages/a/src/top.ts', 'export const t = 1;\n');
    write('packages/a/src/sibling.ts', 'export const s = 1;\n');
    const graph = readImportGraph(root);
    expect(graph.hiddenRequires).toEqual([
      { file: 'packages/a/src/index.ts', line: 4, target: './sibling' },
      { file: 'packages/a/src/index.ts', line: 5, target: 'name' },
    ]);
    expect(graph.edges).toContainEqual({ from: 'packages/a/src/index.ts', to: 'packages/a/src/top.ts' });
  });
});
