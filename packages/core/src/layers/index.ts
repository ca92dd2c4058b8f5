import { InputLayer, type InputLayerArgs } from '../engine/input_layer';
import { Activation, Dense, Dropout, Embedding, Flatten, Masking, RepeatVector, Reshape, SpatialDropout1D } from './core';
import { Add, Concatenate } from './merging';
import { GlobalAveragePooling1D, GlobalMaxPooling1D } from './pooling';
import { AdditiveAttention, Attention, MultiHeadAttention } from './attention';
import { StringLookup, TextVectorization } from './preprocessing';
import { TimeDistributed } from './wrappers/time_distributed';
import { Bidirectional } from './wrappers/bidirectional';
import { GRU, GRUCell, LSTM, LSTMCell, RNN, SimpleRNN, SimpleRNNCell, StackedRNNCells } from './rnn';

export * from './core';
export * from './merging';
export * from './pooling';
export * from './attention';
export * from './preprocessing';
export * from './wrappers/time_distributed';
export * from './wrappers/bidirectional';
export * from './rnn';

type Args<C extends abstract new (...args: any) => unknown> = ConstructorParameters<C>[0];

/** Factory functions for every layer, tfjs-style: `layers.lstm({ units: 64 })`. */
export const layers = {
  inputLayer: (args: InputLayerArgs) => new InputLayer(args),
  dense: (args: Args<typeof Dense>) => new Dense(args),
  embedding: (args: Args<typeof Embedding>) => new Embedding(args),
  masking: (args: Args<typeof Masking> = {}) => new Masking(args),
  dropout: (args: Args<typeof Dropout>) => new Dropout(args),
  spatialDropout1d: (args: Args<typeof SpatialDropout1D>) => new SpatialDropout1D(args),
  activation: (args: Args<typeof Activation>) => new Activation(args),
  flatten: (args: Args<typeof Flatten> = {}) => new Flatten(args),
  reshape: (args: Args<typeof Reshape>) => new Reshape(args),
  repeatVector: (args: Args<typeof RepeatVector>) => new RepeatVector(args),
  timeDistributed: (args: Args<typeof TimeDistributed>) => new TimeDistributed(args),
  concatenate: (args: Args<typeof Concatenate> = {}) => new Concatenate(args),
  add: (args: Args<typeof Add> = {}) => new Add(args),
  globalAveragePooling1d: (args: Args<typeof GlobalAveragePooling1D> = {}) => new GlobalAveragePooling1D(args),
  globalMaxPooling1d: (args: Args<typeof GlobalMaxPooling1D> = {}) => new GlobalMaxPooling1D(args),
  attention: (args: Args<typeof Attention> = {}) => new Attention(args),
  additiveAttention: (args: Args<typeof AdditiveAttention> = {}) => new AdditiveAttention(args),
  multiHeadAttention: (args: Args<typeof MultiHeadAttention>) => new MultiHeadAttention(args),
  textVectorization: (args: Args<typeof TextVectorization> = {}) => new TextVectorization(args),
  stringLookup: (args: Args<typeof StringLookup> = {}) => new StringLookup(args),
  simpleRNN: (args: Args<typeof SimpleRNN>) => new SimpleRNN(args),
  lstm: (args: Args<typeof LSTM>) => new LSTM(args),
  gru: (args: Args<typeof GRU>) => new GRU(args),
  rnn: (args: Args<typeof RNN>) => new RNN(args),
  simpleRNNCell: (args: Args<typeof SimpleRNNCell>) => new SimpleRNNCell(args),
  lstmCell: (args: Args<typeof LSTMCell>) => new LSTMCell(args),
  gruCell: (args: Args<typeof GRUCell>) => new GRUCell(args),
  stackedRNNCells: (args: Args<typeof StackedRNNCells>) => new StackedRNNCells(args),
  bidirectional: (args: Args<typeof Bidirectional>) => new Bidirectional(args),
};
