export * from './layer_normalization';
export * from './batch_normalization';
