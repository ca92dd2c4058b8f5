/**
 * Sequence to sequence: grapheme-to-phoneme conversion on the CMU Pronouncing Dictionary, without and
 * with attention, on the same words.
 *
 * Without: an LSTM encoder reads the letters of a word; its final states (h, c) start an LSTM decoder
 * that writes the phonemes (stress digits removed). With: a bidirectional LSTM encoder keeps its output
 * at every letter; at each step the decoder's output attends over those letter outputs (Luong's dot
 * scores, the Attention layer), and the context joins the decoder output before the readout.
 *
 * Training uses teacher forcing: the decoder reads the true previous phoneme at every step. Inference
 * is greedy: an encoder model and a one-step decoder model, built from the same trained layers, feed
 * each predicted phoneme back in until <end>. The score is the phoneme error rate (edit distance /
 * reference length) on held-out words; the attention weights of a few words are drawn as a heat map.
 *
 *   node examples/dist/g2p-seq2seq/run.js [--smoke] [--seed N]
 */
import * as fs from 'fs';
import * as path from 'path';
import * as tf from '@tensorflow/tfjs';
import {
  Adam, Attention, Bidirectional, Concatenate, Dense, Embedding, LSTM, Masking, Model, input, model, padSequences, setSeed,
} from '@recurrent/core';
import { Pronunciation, baseOf, loadPronunciations, splitEntries } from '../shared/cmudict';
import { call1, callN, states } from '../shared/graph';
import { ExampleOptions, runMain } from '../shared/options';
import { environment, fmt, writeJson } from '../shared/results';
import '../shared/cpu_kernel_workarounds';
import { argmaxAt, tokenEditDistance } from '../shared/sequence_metrics';
import { Stopwatch } from '../shared/stopwatch';
import { HeatmapPanel, heatmapSvg } from '../shared/svg_heatmap';

const MAX_LETTERS = 12;
const MAX_PHONEMES = 12;
const START = 1;
const END = 2;

export interface G2PModelResult {
  name: string;
  params: number;
  phonemeErrorRate: number;
  wordErrorRate: number;
  trainSeconds: number;
  decodeSeconds: number;
  history: Record<string, number[]>;
  samples: { word: string; truth: string; predicted: string }[];
}

export interface G2PResults {
  words: { train: number; test: number };
  /** Without attention, then with it: the same training and test words. */
  models: G2PModelResult[];
  /** The SVG of the attention weights of a few test words (in outDir). */
  attentionPlot: string;
}

/**
 * A trained sequence-to-sequence model and its two inference models. The encoder gives
 * `[...constants, h, c]`; the decoder step takes `[phoneme, ...constants, h, c]` and gives
 * `[probabilities, h, c]`, plus the attention weights when it has them.
 */
interface Seq2Seq {
  training: Model;
  encoder: Model;
  decoderStep: Model;
  /** Encoder outputs that every decoder step reads unchanged (the letter outputs attended over). */
  constants: number;
  attention: boolean;
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
function buildModels(vocab: Vocabulary, units: number): Seq2Seq {
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
  return { training, encoder, decoderStep, constants: 0, attention: false };
}
// docs:end seq2seq-models

// docs:start seq2seq-attention
/**
 * With attention: a bidirectional encoder (units/2 per direction, so the decoder keeps `units`) whose
 * output at every letter is attended over by each decoder step. The padded letters are masked out of
 * the attention: by the embedding's mask in training, and by Masking in the step model (the
 * bidirectional encoder outputs zeros at padded letters).
 */
function buildAttentionModels(vocab: Vocabulary, units: number): Seq2Seq {
  const letterEmbedding = new Embedding({ inputDim: vocab.letters.size + 1, outputDim: 64, maskZero: true, name: 'letters' });
  const encoderLstm = new Bidirectional({ layer: new LSTM({ units: units / 2, returnSequences: true, returnState: true }), name: 'encoder' });
  const joinH = new Concatenate({ name: 'encoder_h' });
  const joinC = new Concatenate({ name: 'encoder_c' });
  const phonemeEmbedding = new Embedding({ inputDim: vocab.phonemes.length, outputDim: 64, maskZero: true, name: 'phonemes' });
  const decoderLstm = new LSTM({ units, returnSequences: true, returnState: true, name: 'decoder' });
  const attention = new Attention({ name: 'attention' });
  const joinContext = new Concatenate({ name: 'context_and_output' });
  // Luong's attentional hidden state: tanh(W [context; decoder output]).
  const attentional = new Dense({ units, activation: 'tanh', name: 'attentional' });
  const readout = new Dense({ units: vocab.phonemes.length, activation: 'softmax', name: 'next_phoneme' });
  const decode = (phonemes: ReturnType<typeof input>, letters: ReturnType<typeof input>, h: ReturnType<typeof input>, c: ReturnType<typeof input>, scores: boolean) => {
    const [decoded, hOut, cOut] = callN(decoderLstm, call1(phonemeEmbedding, phonemes), { initialState: states(h, c) });
    const [context, weights] = scores ? callN(attention, [decoded, letters], { returnAttentionScores: true }) : [call1(attention, [decoded, letters])];
    const probabilities = call1(readout, call1(attentional, call1(joinContext, [context, decoded])));
    return { probabilities, hOut, cOut, weights };
  };

  const word = input({ shape: [null], name: 'word' });
  const [encoded, hForward, cForward, hBackward, cBackward] = callN(encoderLstm, call1(letterEmbedding, word));
  const h = call1(joinH, [hForward, hBackward]);
  const c = call1(joinC, [cForward, cBackward]);
  const previous = input({ shape: [null], name: 'previous_phonemes' });
  const training = model({ inputs: [word, previous], outputs: decode(previous, encoded, h, c, false).probabilities, name: 'g2p_attention_training' });

  const encoder = model({ inputs: word, outputs: [encoded, h, c], name: 'g2p_attention_encoder' });
  const step = input({ shape: [1], name: 'phoneme' });
  const letters = input({ shape: [null, units], name: 'encoded_letters' });
  const hIn = input({ shape: [units], name: 'h' });
  const cIn = input({ shape: [units], name: 'c' });
  const out = decode(step, call1(new Masking({ maskValue: 0, name: 'letter_mask' }), letters), hIn, cIn, true);
  const decoderStep = model({ inputs: [step, letters, hIn, cIn], outputs: [out.probabilities, out.hOut, out.cOut, out.weights!], name: 'g2p_attention_step' });
  return { training, encoder, decoderStep, constants: 1, attention: true };
}
// docs:end seq2seq-attention

// docs:start seq2seq-decode
/**
 * Greedy decoding of a batch of words: the most likely phoneme at each step, fed back in. With
 * attention, the weights of the words at `watch` are kept, one row per decoded phoneme.
 */
function greedyDecode(m: Seq2Seq, letters: tf.Tensor, vocabSize: number, watch: number[] = []): { ids: number[][]; weights: number[][][] } {
  const n = letters.shape[0];
  const encoded = m.encoder.predict(letters, { batchSize: 512 }) as tf.Tensor[];
  const constants = encoded.slice(0, m.constants);
  let [h, c] = encoded.slice(m.constants);
  let previous = tf.fill([n, 1], START, 'int32');
  const outputs: number[][] = Array.from({ length: n }, () => []);
  const weights: number[][][] = watch.map(() => []);
  const done = new Array<boolean>(n).fill(false);
  for (let t = 0; t <= MAX_PHONEMES && done.some((d) => !d); t++) {
    const [probabilities, h2, c2, attention] = m.decoderStep.predict([previous, ...constants, h, c], { batchSize: 512 }) as tf.Tensor[];
    const p = probabilities.dataSync();
    const next = new Int32Array(n);
    for (let i = 0; i < n; i++) {
      next[i] = argmaxAt(p, i * vocabSize, vocabSize);
      if (done[i]) continue;
      if (next[i] === END) done[i] = true;
      else outputs[i].push(next[i]);
    }
    if (attention) {
      const a = attention.arraySync() as number[][][];
      watch.forEach((i, k) => {
        if (outputs[i].length > weights[k].length) weights[k].push(a[i][0]);
      });
    }
    tf.dispose([probabilities, previous, h, c, ...(attention ? [attention] : [])]);
    [h, c, previous] = [h2, c2, tf.tensor2d(next, [n, 1], 'int32')];
  }
  tf.dispose([h, c, previous, ...constants]);
  return { ids: outputs, weights };
}
// docs:end seq2seq-decode

interface Data {
  train: Pronunciation[];
  test: Pronunciation[];
  vocab: Vocabulary;
  trainSet: ReturnType<typeof encode>;
  testSet: ReturnType<typeof encode>;
}

/** Trains one model, decodes the test words greedily and scores them. */
async function trainAndScore(
  name: string, m: Seq2Seq, data: Data, settings: { epochs: number; batchSize: number }, options: ExampleOptions, watch: number[],
): Promise<{ result: G2PModelResult; weights: number[][][]; predictions: string[][] }> {
  const timer = new Stopwatch();
  m.training.compile({ optimizer: new Adam({ learningRate: 0.002 }), loss: 'sparse_categorical_crossentropy', metrics: ['accuracy'] });
  if (!options.smoke) m.training.summary(98, options.log);
  const history = await m.training.fit([data.trainSet.letters, data.trainSet.decoderIn], data.trainSet.decoderOut, {
    epochs: settings.epochs,
    batchSize: settings.batchSize,
    validationSplit: 0.05,
    verbose: options.smoke ? 0 : 2,
  });
  const trainSeconds = timer.lap('train');
  const decoded = greedyDecode(m, data.testSet.letters, data.vocab.phonemes.length, watch);
  const decodeSeconds = timer.lap('decode');
  let errors = 0;
  let length = 0;
  let wrongWords = 0;
  const truths = data.test.map((w) => w.phonemes.map(baseOf));
  const predictions = decoded.ids.map((ids) => ids.map((id) => data.vocab.phonemes[id]));
  truths.forEach((truth, i) => {
    const d = tokenEditDistance(predictions[i], truth);
    errors += d;
    length += truth.length;
    if (d > 0) wrongWords++;
  });
  const result: G2PModelResult = {
    name,
    params: m.training.countParams(),
    phonemeErrorRate: errors / length,
    wordErrorRate: wrongWords / data.test.length,
    trainSeconds,
    decodeSeconds,
    history: Object.fromEntries(Object.entries(history.history).map(([k, v]) => [k, (v as number[]).map(Number)])),
    samples: data.test.slice(0, 15).map((w, i) => ({ word: w.word, truth: truths[i].join(' '), predicted: predictions[i].join(' ') })),
  };
  options.log(`${name}: phoneme error rate ${fmt(result.phonemeErrorRate)}, words with any error ${fmt(result.wordErrorRate)} on ${data.test.length} held-out words (trained ${fmt(trainSeconds, 1)}s, decoded ${fmt(decodeSeconds, 1)}s)`);
  if (!options.smoke) for (const sample of result.samples) options.log(`${sample.word.padEnd(MAX_LETTERS)} ${sample.predicted.padEnd(36)} (dictionary: ${sample.truth})`);
  return { result, weights: decoded.weights, predictions };
}

export async function run(options: ExampleOptions): Promise<G2PResults> {
  const settings = options.smoke
    ? { train: 300, test: 60, units: 32, epochs: 1, batchSize: 64 }
    : { train: 25000, test: 2000, units: 128, epochs: 20, batchSize: 128 };
  const timer = new Stopwatch();
  const entries = loadPronunciations().filter((p) => p.word.length <= MAX_LETTERS && p.phonemes.length <= MAX_PHONEMES);
  const { train, test } = splitEntries(entries, settings, options.seed);
  const vocab = vocabulary(entries);
  const data: Data = { train, test, vocab, trainSet: encode(train, vocab), testSet: encode(test, vocab) };
  options.log(`${train.length} training and ${test.length} test words; ${vocab.phonemes.length - 3} phonemes (${fmt(timer.lap('data'), 1)}s)`);

  // The attention weights of a few test words: the first ones of 7 to 10 letters.
  const watch = test.map((w, i) => [w.word.length, i]).filter(([len]) => len >= 7 && len <= 10).slice(0, 4).map(([, i]) => i);
  const results: G2PModelResult[] = [];
  let plot = '';
  for (const variant of [
    { name: 'LSTM encoder, no attention', build: buildModels },
    { name: 'bidirectional LSTM encoder + attention', build: buildAttentionModels },
  ]) {
    setSeed(options.seed);
    const m = variant.build(vocab, settings.units);
    const { result, weights, predictions } = await trainAndScore(variant.name, m, data, settings, options, watch);
    results.push(result);
    if (m.attention) plot = writeAttentionPlot(options.outDir, watch.map((i, k) => ({ word: test[i].word, phonemes: predictions[i], weights: weights[k] })));
    m.training.dispose();
  }
  tf.dispose([data.trainSet.letters, data.trainSet.decoderIn, data.trainSet.decoderOut, data.testSet.letters, data.testSet.decoderIn, data.testSet.decoderOut]);
  const summary: G2PResults = { words: { train: train.length, test: test.length }, models: results, attentionPlot: plot };
  writeJson(options.outDir, 'results.json', { smoke: options.smoke, seed: options.seed, seconds: timer.total, environment: environment(), settings, ...summary });
  return summary;
}

/** One heat map per word: predicted phonemes (rows) against letters (columns); returns the file name. */
function writeAttentionPlot(outDir: string, words: { word: string; phonemes: string[]; weights: number[][] }[]): string {
  const panels: HeatmapPanel[] = words.map((w) => ({
    title: w.word,
    columnLabels: [...w.word],
    rowLabels: w.phonemes,
    weights: w.weights.map((row) => row.slice(0, w.word.length)),
  }));
  const name = 'attention.svg';
  fs.mkdirSync(outDir, { recursive: true });
  fs.writeFileSync(path.join(outDir, name), heatmapSvg('Attention weights while decoding (rows: phonemes as decoded, columns: letters)', panels));
  return name;
}

if (require.main === module) runMain('g2p-seq2seq', run);
