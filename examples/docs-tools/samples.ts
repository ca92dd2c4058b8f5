/**
 * Code samples in the docs are copies of files that are compiled and run (examples/docs-samples/*.ts,
 * or a marked region of an example). A Markdown block written as
 *
 *   <!-- sample: docs-samples/first-model.ts -->       (a whole file, path from examples/)
 *   <!-- sample: g2p-seq2seq/run.ts#seq2seq-models --> (the lines between "// docs:start seq2seq-models"
 *   ```ts                                               and "// docs:end seq2seq-models")
 *   ...
 *   ```
 *
 * gets its fenced code replaced by the file's current text, so the docs cannot drift from code that runs.
 */
const SAMPLE_BLOCK = /(<!-- sample: ([^\s#]+)(?:#([\w-]+))? -->\n```(\w*)\n)([\s\S]*?)(\n```)/g;

/** The lines of `text` between the region markers, without the common indentation. */
export function region(text: string, name: string, file: string): string {
  const lines = text.split('\n');
  const start = lines.findIndex((l) => l.trim() === `// docs:start ${name}`);
  const end = lines.findIndex((l, i) => i > start && l.trim() === `// docs:end ${name}`);
  if (start < 0 || end < 0) throw new Error(`${file}: no region '${name}' (// docs:start ${name} ... // docs:end ${name})`);
  const body = lines.slice(start + 1, end);
  const indent = Math.min(...body.filter((l) => l.trim() !== '').map((l) => l.length - l.trimStart().length));
  return body.map((l) => l.slice(indent)).join('\n');
}

export interface SampleRef {
  file: string;
  region: string | null;
}

/** The samples a Markdown text embeds. */
export function sampleRefs(markdown: string): SampleRef[] {
  return [...markdown.matchAll(SAMPLE_BLOCK)].map((m) => ({ file: m[2], region: m[3] ?? null }));
}

/** The Markdown with every sample block refreshed from `read(file)` (a path relative to examples/). */
export function embedSamples(markdown: string, read: (file: string) => string): string {
  return markdown.replace(SAMPLE_BLOCK, (_all, open: string, file: string, name: string | undefined, _lang: string, _old: string, close: string) => {
    const text = read(file);
    const code = name === undefined ? text.replace(/\n+$/, '') : region(text, name, file);
    return `${open}${code}${close}`;
  });
}
