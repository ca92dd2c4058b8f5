/** TensorFlow.js layers-model files: atomic saving, checked loading, optimizer state for exact resumption. */
export { saveModel, type SaveModelOptions } from './save_model';
export { loadModel, loadModelSync, type LoadModelOptions } from './load_model';
export { readModelFiles, DEFAULT_READ_LIMITS, type ReadLimits, type ModelFiles } from './read_model_files';
export {
  FileAccessError, closeFile, openRegularFile, readPieces, readRegularFile, READ_PIECE_BYTES, type LinkPolicy, type OpenOptions, type OpenedFile,
} from './safe_files';
