import { InputLayer, type InputLayerArgs } from '../engine/input_layer';
import { Activation, Dense, Dropout, Embedding, Flatten, Masking, RepeatVector, Reshape, SpatialDropout1D } from './core';
import { Add, Average, Concatenate, Dot, Maximum, Minimum, Multiply, Subtract } from './merging';
import { AveragePooling1D, GlobalAveragePooling1D, GlobalMaxPooling1D, MaxPooling1D } from './pooling';
import { Conv1D } from './convolutional';
import { Cropping1D, Permute, UpSampling1D, ZeroPadding1D } from './reshaping';
import { ELU, LeakyReLU, PReLU, ReLU, Softmax } from './activations';
import { BatchNormalization, LayerNormalization } from './normalization';
import { ActivityRegularization, GaussianDropout, GaussianNoise } from './regularization';
import { AdditiveAttention, Attention, MultiHeadAttention } from './attention';
import { StringLookup, TextVectorization } from './preprocessing';
import { TimeDistributed } from './wrappers/time_distributed';
import { Bidirectional } from './wrappers/bidirectional';
import { GRU, GRUCell, LSTM, LSTMCell, RNN, SimpleRNN, SimpleRNNCell, StackedRNNCells } from './rnn';

export * from './core';
export * from './convolutional';
export * from './activations';
export * from './normalization';
export * from './regularization';
export * from './merging';
export * from './pooling';
export * from './reshaping';
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
  subtract: (args: Args<typeof Subtract> = {}) => new Subtract(args),
  multiply: (args: Args<typeof Multiply> = {}) => new Multiply(args),
  average: (args: Args<typeof Average> = {}) => new Average(args),
  maximum: (args: Args<typeof Maximum> = {}) => new Maximum(args),
  minimum: (args: Args<typeof Minimum> = {}) => new Minimum(args),
  dot: (args: Args<typeof Dot>) => new Dot(args),
  permute: (args: Args<typeof Permute>) => new Permute(args),
  conv1d: (args: Args<typeof Conv1D>) => new Conv1D(args),
  maxPooling1d: (args: Args<typeof MaxPooling1D> = {}) => new MaxPooling1D(args),
  averagePooling1d: (args: Args<typeof AveragePooling1D> = {}) => new AveragePooling1D(args),
  zeroPadding1d: (args: Args<typeof ZeroPadding1D> = {}) => new ZeroPadding1D(args),
  cropping1d: (args: Args<typeof Cropping1D> = {}) => new Cropping1D(args),
  upSampling1d: (args: Args<typeof UpSampling1D> = {}) => new UpSampling1D(args),
  globalAveragePooling1d: (args: Args<typeof GlobalAveragePooling1D> = {}) => new GlobalAveragePooling1D(args),
  globalMaxPooling1d: (args: Args<typeof GlobalMaxPooling1D> = {}) => new GlobalMaxPooling1D(args),
  layerNormalization: (args: Args<typeof LayerNormalization> = {}) => new LayerNormalization(args),
  batchNormalization: (args: Args<typeof BatchNormalization> = {}) => new BatchNormalization(args),
  softmax: (args: Args<typeof Softmax> = {}) => new Softmax(args),
  reLU: (args: Args<typeof ReLU> = {}) => new ReLU(args),
  leakyReLU: (args: Args<typeof LeakyReLU> = {}) => new LeakyReLU(args),
  prelu: (args: Args<typeof PReLU> = {}) => new PReLU(args),
  elu: (args: Args<typeof ELU> = {}) => new ELU(args),
  gaussianNoise: (args: Args<typeof GaussianNoise>) => new GaussianNoise(args),
  gaussianDropout: (args: Args<typeof GaussianDropout>) => new GaussianDropout(args),
  activityRegularization: (args: Args<typeof ActivityRegularization> = {}) => new ActivityRegularization(args),
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
