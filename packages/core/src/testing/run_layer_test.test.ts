/** The shared layer test catches what it promises to catch: each broken layer here fails one of its checks. */
import * as tf from '@tensorflow/tfjs';
import { z } from 'zod';
import { Layer, type CallKwargs } from '../engine/layer';
import { resetNameCounters } from '../engine/names';
import { getSeed } from '../engine/random';
import { registerLayer } from '../engine/registry';
import { baseLayerArgsSchema, parseLayerArgs, positiveInt } from '../engine/schema_parts';
import type { Shape, Tensor } from '../engine/types';
import type { LayerVariable } from '../engine/variable';
import type { TfjsConfigProblem } from '../layers/tfjs_dialect';
import { checkAfterTest, finishLayerTests } from './after_test';
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

  call(inputs: Tensor | Tensor[], kwargs: CallKwargs): Tensor | Tensor[] {
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
  override call(inputs: Tensor | Tensor[], kwargs: CallKwargs): Tensor | Tensor[] {
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

/** Leaves an intermediate tensor behind at every training call only. */
class TrainingLeakScale extends Scale {
  static override className = 'TrainingLeakScale';
  override call(inputs: Tensor | Tensor[], kwargs: CallKwargs): Tensor | Tensor[] {
    if (kwargs.training) tf.keep(tf.square(inputs as Tensor));
    return super.call(inputs, kwargs);
  }
}

/** Its hand-written gradient keeps a tensor it does not return. */
class BackwardLeakScale extends Scale {
  static override className = 'BackwardLeakScale';
  override call(inputs: Tensor | Tensor[]): Tensor {
    const scaled = tf.customGrad((x, w, save) => {
      (save as tf.GradSaveFunc)([x as Tensor, w as Tensor]);
      return { value: tf.mul(x as Tensor, w as Tensor), gradFunc: (dy, [sx, sw]) => [tf.keep(tf.mul(dy, sw)).clone(), tf.sum(tf.mul(dy, sx), [0, 1])] };
    });
    return scaled(inputs as Tensor, this.w!.read()) as Tensor;
  }
}

/** Its hand-written gradient forgets the power's factor: right for power 1 only. */
class WrongGradientScale extends Scale {
  static override className = 'WrongGradientScale';
  override call(inputs: Tensor | Tensor[]): Tensor {
    const scaled = tf.customGrad((x, w, save) => {
      (save as tf.GradSaveFunc)([x as Tensor, w as Tensor]);
      return { value: tf.pow(tf.mul(x as Tensor, w as Tensor), this.power), gradFunc: (dy, [sx, sw]) => [tf.mul(dy, sw), tf.sum(tf.mul(dy, sx), [0, 1])] };
    });
    return scaled(inputs as Tensor, this.w!.read()) as Tensor;
  }
}

const miswrittenArgsSchema = scaleArgsSchema.extend({ exponent: z.number().optional() }).strict();

/**
 * Writes `power` for TensorFlow.js as `exponent`, a key tfjs's class does not read (as LeakyReLU's slope
 * must be written `alpha` for tfjs); this project reads it back, so only tfjs computes something else.
 */
class MiswrittenScale extends Scale {
  static override className = 'MiswrittenScale';
  static override argsSchema = miswrittenArgsSchema;
  constructor(args: z.input<typeof miswrittenArgsSchema>) {
    const { exponent, ...rest } = parseLayerArgs('MiswrittenScale', miswrittenArgsSchema, args);
    super({ ...rest, power: rest.power ?? exponent });
  }
  static adaptConfigForTfjs(config: Record<string, unknown>): TfjsConfigProblem[] {
    config.exponent = config.power;
    delete config.power;
    return [];
  }
}

/** With the call option `pair: true`, returns its output twice (as Attention returns its scores beside the output). */
class PairScale extends Scale {
  static override className = 'PairScale';
  override call(inputs: Tensor | Tensor[], kwargs: CallKwargs): Tensor | Tensor[] {
    const y = super.call(inputs, kwargs) as Tensor;
    return kwargs.pair === true ? [y, tf.clone(y)] : y;
  }
  override computeOutputShape(inputShape: Shape | Shape[], callArgs?: Record<string, unknown>): Shape | Shape[] {
    const shape = inputShape as Shape;
    return callArgs?.pair === true ? [shape, shape] : shape;
  }
}

/** Returns the pair, but its computeOutputShape does not read the call options. */
class PairBlindScale extends PairScale {
  static override className = 'PairBlindScale';
  override computeOutputShape(inputShape: Shape | Shape[]): Shape {
    return inputShape as Shape;
  }
}

for (const cls of [Scale, ForgetfulScale, MisshapenScale, LeakyScale, DetachedScale, TrainingLeakScale, BackwardLeakScale, WrongGradientScale, MiswrittenScale, PairScale, PairBlindScale]) {
  registerLayer(cls);
}

/** The same layer as a TensorFlow.js custom class (registered there under the same class name), so that tf.loadLayersModel can read it. */
function registerInTfjs(className: string): void {
  class TfjsScale extends tf.layers.Layer {
    static className = className;
    private readonly features: number;
    private readonly power: number;
    private w: tf.LayerVariable | null = null;
    constructor(config: { name?: string; features: number; power?: number }) {
      super(config);
      this.features = config.features;
      this.power = config.power ?? 1;
    }
    override build(): void {
      this.w = this.addWeight('w', [this.features], 'float32', tf.initializers.ones());
      this.built = true;
    }
    override call(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor {
      return tf.tidy(() => tf.pow(tf.mul(Array.isArray(inputs) ? inputs[0] : inputs, this.w!.read()), this.power));
    }
    override getConfig(): tf.serialization.ConfigDict {
      return { ...super.getConfig(), features: this.features, power: this.power };
    }
  }
  tf.serialization.registerClass(TfjsScale);
}
['Scale', 'MiswrittenScale'].forEach(registerInTfjs);

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

  test('fails a layer that leaks tensors in training calls only', () => {
    expect(() => runLayerTest({ make: () => new TrainingLeakScale({ features: 4 }), input: x() })).toThrow(/leaked[\s\S]*"what": "training call"/);
  });

  test('fails a layer whose gradient leaks tensors', () => {
    expect(() => runLayerTest({ make: () => new BackwardLeakScale({ features: 4 }), input: x(), tfjsInterop: { skip: 'a broken layer; tfjs has no class for it' } }))
      .toThrow(/leaked[\s\S]*"what": "input gradient"/);
  });

  test('builds its layers under a fixed seed when the test sets none: the same weights every run', () => {
    const weights = () => runLayerTest({ make: () => new Scale({ features: 4 }), input: x(), tfjsInterop: { skip: 'only the weights matter here' } }).getWeights();
    const [first, second] = [weights(), weights()];
    expect(Array.from(first[0].dataSync())).toEqual(Array.from(second[0].dataSync()));
    expect(getSeed()).toBeNull();
    tf.dispose([...first, ...second]);
  });

  test('fails a gradient that disagrees with finite differences, and passes it where it is right', () => {
    expect(() => runLayerTest({ make: () => new WrongGradientScale({ features: 4, power: 2 }), input: x(), tfjsInterop: { skip: 'a broken layer; tfjs has no class for it' } }))
      .toThrow(/WrongGradientScale 'wrong_gradient_scale(_\d+)?': gradient of input 0\[\d+\] is .*, central finite differences give .* \(eps 0.01\) and .* \(eps 0.001\)/);
    runLayerTest({ make: () => new WrongGradientScale({ features: 4, power: 1 }), input: x(), tfjsInterop: { skip: 'a broken layer; tfjs has no class for it' } });
  });

  test('fails a layer that TensorFlow.js reads differently (when the queued check finishes)', async () => {
    runLayerTest({ make: () => new MiswrittenScale({ features: 4, power: 2 }), input: x() });
    await expect(finishLayerTests()).rejects.toThrow(/MiswrittenScale 'miswritten_scale(_\d+)?' saved for TensorFlow.js, as tf.loadLayersModel predicts it: output 0 differs by/);
    // The same layer written right predicts the same in tfjs.
    runLayerTest({ make: () => new Scale({ features: 4, power: 2 }), input: x() });
    await finishLayerTests();
  });

  test('gives call options to every call and to computeOutputShape', () => {
    const noTfjsClass = { skip: 'a test layer; tfjs has no class for it' };
    runLayerTest({ make: () => new PairScale({ features: 4, power: 2 }), input: x(), callArgs: { pair: true }, expectedOutputShape: [[2, 3, 4], [2, 3, 4]], tfjsInterop: noTfjsClass });
    expect(() => runLayerTest({ make: () => new PairBlindScale({ features: 4 }), input: x(), callArgs: { pair: true }, tfjsInterop: noTfjsClass })).toThrow(/toEqual/);
  });

  test('a check turned off must say why', () => {
    expect(() => runLayerTest({ make: () => new Scale({ features: 4 }), input: x(), gradientCheck: { skip: ' ' } })).toThrow(/gradientCheck.skip must give the reason/);
    expect(() => runLayerTest({ make: () => new Scale({ features: 4 }), input: x(), tfjsInterop: { skip: '' } })).toThrow(/tfjsInterop.skip must give the reason/);
  });

  test('fails a dialect declared unsupported that writes fine', () => {
    expect(() => runLayerTest({ make: () => new Scale({ features: 4 }), input: x(), unsupportedDialects: { tfjs: /anything/ } }))
      .toThrow(/toThrow/);
  });
});

describe('checks queued during a test', () => {
  const ran: string[] = [];
  test('wait for the test to end', () => {
    checkAfterTest(async () => {
      ran.push('finished');
    });
    expect(ran).toEqual([]);
  });

  test('and were run by the afterEach hook when it ended', () => {
    expect(ran).toEqual(['finished']);
  });
});
