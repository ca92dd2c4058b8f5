export * from './base_dense_attention';
export * from './attention';
export * from './additive_attention';
export * from './multi_head_attention';
