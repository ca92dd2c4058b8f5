/** Names of the Keras file formats, shared by the readers and the writers. */

/** Entries of a `.keras` archive (keras/src/saving/saving_lib.py). */
export const KERAS_CONFIG = 'config.json';
export const KERAS_METADATA = 'metadata.json';
export const KERAS_WEIGHTS = 'model.weights.h5';

/** What a path names by its extension: a Keras archive, a Keras HDF5 file, or neither (a folder or a model.json). */
export function kerasFileKind(location: unknown): '.keras' | '.h5' | null {
  if (typeof location !== 'string') return null;
  const lower = location.toLowerCase();
  if (lower.endsWith('.keras')) return '.keras';
  if (lower.endsWith('.h5') || lower.endsWith('.hdf5')) return '.h5';
  return null;
}
