/**
 * Sequence to sequence: grapheme-to-phoneme conversion on the CMU Pronouncing Dictionary. An LSTM
 * encoder reads the letters of a word; its final states (h, c) start an LSTM decoder that writes the
 * phonemes (stress digits removed). Training uses teacher forcing: the decoder reads the true previous
 * phoneme at every step. Inference is greedy: a separate encoder model and a one-step decoder model,
 * built from the same trained layers, feed each predicted phoneme back in until <end>.
 * The score is the phoneme error rate (edit distance / reference length) on held-out words.
 *
 *   node examples/dist/g2p-seq2seq/run.js [--smoke] [--seed N]
 */
import * as tf from '@tensorflow/tfjs';
import { Adam, Dense, Embedding, LSTM, Model, input, model, padSequences, setSeed } from '@recurrent/core';
import { Pronunciation, baseOf, loadPronunciations, splitEntries } from '../shared/cmudict';
import { call1, callN, states } from '../shared/graph';
import { ExampleOptions, runMain } from '../shared/options';
import { environment, fmt, writeJson } from '../shared/results';
import '../shared/cpu_kernel_workarounds';
import { argmaxAt, tokenEditDistance } from '../shared/sequence_metrics';
import { Stopwatch } from '../shared/stopwatch';

const MAX_LETTERS = 12;
const MAX_PHONEMES = 12;
const START = 1;
const END = 2;

export interface G2PResults {
  words: { train: number; test: number };
  phonemeErrorRate: number;
  wordErrorRate: number;
  trainSeconds: number;
  decodeSeconds: number;
  history: Record<string, number[]>;
  samples: { word: string; truth: string; predicted: string }[];
}

interface Vocabulary {
  letters: Map<string, number>;
  phonemes: string[]; // index -> symbol; 0 '<pad>', 1 '<start>', 2 '<end>'
  phonemeIds: Map<string, number>;
}

function vocabulary(entries: Pronunciation[]): Vocabulary {
  const letters = new Map([...'ABCDEFGHIJKLMNOPQRSTUVWXYZ'].map((l, i) => [l, i + 1]));
  const phonemes = ['<pad>', '<start>', '<end>', ...[...new Set(entries.flatMap((e) => e.phonemes.map(baseOf)))].sort()];
  return { letters, phonemes, phonemeIds: new Map(phonemes.map((p, i) => [p, i])) };
}

/** Encoder letters, decoder inputs (<start> + phonemes) and decoder targets (phonemes + <end>), padded after. */
function encode(words: Pronunciation[], vocab: Vocabulary) {
  const targets = words.map((w) => w.phonemes.map((p) => vocab.phonemeIds.get(baseOf(p))!));
  return {
    letters: padSequences(words.map((w) => [...w.word].map((l) => vocab.letters.get(l)!)), { maxLen: MAX_LETTERS, padding: 'post' }),
    decoderIn: padSequences(targets.map((t) => [START, ...t]), { maxLen: MAX_PHONEMES + 1, padding: 'post' }),
    decoderOut: padSequences(targets.map((t) => [...t, END]), { maxLen: MAX_PHONEMES + 1, padding: 'post' }),
  };
}

// docs:start seq2seq-models
/** The training model and the two inference models that share its layers. */
function buildModels(vocab: Vocabulary, units: number): { training: Model; encoder: Model; decoderStep: Model } {
  const letterEmbedding = new Embedding({ inputDim: vocab.letters.size + 1, outputDim: 64, maskZero: true, name: 'letters' });
  const encoderLstm = new LSTM({ units, returnState: true, name: 'encoder' });
  const phonemeEmbedding = new Embedding({ inputDim: vocab.phonemes.length, outputDim: 64, maskZero: true, name: 'phonemes' });
  const decoderLstm = new LSTM({ units, returnSequences: true, returnState: true, name: 'decoder' });
  const readout = new Dense({ units: vocab.phonemes.length, activation: 'softmax', name: 'next_phoneme' });

  // Training graph: the encoder's final [h, c] are the decoder's initial state (teacher forcing).
  const word = input({ shape: [null], name: 'word' });
  const [, h, c] = callN(encoderLstm, call1(letterEmbedding, word));
  const previous = input({ shape: [null], name: 'previous_phonemes' });
  const [decoded] = callN(decoderLstm, call1(phonemeEmbedding, previous), { initialState: states(h, c) });
  const training = model({ inputs: [word, previous], outputs: call1(readout, decoded), name: 'g2p_training' });

  // Inference: encode once, then run the decoder one step at a time on its own states.
  const encoder = model({ inputs: word, outputs: [h, c], name: 'g2p_encoder' });
  const step = input({ shape: [1], name: 'phoneme' });
  const hIn = input({ shape: [units], name: 'h' });
  const cIn = input({ shape: [units], name: 'c' });
  const [stepOut, hOut, cOut] = callN(decoderLstm, call1(phonemeEmbedding, step), { initialState: states(hIn, cIn) });
  const decoderStep = model({ inputs: [step, hIn, cIn], outputs: [call1(readout, stepOut), hOut, cOut], name: 'g2p_decoder_step' });
  return { training, encoder, decoderStep };
}
// docs:end seq2seq-models

// docs:start seq2seq-decode
/** Greedy decoding of a batch of words: the most likely phoneme at each step, fed back in. */
function greedyDecode(encoder: Model, decoderStep: Model, letters: tf.Tensor, vocabSize: number): number[][] {
  const n = letters.shape[0];
  let [h, c] = encoder.predict(letters, { batchSize: 512 }) as tf.Tensor[];
  let previous = tf.fill([n, 1], START, 'int32');
  const outputs: number[][] = Array.from({ length: n }, () => []);
  const done = new Array<boolean>(n).fill(false);
  for (let t = 0; t <= MAX_PHONEMES && done.some((d) => !d); t++) {
    const [probabilities, h2, c2] = decoderStep.predict([previous, h, c], { batchSize: 512 }) as tf.Tensor[];
    const p = probabilities.dataSync();
    const next = new Int32Array(n);
    for (let i = 0; i < n; i++) {
      next[i] = argmaxAt(p, i * vocabSize, vocabSize);
      if (done[i]) continue;
      if (next[i] === END) done[i] = true;
      else outputs[i].push(next[i]);
    }
    tf.dispose([probabilities, previous, h, c]);
    [h, c, previous] = [h2, c2, tf.tensor2d(next, [n, 1], 'int32')];
  }
  tf.dispose([h, c, previous]);
  return outputs;
}
// docs:end seq2seq-decode

export async function run(options: ExampleOptions): Promise<G2PResults> {
  const settings = options.smoke
    ? { train: 300, test: 60, units: 32, epochs: 1, batchSize: 64 }
    : { train: 25000, test: 2000, units: 128, epochs: 20, batchSize: 128 };
  const timer = new Stopwatch();
  const entries = loadPronunciations().filter((p) => p.word.length <= MAX_LETTERS && p.phonemes.length <= MAX_PHONEMES);
  const { train, test } = splitEntries(entries, settings, options.seed);
  const vocab = vocabulary(entries);
  const trainSet = encode(train, vocab);
  const testSet = encode(test, vocab);
  options.log(`${train.length} training and ${test.length} test words; ${vocab.phonemes.length - 3} phonemes (${fmt(timer.lap('data'), 1)}s)`);

  setSeed(options.seed);
  const { training, encoder, decoderStep } = buildModels(vocab, settings.units);
  training.compile({ optimizer: new Adam({ learningRate: 0.002 }), loss: 'sparse_categorical_crossentropy', metrics: ['accuracy'] });
  if (!options.smoke) training.summary(98, options.log);
  const history = await training.fit([trainSet.letters, trainSet.decoderIn], trainSet.decoderOut, {
    epochs: settings.epochs,
    batchSize: settings.batchSize,
    validationSplit: 0.05,
    verbose: options.smoke ? 0 : 2,
  });
  const trainSeconds = timer.lap('train');

  const decoded = greedyDecode(encoder, decoderStep, testSet.letters, vocab.phonemes.length);
  const decodeSeconds = timer.lap('decode');
  let errors = 0;
  let length = 0;
  let wrongWords = 0;
  const truths = test.map((w) => w.phonemes.map(baseOf));
  const predictions = decoded.map((ids) => ids.map((id) => vocab.phonemes[id]));
  truths.forEach((truth, i) => {
    const d = tokenEditDistance(predictions[i], truth);
    errors += d;
    length += truth.length;
    if (d > 0) wrongWords++;
  });
  const results: G2PResults = {
    words: { train: train.length, test: test.length },
    phonemeErrorRate: errors / length,
    wordErrorRate: wrongWords / test.length,
    trainSeconds,
    decodeSeconds,
    history: Object.fromEntries(Object.entries(history.history).map(([k, v]) => [k, (v as number[]).map(Number)])),
    samples: test.slice(0, 15).map((w, i) => ({ word: w.word, truth: truths[i].join(' '), predicted: predictions[i].join(' ') })),
  };
  options.log(`phoneme error rate ${fmt(results.phonemeErrorRate)}, words with any error ${fmt(results.wordErrorRate)} on ${test.length} held-out words (trained ${fmt(trainSeconds, 1)}s, decoded ${fmt(decodeSeconds, 1)}s)`);
  if (!options.smoke) for (const s of results.samples) options.log(`${s.word.padEnd(MAX_LETTERS)} ${s.predicted.padEnd(36)} (dictionary: ${s.truth})`);
  tf.dispose([trainSet.letters, trainSet.decoderIn, trainSet.decoderOut, testSet.letters, testSet.decoderIn, testSet.decoderOut]);
  training.dispose();
  writeJson(options.outDir, 'results.json', { smoke: options.smoke, seed: options.seed, seconds: timer.total, environment: environment(), settings, ...results });
  return results;
}

if (require.main === module) runMain('g2p-seq2seq', run);
