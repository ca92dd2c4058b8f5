/** Paths inside JSON documents, written the way a user reads them: `layers[2].config.units`. */

export type PathSegment = string | number;

/** Joins segments: numbers become `[i]`, names become `.name` (no dot at the start). */
export function formatPath(segments: readonly PathSegment[]): string {
  let out = '';
  for (const segment of segments) {
    if (typeof segment === 'number') out += `[${segment}]`;
    else out += out === '' ? segment : `.${segment}`;
  }
  return out;
}

/** Appends a key or an index to a formatted path. */
export function joinPath(base: string, segment: PathSegment): string {
  if (typeof segment === 'number') return `${base}[${segment}]`;
  return base === '' ? segment : `${base}.${segment}`;
}
