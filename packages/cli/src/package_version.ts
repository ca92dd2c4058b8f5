import * as fs from 'fs';
import * as path from 'path';

/** This package's manifest, one folder up from src/ (and dist/), where this file is. */
const OWN_MANIFEST = path.join(__dirname, '..', 'package.json');

/**
 * The version in a package's package.json, read as data (not required as a module), or `fallback` when
 * the manifest cannot be read.
 */
export function packageVersion(name: string, fallback = 'unknown'): string {
  try {
    const manifest = name === '@recurrent/cli' ? OWN_MANIFEST : require.resolve(`${name}/package.json`);
    const version = (JSON.parse(fs.readFileSync(manifest, 'utf8')) as { version?: unknown }).version;
    return typeof version === 'string' ? version : fallback;
  } catch {
    return fallback;
  }
}
