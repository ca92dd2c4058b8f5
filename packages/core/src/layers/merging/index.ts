export * from './merge';
export * from './add';
export * from './concatenate';
