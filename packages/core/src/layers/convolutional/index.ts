export * from './conv_utils';
export * from './conv1d';
