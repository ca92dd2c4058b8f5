/**
 * Regenerates the generated parts of docs/: the code samples embedded in the guides, the CLI
 * reference (from the command's help) and the config reference (from docs/schema/*.json).
 *
 *   node examples/dist/docs-tools/generate_docs.js           # write docs/
 *   node examples/dist/docs-tools/generate_docs.js --check   # exit 1 if docs/ is out of date
 */
import * as fs from 'fs';
import * as path from 'path';
import { run as recurrent } from '@recurrent/cli';
import { examplesRoot } from '../shared/options';
import { cliReference } from './cli_markdown';
import { embedSamples } from './samples';
import { SchemaFiles, configReference } from './schema_markdown';

/** The hand-written pages whose sample blocks are refreshed. */
export const GUIDE_PAGES = ['getting-started.md', 'guide.md', 'keras-mapping.md', 'troubleshooting.md', 'bring-your-keras-model.md'];

export function docsDir(): string {
  return path.join(path.dirname(examplesRoot()), 'docs');
}

/** What `recurrent <args>` prints, as a non-terminal sees it (80 columns, no colours). */
export async function cliHelp(args: string[]): Promise<string> {
  let text = '';
  const code = await recurrent(args, { out: (t) => (text += t), err: (t) => (text += t), interactive: false });
  if (code !== 0) throw new Error(`recurrent ${args.join(' ')} exited with ${code}: ${text}`);
  return text;
}

function readSchemas(): SchemaFiles {
  const read = (name: string) => JSON.parse(fs.readFileSync(path.join(docsDir(), 'schema', `${name}.schema.json`), 'utf8'));
  return { experiment: read('experiment'), compile: read('compile'), fit: read('fit'), model: read('model'), layer: read('layer') };
}

/** Every generated page: file name in docs/ -> its expected content. */
export async function generatedDocs(): Promise<Record<string, string>> {
  const pages: Record<string, string> = {};
  const readSample = (file: string) => fs.readFileSync(path.join(examplesRoot(), file), 'utf8');
  for (const page of GUIDE_PAGES) {
    const file = path.join(docsDir(), page);
    if (fs.existsSync(file)) pages[page] = embedSamples(fs.readFileSync(file, 'utf8'), readSample);
  }
  pages['cli.md'] = await cliReference(cliHelp);
  pages['config-reference.md'] = configReference(readSchemas());
  return pages;
}

async function main(): Promise<void> {
  // Help text wraps to the terminal's width; generate it as a pipe sees it, whatever runs the script.
  Object.defineProperty(process.stdout, 'isTTY', { value: false, configurable: true });
  const check = process.argv.includes('--check');
  const stale: string[] = [];
  for (const [page, content] of Object.entries(await generatedDocs())) {
    const file = path.join(docsDir(), page);
    const current = fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : '';
    if (current === content) continue;
    stale.push(page);
    if (!check) fs.writeFileSync(file, content);
  }
  if (check && stale.length > 0) {
    console.error(`out of date in docs/: ${stale.join(', ')}; run node examples/dist/docs-tools/generate_docs.js`);
    process.exitCode = 1;
  } else {
    console.log(stale.length === 0 ? 'docs/ is up to date' : `updated docs/: ${stale.join(', ')}`);
  }
}

if (require.main === module) {
  main().catch((e: unknown) => {
    console.error(e);
    process.exitCode = 1;
  });
}
