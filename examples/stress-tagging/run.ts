/**
 * Many-to-many, aligned: tagging every phoneme of a word with its stress. The labels come from the
 * CMU Pronouncing Dictionary itself: each vowel there carries a stress digit (AH0 unstressed, IH1
 * primary, EY2 secondary). The input is the word's phonemes with those digits removed; the label of
 * each phoneme is its class: consonant, unstressed vowel, primary-stressed vowel or secondary-stressed
 * vowel. One label per input token, the same length in and out: a sequence tagging task, like
 * part-of-speech tagging, with labels that need no annotator.
 *
 * Consonants are trivial (a phoneme is a consonant or not), so the score that matters is accuracy on
 * vowels, where the model must decide which syllable carries the stress from the whole word.
 * Model: Embedding(maskZero) -> [Bidirectional](LSTM, returnSequences) -> TimeDistributed(Dense(softmax)),
 * with post-padding masked in both the recurrent layer and the loss.
 *
 *   node examples/dist/stress-tagging/run.js [--smoke] [--seed N]
 */
import * as tf from '@tensorflow/tfjs';
import { Bidirectional, Dense, Embedding, LSTM, Sequential, TimeDistributed, padSequences, setSeed, type Layer } from '@recurrent/core';
import { Pronunciation, baseOf, loadPronunciations, splitEntries, stressOf } from '../shared/cmudict';
import { ExampleOptions, runMain } from '../shared/options';
import { environment, fmt, writeJson } from '../shared/results';
import '../shared/cpu_kernel_workarounds';
import { argmaxAt } from '../shared/sequence_metrics';
import { Stopwatch } from '../shared/stopwatch';

/** Tag ids; 0 is padding (masked, never predicted for a real phoneme). */
export const TAGS = ['<pad>', 'consonant', 'unstressed', 'primary', 'secondary'] as const;
const MAX_PHONEMES = 16;

function tagOf(phoneme: string): number {
  const stress = stressOf(phoneme);
  return stress === null ? 1 : stress === 0 ? 2 : stress === 1 ? 3 : 4;
}

export interface TaggerScore {
  name: string;
  vowelAccuracy: number;
  tokenAccuracy: number;
  wordAccuracy: number;
  trainSeconds?: number;
}

export interface StressResults {
  words: { train: number; test: number; testVowels: number };
  baselines: TaggerScore[];
  models: TaggerScore[];
  samples: { word: string; input: string; truth: string; predicted: string }[];
}

/** Scores of predicted tags against the truth, over real (unpadded) phonemes. */
function score(name: string, words: Pronunciation[], predicted: number[][]): TaggerScore {
  let vowels = 0;
  let vowelsRight = 0;
  let tokens = 0;
  let tokensRight = 0;
  let wordsRight = 0;
  words.forEach((w, i) => {
    let allRight = true;
    w.phonemes.forEach((p, t) => {
      const truth = tagOf(p);
      const right = predicted[i][t] === truth;
      tokens++;
      if (right) tokensRight++;
      else allRight = false;
      if (truth !== 1) {
        vowels++;
        if (right) vowelsRight++;
      }
    });
    if (allRight) wordsRight++;
  });
  return { name, vowelAccuracy: vowelsRight / vowels, tokenAccuracy: tokensRight / tokens, wordAccuracy: wordsRight / words.length };
}

/** Baseline 1: every phoneme gets the tag it has most often in the training words. */
function majorityPerPhoneme(train: Pronunciation[]): (word: Pronunciation) => number[] {
  const counts = new Map<string, number[]>();
  for (const w of train) for (const p of w.phonemes) (counts.get(baseOf(p)) ?? counts.set(baseOf(p), [0, 0, 0, 0, 0]).get(baseOf(p))!)[tagOf(p)]++;
  const best = new Map([...counts].map(([p, c]) => [p, c.indexOf(Math.max(...c))]));
  return (word) => word.phonemes.map((p) => best.get(baseOf(p)) ?? 2);
}

/** Baseline 2: the first vowel carries the primary stress, every other vowel is unstressed. */
function firstVowelStressed(word: Pronunciation): number[] {
  let seen = false;
  return word.phonemes.map((p) => {
    if (stressOf(p) === null) return 1;
    if (seen) return 2;
    seen = true;
    return 3;
  });
}

const MODELS: { name: string; recurrent: (units: number) => Layer }[] = [
  { name: 'LSTM, left to right only', recurrent: (units) => new LSTM({ units, returnSequences: true }) },
  { name: 'Bidirectional(LSTM)', recurrent: (units) => new Bidirectional({ layer: new LSTM({ units, returnSequences: true }) }) },
];

function showTags(tags: number[]): string {
  return tags.map((t) => ['', 'c', '0', '1', '2'][t]).join(' ');
}

export async function run(options: ExampleOptions): Promise<StressResults> {
  const settings = options.smoke ? { train: 300, test: 100, units: 8, epochs: 1, batchSize: 64 } : { train: 20000, test: 4000, units: 64, epochs: 5, batchSize: 64 };
  const timer = new Stopwatch();
  const entries = loadPronunciations().filter((p) => p.phonemes.length <= MAX_PHONEMES);
  const { train, test } = splitEntries(entries, settings, options.seed);
  const symbols = [...new Set(entries.flatMap((p) => p.phonemes.map(baseOf)))].sort();
  const ids = new Map(symbols.map((s, i) => [s, i + 1]));
  const encode = (words: Pronunciation[]) => ({
    x: padSequences(words.map((w) => w.phonemes.map((p) => ids.get(baseOf(p))!)), { maxLen: MAX_PHONEMES, padding: 'post' }),
    y: padSequences(words.map((w) => w.phonemes.map(tagOf)), { maxLen: MAX_PHONEMES, padding: 'post' }),
  });
  const trainSet = encode(train);
  const testSet = encode(test);
  const testVowels = test.reduce((n, w) => n + w.phonemes.filter((p) => stressOf(p) !== null).length, 0);
  options.log(`${train.length} training and ${test.length} test words (${testVowels} test vowels), ${symbols.length} phonemes (${fmt(timer.lap('data'), 1)}s)`);

  const majority = majorityPerPhoneme(train);
  const results: StressResults = {
    words: { train: train.length, test: test.length, testVowels },
    baselines: [score('most frequent tag of each phoneme', test, test.map(majority)), score('first vowel primary, the rest unstressed', test, test.map(firstVowelStressed))],
    models: [],
    samples: [],
  };
  for (const b of results.baselines) options.log(`baseline "${b.name}": vowel accuracy ${fmt(b.vowelAccuracy)}, words entirely right ${fmt(b.wordAccuracy)}`);

  for (const spec of MODELS) {
    setSeed(options.seed);
    const model = new Sequential({
      layers: [
        new Embedding({ inputDim: symbols.length + 1, outputDim: 32, maskZero: true, inputShape: [MAX_PHONEMES] }),
        spec.recurrent(settings.units),
        new TimeDistributed({ layer: new Dense({ units: TAGS.length, activation: 'softmax' }) }),
      ],
    });
    model.compile({ optimizer: 'adam', loss: 'sparse_categorical_crossentropy', metrics: ['accuracy'] });
    if (!options.smoke) model.summary(65, options.log);
    timer.lap('build');
    await model.fit(trainSet.x, trainSet.y, { epochs: settings.epochs, batchSize: settings.batchSize, validationSplit: 0.1, verbose: options.smoke ? 0 : 2 });
    const trainSeconds = timer.lap(`train ${spec.name}`);
    const probabilities = model.predict(testSet.x, { batchSize: 512 }) as tf.Tensor;
    const values = await probabilities.data();
    probabilities.dispose();
    const predicted = test.map((w, i) => w.phonemes.map((_, t) => argmaxAt(values, (i * MAX_PHONEMES + t) * TAGS.length, TAGS.length)));
    const s = { ...score(`${spec.name}, ${settings.units} units`, test, predicted), trainSeconds };
    results.models.push(s);
    options.log(`${s.name}: vowel accuracy ${fmt(s.vowelAccuracy)}, all phonemes ${fmt(s.tokenAccuracy)}, words entirely right ${fmt(s.wordAccuracy)} (trained in ${fmt(trainSeconds, 1)}s)`);
    if (spec === MODELS[MODELS.length - 1]) {
      results.samples = test.slice(0, 12).map((w, i) => ({
        word: w.word,
        input: w.phonemes.map(baseOf).join(' '),
        truth: showTags(w.phonemes.map(tagOf)),
        predicted: showTags(predicted[i]),
      }));
    }
    model.dispose();
  }
  tf.dispose([trainSet.x, trainSet.y, testSet.x, testSet.y]);
  if (!options.smoke) {
    options.log('word: phonemes | dictionary stress | predicted (c consonant, 0 unstressed, 1 primary, 2 secondary)');
    for (const s of results.samples) options.log(`${s.word}: ${s.input} | ${s.truth} | ${s.predicted}`);
  }
  writeJson(options.outDir, 'results.json', { smoke: options.smoke, seed: options.seed, seconds: timer.total, environment: environment(), ...results });
  return results;
}

if (require.main === module) runMain('stress-tagging', run);
