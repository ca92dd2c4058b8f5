export * from './zero_padding1d';
export * from './cropping1d';
export * from './up_sampling1d';
export * from './permute';
