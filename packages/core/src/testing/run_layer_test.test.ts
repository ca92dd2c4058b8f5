/** The shared layer test catches what it promises to catch: each broken layer here fails one of its checks. */
import * as tf from '@tensorflow/tfjs';
import { z } from 'zod';
import { Layer, type CallKwargs } from '../engine/layer';
import { resetNameCounters } from '../engine/names';
import { registerLayer } from '../engine/registry';
import { baseLayerArgsSchema, parseLayerArgs, positiveInt } from '../engine/schema_parts';
import type { Shape, Tensor } from '../engine/types';
import type { LayerVariable } from '../engine/variable';
import { runLayerTest } from './run_layer_test';

const scaleArgsSchema = baseLayerArgsSchema.extend({ features: positiveInt(), power: z.number().optional() }).strict();

/** y = (x * w)^power, w one weight per feature: a small layer that does everything right. */
class Scale extends Layer {
  static override className = 'Scale';
  static argsSchema = scaleArgsSchema;
  readonly features: number;
  readonly power: number;
  w: LayerVariable | null = null;

  constructor(args: z.input<typeof scaleArgsSchema>) {
    const a = parseLayerArgs('Scale', scaleArgsSchema, args);
    super(a);
    this.features = a.features;
    this.power = a.power ?? 1;
    this.supportsMasking = true;
  }

  override build(): void {
    this.w = this.addWeight('w', [this.features]);
  }

  call(inputs: Tensor | Tensor[], kwargs: CallKwargs): Tensor {
    void kwargs;
    return tf.tidy(() => tf.pow(tf.mul(inputs as Tensor, this.w!.read()), this.power));
  }

  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), features: this.features, power: this.power };
  }
}

/** Forgets an argument in its config. */
class ForgetfulScale extends Scale {
  static override className = 'ForgetfulScale';
  override getConfig(): Record<string, unknown> {
    const { power, ...rest } = super.getConfig();
    void power;
    return rest;
  }
}

/** Reports a wrong output shape. */
class MisshapenScale extends Scale {
  static override className = 'MisshapenScale';
  override computeOutputShape(inputShape: Shape | Shape[]): Shape {
    return [...(inputShape as Shape), 1];
  }
}

/** Leaves an intermediate tensor behind at every call. */
class LeakyScale extends Scale {
  static override className = 'LeakyScale';
  override call(inputs: Tensor | Tensor[], kwargs: CallKwargs): Tensor {
    tf.keep(tf.square(inputs as Tensor));
    return super.call(inputs, kwargs);
  }
}

/** Passes no gradient to its weight. */
class DetachedScale extends Scale {
  static override className = 'DetachedScale';
  override call(inputs: Tensor | Tensor[]): Tensor {
    return tf.tidy(() => tf.mul(inputs as Tensor, tf.tensor1d(this.w!.read().dataSync() as Float32Array)));
  }
}

for (const cls of [Scale, ForgetfulScale, MisshapenScale, LeakyScale, DetachedScale]) registerLayer(cls);

beforeEach(() => resetNameCounters());

const x = () => tf.randomNormal([2, 3, 4], 0, 1, 'float32', 1);

describe('runLayerTest', () => {
  test('passes a correct layer', () => {
    const layer = runLayerTest({
      make: () => new Scale({ features: 4, power: 2 }), input: x(), expectedOutputShape: [2, 3, 4], expectedWeights: ['w'],
      supportsMasking: true, mask: { input: tf.tensor2d([[1, 0, 1], [1, 1, 0]]), expected: 'input' },
    });
    expect(layer).toBeInstanceOf(Scale);
  });

  test('fails a config that loses an argument (the layer rebuilt from it computes something else)', () => {
    expect(() => runLayerTest({ make: () => new ForgetfulScale({ features: 4, power: 2 }), input: x() }))
      .toThrow(/layer rebuilt from its config: output 0 differs/);
  });

  test('fails a computeOutputShape that disagrees with the eager output', () => {
    expect(() => runLayerTest({ make: () => new MisshapenScale({ features: 4 }), input: x() })).toThrow(/toEqual/);
  });

  test('fails unexpected shapes, weights, outputs and masks', () => {
    const make = () => new Scale({ features: 4 });
    expect(() => runLayerTest({ make, input: x(), expectedOutputShape: [2, 4] })).toThrow(/toEqual/);
    expect(() => runLayerTest({ make, input: x(), expectedWeights: ['kernel'] })).toThrow(/toEqual/);
    expect(() => runLayerTest({ make, input: x(), supportsMasking: false })).toThrow(/toBe/);
    expect(() => runLayerTest({ make, input: x(), expectedOutput: tf.zeros([2, 3, 4]) })).toThrow(/expected output: output 0 differs/);
    expect(() => runLayerTest({ make, input: x(), mask: { input: tf.tensor2d([[1, 0, 1], [1, 1, 0]]), expected: null } }))
      .toThrow(/toEqual/);
  });

  test('fails a layer that leaks tensors', () => {
    expect(() => runLayerTest({ make: () => new LeakyScale({ features: 4 }), input: x() })).toThrow(/leaked/);
  });

  test('fails a weight that gets no gradient', () => {
    expect(() => runLayerTest({ make: () => new DetachedScale({ features: 4 }), input: x() })).toThrow(/Cannot find a connection between any variable and the result/);
  });

  test('fails a dialect declared unsupported that writes fine', () => {
    expect(() => runLayerTest({ make: () => new Scale({ features: 4 }), input: x(), unsupportedDialects: { tfjs: /anything/ } }))
      .toThrow(/toThrow/);
  });
});
