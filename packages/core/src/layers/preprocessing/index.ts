export * from './string_lookup';
export * from './text_vectorization';
export { TokenCounts } from './vocabulary';
