export * from './softmax';
export * from './relu';
export * from './leaky_relu';
export * from './prelu';
export * from './elu';
