/** Keras files (.keras archives, Keras 2 .h5) as ModelSources. */
import type { IssueCollector } from '../config/config_error';
import type { ModelSource } from './model_source';
import type { ReadLimits } from './read_model_files';

/** '.keras' / '.h5' for a path naming a Keras file, null otherwise (a folder or a model.json). */
export function kerasFileKind(location: string): '.keras' | '.h5' | null {
  if (typeof location !== 'string') return null;
  const lower = location.toLowerCase();
  if (lower.endsWith('.keras')) return '.keras';
  if (lower.endsWith('.h5') || lower.endsWith('.hdf5')) return '.h5';
  return null;
}

export async function openKerasFileSource(location: string, limits: ReadLimits, issues: IssueCollector): Promise<ModelSource> {
  void limits; void issues;
  throw new Error(`${location}: not implemented yet`);
}
