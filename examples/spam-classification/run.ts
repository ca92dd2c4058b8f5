/**
 * Many-to-one: spam classification of the SpamAssassin public corpus. Each e-mail (subject and body,
 * headers left out because they give the answer away) becomes a sequence of word ids, padded after the
 * text; Embedding(maskZero) tells the recurrent layer where each e-mail ends, so its last state is read
 * at the last real word. Two models: Embedding + LSTM, and Embedding + Bidirectional(GRU). Accuracy,
 * precision and recall (spam is the positive class) on a held-out fifth of the corpus.
 *
 *   node examples/dist/spam-classification/run.js [--smoke] [--seed N]
 */
import * as tf from '@tensorflow/tfjs';
import {
  Bidirectional, Dense, Embedding, GRU, LSTM, Sequential, Tokenizer, loadBundledRecords, padSequences, setSeed, shuffledIndices,
  type Layer,
} from '@recurrent/core';
import { ExampleOptions, runMain } from '../shared/options';
import '../shared/cpu_kernel_workarounds';
import { environment, fmt, writeJson } from '../shared/results';
import { BinaryScores, binaryScores } from '../shared/sequence_metrics';
import { Stopwatch } from '../shared/stopwatch';

interface Email {
  text: string;
  spam: number;
}

export interface SpamResults {
  emails: { train: number; test: number; spamFraction: number };
  majorityBaselineAccuracy: number;
  models: { name: string; params: number; trainSeconds: number; epochs: number; test: BinaryScores; history: Record<string, number[]> }[];
}

function loadEmails(): Email[] {
  return loadBundledRecords('spam-assassin').map((r) => ({
    text: `${r.value.subject as string}\n${r.value.body as string}`,
    spam: r.value.label === 'spam' ? 1 : 0,
  }));
}

/** The recurrent part of each model: the one thing that differs between the two. */
const ENCODERS: { name: string; make: () => Layer }[] = [
  { name: 'Embedding + LSTM(64)', make: () => new LSTM({ units: 64 }) },
  { name: 'Embedding + Bidirectional(GRU(32))', make: () => new Bidirectional({ layer: new GRU({ units: 32 }) }) },
];

export async function run(options: ExampleOptions): Promise<SpamResults> {
  const settings = options.smoke
    ? { emails: 200, numWords: 1000, maxLen: 30, epochs: 1, batchSize: 32 }
    : { emails: Infinity, numWords: 10000, maxLen: 200, epochs: 4, batchSize: 64 };
  const timer = new Stopwatch();
  setSeed(options.seed);

  // A seeded shuffle, then the last fifth is held out; the tokenizer only sees the training e-mails.
  const all = loadEmails();
  const order = Array.from(shuffledIndices(all.length, options.seed)).slice(0, Math.min(all.length, settings.emails));
  const emails = order.map((i) => all[i]);
  const cut = Math.floor(emails.length * 0.8);
  const train = emails.slice(0, cut);
  const test = emails.slice(cut);
  const tokenizer = new Tokenizer({ numWords: settings.numWords, oovToken: '<oov>' }).fitOnTexts(train.map((e) => e.text));
  // Keep each e-mail's first maxLen words; padding goes after them and is masked.
  const encode = (set: Email[]) =>
    padSequences(tokenizer.textsToSequences(set.map((e) => e.text)), { maxLen: settings.maxLen, padding: 'post', truncating: 'post' });
  const xTrain = encode(train);
  const xTest = encode(test);
  const yTrain = tf.tensor2d(train.map((e) => [e.spam]));
  const spamFraction = test.reduce((s, e) => s + e.spam, 0) / test.length;
  options.log(`${train.length} training and ${test.length} test e-mails, ${(100 * spamFraction).toFixed(1)}% spam in the test set; vocabulary ${tokenizer.vocabularySize} ids, ${settings.maxLen} words per e-mail (${fmt(timer.lap('data'), 1)}s)`);

  const results: SpamResults = {
    emails: { train: train.length, test: test.length, spamFraction },
    majorityBaselineAccuracy: Math.max(spamFraction, 1 - spamFraction),
    models: [],
  };
  for (const encoder of ENCODERS) {
    setSeed(options.seed);
    const model = new Sequential({
      layers: [
        new Embedding({ inputDim: tokenizer.vocabularySize, outputDim: 64, maskZero: true, inputShape: [settings.maxLen] }),
        encoder.make(),
        new Dense({ units: 1, activation: 'sigmoid' }),
      ],
    });
    model.compile({ optimizer: 'adam', loss: 'binary_crossentropy', metrics: ['accuracy', 'precision', 'recall'] });
    if (!options.smoke) model.summary(65, options.log);
    timer.lap('build');
    const history = await model.fit(xTrain, yTrain, {
      epochs: settings.epochs,
      batchSize: settings.batchSize,
      validationSplit: 0.1,
      verbose: options.smoke ? 0 : 2,
    });
    const trainSeconds = timer.lap(`train ${encoder.name}`);
    const probabilities = tf.tidy(() => (model.predict(xTest, { batchSize: 256 }) as tf.Tensor).reshape([-1]));
    const scores = binaryScores(await probabilities.data(), test.map((e) => e.spam));
    probabilities.dispose();
    options.log(
      `${encoder.name}: test accuracy ${fmt(scores.accuracy)}, precision ${fmt(scores.precision)}, recall ${fmt(scores.recall)} ` +
        `(${scores.falsePositives} ham flagged, ${scores.falseNegatives} spam missed; trained in ${fmt(trainSeconds, 1)}s)`,
    );
    results.models.push({
      name: encoder.name,
      params: model.countParams(),
      trainSeconds,
      epochs: settings.epochs,
      test: scores,
      history: Object.fromEntries(Object.entries(history.history).map(([k, v]) => [k, (v as number[]).map(Number)])),
    });
    model.dispose();
  }
  tf.dispose([xTrain, xTest, yTrain]);
  options.log(`always answering "ham" would score ${fmt(results.majorityBaselineAccuracy)} accuracy (and 0 recall)`);
  writeJson(options.outDir, 'results.json', { smoke: options.smoke, seed: options.seed, seconds: timer.total, environment: environment(), ...results });
  return results;
}

if (require.main === module) runMain('spam-classification', run);
