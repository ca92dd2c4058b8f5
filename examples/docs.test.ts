/**
 * The docs stay true: every code sample they show is a file that runs here with the expected outcome,
 * the generated pages (embedded samples, CLI reference, config reference) match what the generator
 * makes from the current code and schemas, the Keras mapping names only real exports, and relative
 * links point at files that exist.
 */
import * as fs from 'fs';
import * as path from 'path';
import * as core from '@recurrent/core';
import * as kernels from '@recurrent/kernels';
import { GUIDE_PAGES, docsDir, generatedDocs } from './docs-tools/generate_docs';
import { sampleRefs } from './docs-tools/samples';
import { main as attention } from './docs-samples/attention';
import { main as backup } from './docs-samples/backup';
import { main as bidirectional } from './docs-samples/bidirectional';
import { main as building } from './docs-samples/building';
import { main as firstModel } from './docs-samples/first-model';
import { main as kernelsInfo } from './docs-samples/kernels-info';
import { main as kerasFiles } from './docs-samples/keras-files';
import { main as kerasMapping } from './docs-samples/keras-mapping';
import { main as masking } from './docs-samples/masking';
import { main as modelFromJson } from './docs-samples/model-from-json';
import { main as rawText } from './docs-samples/raw-text';
import { main as saving } from './docs-samples/saving';
import { main as stateful } from './docs-samples/stateful';
import { main as stepper } from './docs-samples/stepper';
import { main as tfjsInterop } from './docs-samples/tfjs-interop';
import { main as training } from './docs-samples/training';

const maxDifference = (a: number[], b: number[]) => Math.max(...a.map((v, i) => Math.abs(v - b[i])));

describe('docs code samples run', () => {
  let log: jest.SpyInstance;
  beforeAll(() => {
    log = jest.spyOn(console, 'log').mockImplementation(() => undefined);
  });
  afterAll(() => log.mockRestore());

  test('first-model: the LSTM learns the sign of the sum', async () => {
    expect(await firstModel()).toBeGreaterThan(0.8);
  });

  test('model-from-json: the JSON model has the same layers', () => {
    const m = modelFromJson();
    expect(m.layers.map((l) => l.className)).toEqual(['LSTM', 'Dense']);
    expect(m.countParams()).toBe(1169);
    m.dispose();
  });

  test('building: the three styles build models', () => {
    expect(building()).toEqual([69347, 38534, 113]);
  });

  test('masking: padding changes nothing', () => {
    const r = masking();
    expect(maxDifference(r.padded, r.alone)).toBeLessThan(1e-5);
    expect(maxDifference(r.masked, r.unpadded)).toBeLessThan(1e-5);
  });

  test('stateful: three chunks give what the whole sequence gives', () => {
    const r = stateful();
    expect(maxDifference(r.whole, r.chunked)).toBeLessThan(1e-5);
  });

  test('stepper: one step per call gives what predict gives at the last step', () => {
    const r = stepper();
    expect(r.stepped).toHaveLength(20);
    expect(maxDifference(r.stepped, r.whole)).toBeLessThan(1e-5);
  });

  test('bidirectional: merge modes give the documented shapes', () => {
    expect(bidirectional()).toEqual([[2, 32], [2, 16], [2, 16], [2, 16]]);
  });

  test('training: callbacks run and GradientMonitor sees every timestep', async () => {
    const r = await training();
    expect(r.epochs).toBeGreaterThan(0);
    expect(r.timesteps).toBe(30);
  });

  test('backup: a run resumed after a crash ends with the weights of an uninterrupted one', async () => {
    expect(await backup()).toEqual({ sameWeights: true, files: ['history.csv', 'history.json', 'plots', 'report.html'] });
  });

  test('attention: the documented shapes, no weight on padded document steps', () => {
    const r = attention();
    expect(r.shapes).toEqual([[1, 3, 16], [1, 3, 5], [1, 3, 16], [1, 3, 16]]);
    expect(r.weightsOfPadding).toBeLessThan(1e-6);
  });

  test('raw-text: the vocabulary adapt learns, the ids of a new text, the same prediction after loading', async () => {
    const r = await rawText();
    expect(r.vocabulary.slice(0, 6)).toEqual(['', '[UNK]', 'noon', 'money', 'free', 'at']);
    expect(r.ids).toEqual([[4, 10, 5, 2]]);
    expect(r.sameAfterLoading).toBe(true);
  });

  test('saving: files, identical outputs after loading', async () => {
    const r = await saving();
    expect(r.files).toEqual(['model.json', 'optimizer.bin', 'optimizer.json', 'weights.bin']);
    expect(r.sameOutput).toBe(true);
  });

  test('tfjs-interop: @tensorflow/tfjs computes the same outputs; GRU reset_after=true is refused for tfjs', async () => {
    const r = await tfjsInterop();
    expect(r.lstmDifference).toBeLessThan(1e-5);
    expect(r.gruDifference).toBeLessThan(1e-5);
    expect(r.resetAfterError).toContain('resetAfter: false');
  });

  test('keras-files: .keras and .weights.h5 round trips are exact, the archive checks clean, compiled', async () => {
    expect(await kerasFiles()).toEqual({ sameOutput: true, sameAfterLoadWeights: true, problems: 0, compiled: true });
  });

  test('kernels-info: reports the implementation and leaves it as it was', () => {
    const before = kernels.info().implementation;
    expect(['native', 'typescript']).toContain(kernelsInfo().implementation);
    expect(kernels.info().implementation).toBe(before);
  });

  test('keras-mapping: every row of the recurrent column executes', async () => {
    expect(await kerasMapping()).toBe('all ok');
  });
});

describe('docs are in sync with the code', () => {
  let restoreTty: () => void;
  beforeAll(() => {
    // Help text wraps to the terminal width: generate it as a pipe sees it, like the generator script.
    const had = Object.getOwnPropertyDescriptor(process.stdout, 'isTTY');
    Object.defineProperty(process.stdout, 'isTTY', { value: false, configurable: true });
    restoreTty = () => (had ? Object.defineProperty(process.stdout, 'isTTY', had) : delete (process.stdout as { isTTY?: boolean }).isTTY);
  });
  afterAll(() => restoreTty());

  test('generated pages and embedded samples are up to date (node examples/dist/docs-tools/generate_docs.js)', async () => {
    const pages = await generatedDocs();
    for (const page of GUIDE_PAGES) expect(Object.keys(pages)).toContain(page);
    for (const [page, expected] of Object.entries(pages)) {
      const actual = fs.readFileSync(path.join(docsDir(), page), 'utf8');
      expect({ page, upToDate: actual === expected }).toEqual({ page, upToDate: true });
    }
  });

  test('every sample a page embeds is run by this file', () => {
    const run = ['first-model', 'first-model.json', 'model-from-json', 'building', 'masking', 'stateful', 'stepper', 'bidirectional', 'training', 'backup', 'saving', 'tfjs-interop', 'keras-files', 'kernels-info', 'attention', 'raw-text'];
    for (const page of GUIDE_PAGES) {
      for (const ref of sampleRefs(fs.readFileSync(path.join(docsDir(), page), 'utf8'))) {
        if (!ref.file.startsWith('docs-samples/')) continue; // regions of examples run in examples.smoke.test.ts
        expect(run).toContain(path.basename(ref.file).replace(/\.ts$/, ''));
      }
    }
  });

  test('the Keras mapping names only things @recurrent/core or @recurrent/kernels export', () => {
    const text = fs.readFileSync(path.join(docsDir(), 'keras-mapping.md'), 'utf8');
    const exported = new Set([...Object.keys(core), ...Object.keys(kernels)]);
    const names = new Set<string>();
    for (const row of text.split('\n').filter((l) => l.startsWith('| ') && !l.startsWith('| Keras') && !l.startsWith('| ---'))) {
      const right = row.split(' | ').slice(1).join(' | ');
      for (const span of right.matchAll(/`([^`]+)`/g)) {
        for (const m of span[1].matchAll(/(?:^|[^.\w])(?:new\s+)?([A-Za-z_]\w*)\s*\(/g)) {
          if (!['class', 'extends'].includes(m[1])) names.add(m[1]);
        }
      }
    }
    names.delete('fn'); // placeholders in prose, not API
    const missing = [...names].filter((n) => !exported.has(n));
    expect(missing).toEqual([]);
    expect(names.size).toBeGreaterThan(40);
    expect(Object.keys(core.layers)).toContain('lstm');
  });

  test('relative links in docs/ and the example READMEs point at existing files', () => {
    const root = path.dirname(docsDir());
    const pages = [
      ...fs.readdirSync(docsDir()).filter((f) => f.endsWith('.md')).map((f) => path.join(docsDir(), f)),
      ...fs.readdirSync(__dirname).map((d) => path.join(__dirname, d, 'README.md')).filter((f) => fs.existsSync(f)),
    ];
    const broken: string[] = [];
    for (const page of pages) {
      for (const m of fs.readFileSync(page, 'utf8').matchAll(/\]\(([^)\s]+)\)/g)) {
        const target = m[1].split('#')[0];
        if (target === '' || /^[a-z]+:/.test(target)) continue;
        if (!fs.existsSync(path.resolve(path.dirname(page), target))) broken.push(`${path.relative(root, page)} -> ${m[1]}`);
      }
    }
    expect(broken).toEqual([]);
  });

  test('anchors of links between Markdown pages name headings that exist', () => {
    const root = path.dirname(docsDir());
    const pages = [path.join(root, 'README.md'), ...fs.readdirSync(docsDir()).filter((f) => f.endsWith('.md')).map((f) => path.join(docsDir(), f))];
    const broken: string[] = [];
    for (const page of pages) {
      for (const m of fs.readFileSync(page, 'utf8').matchAll(/\]\(([^)\s]*)#([^)\s]+)\)/g)) {
        if (/^[a-z]+:/.test(m[1]) || (m[1] !== '' && !m[1].endsWith('.md'))) continue;
        const target = m[1] === '' ? page : path.resolve(path.dirname(page), m[1]);
        if (!fs.existsSync(target) || !headingAnchors(fs.readFileSync(target, 'utf8')).has(m[2])) broken.push(`${path.relative(root, page)} -> ${m[1]}#${m[2]}`);
      }
    }
    expect(broken).toEqual([]);
  });
});

/** Explicit `<a id>` anchors and GitHub's anchors of a page's headings: lower case, punctuation dropped, spaces as dashes, repeats numbered. */
function headingAnchors(markdown: string): Set<string> {
  const anchors = new Set<string>();
  const seen = new Map<string, number>();
  let fenced = false;
  for (const line of markdown.split('\n')) {
    if (line.startsWith('```')) fenced = !fenced;
    if (fenced) continue;
    for (const id of line.matchAll(/<a id="([^"]+)"><\/a>/g)) anchors.add(id[1]);
    const heading = /^#{1,6}\s+(.*)$/.exec(line);
    if (!heading) continue;
    const base = heading[1].trim().toLowerCase().replace(/[^\p{L}\p{N}\s_-]/gu, '').replace(/\s/g, '-');
    const count = seen.get(base) ?? 0;
    seen.set(base, count + 1);
    anchors.add(count === 0 ? base : `${base}-${count}`);
  }
  return anchors;
}
