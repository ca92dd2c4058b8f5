/**
 * Saving and loading: TensorFlow.js layers-model folders (atomic saving, checked loading, optimizer state for
 * exact resumption) and Keras files (.keras archives, Keras 2 .h5, .weights.h5).
 */
export { saveModel, type SaveModelOptions } from './save_model';
export { loadModel, loadModelSync, type LoadModelOptions } from './load_model';
export { loadWeights, saveWeights } from './keras/keras_weights';
export { checkModelFiles, type CheckModelFilesOptions, type ModelFilesCheck } from './check_model_files';
export { readModelFiles, DEFAULT_READ_LIMITS, type ReadLimits, type ModelFiles } from './read_model_files';
export {
  FileAccessError, closeFile, openRegularFile, readPieces, readRegularFile, READ_PIECE_BYTES, type LinkPolicy, type OpenOptions, type OpenedFile,
} from './safe_files';
