/**
 * TextSampler: after each epoch, samples text from a next-token model at several temperatures and
 * prints it as it is drawn, the way the chapter watches a character model learn (Keras's text
 * generation example does this with a LambdaCallback). Each sample is drawn from its own seeded
 * stream, a function of (seed, epoch, temperature), so a resumed run prints the same samples.
 *
 *   new TextSampler({ tokenizer, seqLength: 40, encoding: 'oneHot', prime: 'call me ishmael. ' })
 */
import * as tf from '@tensorflow/tfjs';
import { Callback } from './callback';
import { SeededRandom, deriveSeed } from '../../data/seeded_random';
import { generateTokens, joinTokens, type TokenEncoding } from '../../data/text_generation';
import type { Tokenizer } from '../../data/tokenizer';

export interface TextSample {
  /** 1-based epoch after which the sample was drawn. */
  epoch: number;
  temperature: number;
  prime: string;
  text: string;
}

export interface TextSamplerArgs {
  tokenizer: Tokenizer;
  /** Tokens the model sees at once. */
  seqLength: number;
  /** How the model takes its window: 'ids' (default) or 'oneHot' vectors. */
  encoding?: TokenEncoding;
  /** Width of the one-hot input and of the output (default: the tokenizer's vocabularySize). */
  vocabularySize?: number;
  /** Default [0.2, 0.5, 1]. */
  temperatures?: number[];
  /** Tokens per sample (default 200). */
  length?: number;
  /** Text to start from, or the token ids to start from after a given (0-based) epoch. Default: nothing. */
  prime?: string | ((epoch: number) => number[]);
  /** Seed of the sampling (default 0). */
  seed?: number;
  /** Where the text goes as it is drawn (default standard output). */
  print?: (text: string) => void;
  /** Called with each finished sample (e.g. TrainingReport.addSample). */
  onSample?: (sample: TextSample) => void;
}

export class TextSampler extends Callback {
  readonly temperatures: number[];
  readonly length: number;
  readonly seed: number;
  private readonly print: (text: string) => void;

  constructor(private readonly args: TextSamplerArgs) {
    super();
    this.temperatures = args.temperatures ?? [0.2, 0.5, 1];
    this.length = args.length ?? 200;
    this.seed = args.seed ?? 0;
    this.print = args.print ?? ((text) => process.stdout.write(text));
    if (!(Number.isInteger(args.seqLength) && args.seqLength > 0)) throw new Error(`TextSampler: seqLength must be a positive integer, got ${String(args.seqLength)}.`);
    if (!(Number.isInteger(this.length) && this.length >= 0)) throw new Error(`TextSampler: length must be a non-negative integer, got ${String(this.length)}.`);
    if (!this.temperatures.every((t) => typeof t === 'number' && t >= 0)) throw new Error(`TextSampler: temperatures must be non-negative numbers, got ${JSON.stringify(this.temperatures)}.`);
  }

  private primeIds(epoch: number): number[] {
    const prime = this.args.prime ?? '';
    return typeof prime === 'string' ? this.args.tokenizer.textToSequence(prime) : prime(epoch);
  }

  override onEpochEnd(epoch: number): void {
    const { tokenizer } = this.args;
    const primeIds = this.primeIds(epoch);
    const prime = joinTokens(tokenizer.sequenceToTokens(primeIds), tokenizer.level, false);
    const predict = (x: tf.Tensor) => this.model.callWithMasks([x], { training: false }).outputs[0];
    this.temperatures.forEach((temperature, k) => {
      this.print(`--- sample after epoch ${epoch + 1}, temperature ${temperature} ---\n${prime}`);
      let first = true;
      const tokens = generateTokens({
        predict,
        tokenizer,
        seqLength: this.args.seqLength,
        encoding: this.args.encoding ?? 'ids',
        vocabularySize: this.args.vocabularySize,
        primeIds,
        length: this.length,
        temperature,
        random: new SeededRandom(deriveSeed(this.seed, 'sample', epoch, k)),
        onToken: (token) => {
          this.print(joinTokens([token], tokenizer.level, !first || primeIds.length > 0));
          first = false;
        },
      });
      this.print('\n');
      this.args.onSample?.({ epoch: epoch + 1, temperature, prime, text: joinTokens(tokens, tokenizer.level, primeIds.length > 0) });
    });
  }
}
