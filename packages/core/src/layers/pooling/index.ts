export * from './global_pooling1d';
export * from './global_average_pooling1d';
export * from './global_max_pooling1d';
export * from './pooling1d';
export * from './max_pooling1d';
export * from './average_pooling1d';
