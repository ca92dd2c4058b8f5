/** @recurrent/cli: the `recurrent` command, also usable from code. */
export { run, main } from './main';
export { experimentSchema, fitSectionSchema, generateSectionSchema, type Experiment } from './experiment/experiment_schema';
export { dataSchema, type DataSection } from './experiment/data_schema';
export { experimentJsonSchema } from './experiment/json_schema';
export { loadExperiment } from './experiment/load_experiment';
export { TEMPLATES } from './templates';
