// Runs one expression of every row of docs/keras-mapping.md's recurrent column, so the table stays true.
import * as tf from '@tensorflow/tfjs';
import {
  Sequential, sequential, input, model, SimpleRNN, LSTM, GRU, RNN, LSTMCell, GRUCell, StackedRNNCells, Bidirectional, TimeDistributed,
  Embedding, Masking, Dense, Dropout, SpatialDropout1D, Activation, RepeatVector, Flatten, Reshape, Concatenate, Add,
  GlobalAveragePooling1D, GlobalMaxPooling1D, Conv1D, MaxPooling1D, AveragePooling1D, ZeroPadding1D, Cropping1D, UpSampling1D, Permute,
  Multiply, Subtract, Average, Maximum, Minimum, Dot, LayerNormalization, BatchNormalization, Softmax, ReLU, LeakyReLU, PReLU, ELU,
  GaussianNoise, GaussianDropout, ActivityRegularization, layers, Adam, SGD, RMSprop, AdamW, Adagrad, ExponentialDecay, EarlyStopping, ModelCheckpoint,
  ReduceLROnPlateau, LearningRateScheduler, CSVLogger, TerminateOnNaN, Callback, GradientMonitor, modelToJSON, modelFromJSON, saveModel, loadModel,
  padSequences, toCategorical, Tokenizer, setSeed, Attention, AdditiveAttention, MultiHeadAttention, TextVectorization, StringLookup,
  type SymbolicTensor,
} from '@recurrent/core';
export async function main(): Promise<string> {
  const a = input({ shape: [null, 8] }); const b = input({ batchShape: [4, null, 8] }); void b;
  const l = new LSTM({ units: 64, returnSequences: true });
  const x = l.apply(a) as SymbolicTensor;
  const [o, h, c] = new LSTM({ units: 64, returnState: true }).apply(x) as SymbolicTensor[];
  void o;
  const m = model({ inputs: a, outputs: h });
  m.summary(80, () => undefined); m.getLayer(l.name); m.getWeights(); m.countParams(); LSTM.fromConfig(l.getConfig());
  new SimpleRNN({ units: 128 }); new GRU({ units: 32, resetAfter: false }); new LSTM({ units: 64, goBackwards: true });
  new LSTM({ units: 64, stateful: true, batchInputShape: [8, null, 3] }); new LSTM({ units: 64, dropout: 0.2, recurrentDropout: 0.2 });
  new LSTM({ units: 64, recurrentInitializer: { className: 'Orthogonal', config: { gain: 2 } } });
  new LSTM({ units: 64, kernelRegularizer: { className: 'L2', config: { l2: 1e-4 } } });
  new LSTM({ units: 64, useFused: false });
  new RNN({ cell: new LSTMCell({ units: 64 }) }); new RNN({ cell: [new GRUCell({ units: 32 }), new GRUCell({ units: 32 })] });
  new StackedRNNCells({ cells: [new GRUCell({ units: 3 })] });
  new Bidirectional({ layer: new LSTM({ units: 64 }), mergeMode: 'sum' }); new TimeDistributed({ layer: new Dense({ units: 5 }) });
  new Embedding({ inputDim: 10000, outputDim: 64, maskZero: true }); new Masking({ maskValue: 0 }); new Dense({ units: 10, activation: 'softmax' });
  new Dropout({ rate: 0.5 }); new SpatialDropout1D({ rate: 0.2 }); new Activation({ activation: 'relu' }); new RepeatVector({ n: 7 });
  new Flatten(); new Reshape({ targetShape: [4, 8] }); new Concatenate({ axis: -1 }).apply([h, c]); new Add().apply([h, c]);
  new GlobalAveragePooling1D(); new GlobalMaxPooling1D(); layers.lstm({ units: 3 });
  new Conv1D({ filters: 64, kernelSize: 5, activation: 'relu' }); new Conv1D({ filters: 32, kernelSize: 3, padding: 'causal', dilationRate: 2 });
  new Conv1D({ filters: 32, kernelSize: 3, strides: 2, padding: 'same', groups: 4 });
  new MaxPooling1D({ poolSize: 4 }); new AveragePooling1D({ poolSize: 2, strides: 1, padding: 'same' });
  new ZeroPadding1D({ padding: [1, 2] }); new Cropping1D({ cropping: 1 }); new UpSampling1D({ size: 2 }); new Permute({ dims: [2, 1] });
  new Multiply().apply([h, c]); new Subtract(); new Average(); new Maximum(); new Minimum();
  const query = input({ shape: [4, 8] }); const keys = input({ shape: [6, 8] });
  new Dot({ axes: [2, 2] }).apply([query, keys]); new Dot({ axes: 1, normalize: true });
  new LayerNormalization(); new BatchNormalization({ momentum: 0.9 });
  tf.tidy(() => { new Softmax({ axis: -1 }).apply(tf.ones([1, 2]), { mask: tf.tensor2d([[1, 0]]).cast('bool') }); });
  new ReLU({ maxValue: 6 }); new LeakyReLU({ negativeSlope: 0.1 }); new PReLU({ sharedAxes: [1] }); new ELU({ alpha: 1 });
  new GaussianNoise({ stddev: 0.1 }); new GaussianDropout({ rate: 0.2 }); new ActivityRegularization({ l2: 1e-4 });
  sequential({ layers: [] }); new Sequential({ layers: [] }); setSeed(1);
  const q = input({ shape: [3, 8] }); const value = input({ shape: [5, 8] }); const key = input({ shape: [5, 8] });
  new Attention().apply([q, value]); new Attention({ useScale: true, scoreMode: 'concat' }); new AdditiveAttention().apply([q, value, key]);
  const dropped = new Attention({ dropout: 0.1 }); const qs = tf.ones([2, 3, 8]); const vs = tf.ones([2, 5, 8]);
  tf.dispose([dropped.apply([qs, vs], { training: true }), dropped.apply([qs, vs], { returnAttentionScores: true }), dropped.apply([qs, vs], { useCausalMask: true })]);
  new MultiHeadAttention({ numHeads: 4, keyDim: 16 }).apply([q, value]);
  new MultiHeadAttention({ numHeads: 2, keyDim: 8, valueDim: 4, outputShape: 32 }).apply([q, value, key]);
  const mha = new MultiHeadAttention({ numHeads: 2, keyDim: 4 }); const m3 = tf.ones([2, 3, 5]);
  tf.dispose([mha.apply([qs, vs], { attentionMask: m3 }), qs, vs, m3]);
  const raw = input({ shape: [1], dtype: 'string' });
  const vectorize = new TextVectorization({ maxTokens: 20000, outputSequenceLength: 200 }); vectorize.adapt(['some text', 'more text']);
  const textModel = model({ inputs: raw, outputs: vectorize.apply(raw) as SymbolicTensor });
  new TextVectorization({ standardize: 'lower', split: 'character', ngrams: 2 }); new TextVectorization({ outputMode: 'multi_hot' });
  vectorize.getVocabulary(); vectorize.vocabularySize();
  new StringLookup({ vocabulary: ['a', 'b'], numOovIndices: 2 }); new StringLookup({ maskToken: '', outputMode: 'one_hot' });
  new StringLookup({ vocabulary: ['a', 'b'], invert: true });
  const someText = tf.tensor(['some text']); tf.dispose([textModel.predict(someText), someText]);
  const s = new Sequential({ layers: [new LSTM({ units: 2, inputShape: [3, 1] }), new Dense({ units: 1, activation: 'sigmoid' })] });
  s.compile({ optimizer: 'adam', loss: 'mse', metrics: ['mae'] });
  const X = tf.ones([4, 3, 1]); const Y = tf.ones([4, 1]);
  const hist = await s.fit(X, Y, { batchSize: 32, epochs: 1, validationSplit: 0.25, verbose: 0 });
  hist.history.val_loss;
  await s.fit(X, Y, { validationData: [X, Y], shuffle: false, verbose: 0 });
  await s.fit(X, Y, { classWeight: { 0: 1, 1: 3 }, verbose: 0 });
  await s.evaluate(X, Y); tf.dispose(s.predict(X)); s.trainOnBatch(X, Y); s.resetStates();
  new Adam({ learningRate: 1e-3 }); new SGD({ learningRate: 0.01, momentum: 0.9, nesterov: true }); new RMSprop(); new AdamW(); new Adagrad();
  new Adam({ clipnorm: 1 }); new Adam({ globalClipnorm: 1 }); new Adam({ clipvalue: 0.5 });
  new ExponentialDecay({ initialLearningRate: 1e-3, decaySteps: 1000, decayRate: 0.9 });
  new EarlyStopping({ monitor: 'val_loss', patience: 3, restoreBestWeights: true }); new ModelCheckpoint({ filepath: 'ckpt/epoch{epoch}' });
  new ReduceLROnPlateau({ factor: 0.5, patience: 2 }); new LearningRateScheduler((epoch, lr) => lr * 0.9);
  new CSVLogger({ filename: 'log.csv' }); new TerminateOnNaN(); class MyCallback extends Callback {} void MyCallback; new GradientMonitor();
  modelToJSON(s, { dialect: 'tfjs' }); modelFromJSON(modelToJSON(s)); void saveModel; void loadModel;
  padSequences([[1, 2]], { maxLen: 50, padding: 'post' }); toCategorical([1, 2], 10);
  const t = new Tokenizer({ numWords: 10000, oovToken: '<oov>' }); new Tokenizer({ level: 'char' });
  t.fitOnTexts(['a b']); t.textsToSequences(['a b']);
  tf.dispose([X, Y]);
  return 'all ok';
}

if (require.main === module) main().then(console.log);
