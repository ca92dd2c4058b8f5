/** recurrentSequence(): argument checking, differentiation through tfjs, memory, listeners. */
import * as tf from '@tensorflow/tfjs';
import { addBackwardListener, recurrentSequence, setImplementation } from '../index';
import { implementationsUnderTest } from '../backend/implementations_under_test';
import { caseTensors, disposeInputs, randomCase } from '../__tests__/reference/random_case';
import { maxAbsDiff } from '../__tests__/reference/loss_helpers';

const B = 2, T = 3, F = 4, U = 5;

function lstmInputs() {
  return {
    x: tf.randomNormal([B, T, F]) as tf.Tensor3D,
    kernel: tf.randomNormal([F, 4 * U]) as tf.Tensor2D,
    recurrentKernel: tf.randomNormal([U, 4 * U]) as tf.Tensor2D,
  };
}

describe('recurrentSequence argument errors name the argument and the expected shape', () => {
  const base = lstmInputs();
  afterAll(() => Object.values(base).forEach((t) => t.dispose()));
  const bad = (inputs: object, attrs: object, pattern: RegExp) => {
    expect(() => recurrentSequence({ ...base, ...inputs } as never, { cell: 'lstm', ...attrs } as never)).toThrow(pattern);
  };

  test('x of the wrong rank', () => bad({ x: tf.zeros([B, F]) }, {}, /x must have shape \[batch, time, features\], got shape \[2, 4\]/));
  test('x with int32 dtype', () => bad({ x: tf.zeros([B, T, F], 'int32') }, {}, /x must have dtype float32, got int32/));
  test('x with no timesteps', () => bad({ x: tf.zeros([B, 0, F]) }, {}, /x must have at least one sample, one timestep/));
  test('kernel with the wrong feature count', () => bad({ kernel: tf.zeros([F + 1, 4 * U]) }, {}, /kernel must have shape \[features, 4\*units\] = \[4, 20\], got shape \[5, 20\]/));
  test('recurrent kernel not [units, 4*units]', () => bad({ recurrentKernel: tf.zeros([U, 3 * U]) }, {}, /recurrentKernel must have shape \[units, 4\*units\] = \[5, 20\], got shape \[5, 15\]/));
  test('bias of the wrong length', () => bad({ bias: tf.zeros([3 * U]) }, {}, /bias must have shape \[4\*units\] = \[20\], got shape \[15\]/));
  test('gru resetAfter bias must be [2, 3*units]', () => {
    expect(() =>
      recurrentSequence(
        { x: base.x, kernel: tf.zeros([F, 3 * U]) as tf.Tensor2D, recurrentKernel: tf.zeros([U, 3 * U]) as tf.Tensor2D, bias: tf.zeros([3 * U]) },
        { cell: 'gru' },
      ),
    ).toThrow(/bias must have shape \[2, 3\*units .*\] = \[2, 15\], got shape \[15\]/);
  });
  test('initialH of the wrong batch', () => bad({ initialH: tf.zeros([B + 1, U]) }, {}, /initialH must have shape \[batch, units\] = \[2, 5\], got shape \[3, 5\]/));
  test('initialC given to a gru', () => {
    expect(() =>
      recurrentSequence(
        { x: base.x, kernel: tf.zeros([F, 3 * U]) as tf.Tensor2D, recurrentKernel: tf.zeros([U, 3 * U]) as tf.Tensor2D, initialC: tf.zeros([B, U]) as tf.Tensor2D },
        { cell: 'gru' },
      ),
    ).toThrow(/initialC is only used by lstm/);
  });
  test('mask of the wrong shape', () => bad({ mask: tf.ones([B, T + 1]) }, {}, /mask must have shape \[batch, time\] = \[2, 3\], got shape \[2, 4\]/));
  test('dropout masks of the wrong shape', () => {
    bad({ inputDropoutMask: tf.ones([B, U]) }, {}, /inputDropoutMask must have shape \[batch, features\] = \[2, 4\], got shape \[2, 5\]/);
    bad({ recurrentDropoutMask: tf.ones([B, F]) }, {}, /recurrentDropoutMask must have shape \[batch, units\] = \[2, 5\], got shape \[2, 4\]/);
  });
  test('unknown cell and activation', () => {
    bad({}, { cell: 'rnn' }, /attrs.cell must be one of simple_rnn, lstm, gru, got "rnn"/);
    bad({}, { activation: 'softplus' }, /attrs.activation must be one of tanh, sigmoid, .*got "softplus"/);
  });
  test('a non-tensor and a disposed tensor', () => {
    bad({ kernel: [[1, 2]] }, {}, /kernel must be a tf.Tensor of shape \[features, 4\*units\] = \[4, 20\], got object/);
    const gone = tf.zeros([B, U]);
    gone.dispose();
    bad({ initialH: gone }, {}, /initialH .* has already been disposed/);
  });
});

describe.each(implementationsUnderTest())('recurrentSequence through tfjs (%s)', (implementation) => {
  beforeAll(() => setImplementation(implementation));
  afterAll(() => setImplementation(implementationsUnderTest()[0]));

  test('no tensor leaks over repeated forward and gradient calls', () => {
    const c = randomCase({ cell: 'lstm', mask: 'gaps', initialStates: true, inputDropout: true, recurrentDropout: true });
    const { inputs, attrs } = caseTensors(c, 'bool');
    const params = [inputs.x, inputs.kernel, inputs.recurrentKernel, inputs.bias as tf.Tensor, inputs.initialH as tf.Tensor, inputs.initialC as tf.Tensor];
    const round = () => {
      const r = recurrentSequence(inputs, attrs);
      r.outputs.dispose();
      r.h.dispose();
      r.c?.dispose();
      const grads = tf.grads((x, k, rk, b, h0, c0) => {
        const s = recurrentSequence({ ...inputs, x: x as tf.Tensor3D, kernel: k as tf.Tensor2D, recurrentKernel: rk as tf.Tensor2D, bias: b, initialH: h0 as tf.Tensor2D, initialC: c0 as tf.Tensor2D }, attrs);
        return tf.add(tf.sum(s.outputs), tf.sum(tf.mul(s.c as tf.Tensor, 2)));
      })(params);
      grads.forEach((g) => g.dispose());
    };
    round(); // lets tfjs create its lazily cached tensors first
    const before = tf.memory().numTensors;
    for (let i = 0; i < 5; i++) round();
    expect(tf.memory().numTensors).toBe(before);
    disposeInputs(inputs);
  });

  test('one backward pass per gradient call, reported with the tag and per-step norms', () => {
    const c = randomCase({ cell: 'gru', time: 6 });
    const { inputs, attrs } = caseTensors(c);
    const events: Array<{ tag: string; cell: string; norms: number[] }> = [];
    const remove = addBackwardListener((e) => events.push({ tag: e.tag, cell: e.cell, norms: Array.from(e.dhNorms) }));
    const grads = tf.grads((x, k, rk, b) =>
      tf.sum(recurrentSequence({ ...inputs, x: x as tf.Tensor3D, kernel: k as tf.Tensor2D, recurrentKernel: rk as tf.Tensor2D, bias: b }, { ...attrs, tag: 'encoder' }).outputs),
    )([inputs.x, inputs.kernel, inputs.recurrentKernel, inputs.bias as tf.Tensor]);
    remove();
    expect(events).toHaveLength(1);
    expect(events[0].tag).toBe('encoder');
    expect(events[0].cell).toBe('gru');
    expect(events[0].norms).toHaveLength(6);
    // The last step's state receives exactly d(sum of outputs) = 1 per entry, so its norm is sqrt(B*U);
    // earlier steps add what flows back through time.
    expect(events[0].norms[5]).toBeCloseTo(Math.sqrt(c.request.batch * c.request.units), 5);
    for (const n of events[0].norms) expect(n).toBeGreaterThan(0);
    grads.forEach((g) => g.dispose());
    // After removal, no more events.
    tf.tidy(() => tf.grad((x) => tf.sum(recurrentSequence({ ...inputs, x: x as tf.Tensor3D }, attrs).h))(inputs.x));
    expect(events).toHaveLength(1);
    disposeInputs(inputs);
  });

  test('tf.variableGrads and an optimizer train through the kernel', () => {
    const c = randomCase({ cell: 'lstm', batch: 4, time: 5, features: 3, units: 4, seed: 11 });
    const { inputs, attrs } = caseTensors(c);
    const kernel = tf.variable(inputs.kernel);
    const recurrentKernel = tf.variable(inputs.recurrentKernel);
    const bias = tf.variable(inputs.bias as tf.Tensor);
    const target = tf.tensor2d(Array.from({ length: 16 }, (_, i) => Math.sin(i)), [4, 4]);
    const loss = () =>
      tf.losses.meanSquaredError(target, recurrentSequence({ x: inputs.x, kernel: kernel as unknown as tf.Tensor2D, recurrentKernel: recurrentKernel as unknown as tf.Tensor2D, bias }, attrs).h) as tf.Scalar;
    const { grads } = tf.variableGrads(loss);
    expect(Object.keys(grads).sort()).toEqual([bias.name, kernel.name, recurrentKernel.name].sort());
    for (const g of Object.values(grads)) expect(tf.sum(tf.abs(g)).dataSync()[0]).toBeGreaterThan(0);
    Object.values(grads).forEach((g) => g.dispose());
    const optimizer = tf.train.adam(0.05);
    const first = tf.tidy(() => loss().dataSync()[0]);
    for (let i = 0; i < 30; i++) optimizer.minimize(loss);
    const last = tf.tidy(() => loss().dataSync()[0]);
    expect(last).toBeLessThan(first * 0.7);
    optimizer.dispose();
    [kernel, recurrentKernel, bias, target].forEach((t) => t.dispose());
    disposeInputs(inputs);
  });

  test('a bool mask gives the same result as a float 0/1 mask', () => {
    const c = randomCase({ cell: 'simple_rnn', mask: 'gaps', initialStates: true });
    const a = caseTensors(c, 'bool');
    const b = caseTensors(c, 'float32');
    const ra = recurrentSequence(a.inputs, a.attrs);
    const rb = recurrentSequence(b.inputs, b.attrs);
    expect(maxAbsDiff(ra.outputs.dataSync(), rb.outputs.dataSync())).toBe(0);
    expect(rb.c).toBeNull();
    [ra.outputs, ra.h, rb.outputs, rb.h].forEach((t) => t.dispose());
    disposeInputs(a.inputs);
    disposeInputs(b.inputs);
  });

  test('gradient through the last output only (the layers\' return_sequences=false path)', () => {
    const c = randomCase({ cell: 'lstm', mask: 'right_padded' });
    const { inputs, attrs } = caseTensors(c);
    const dx = tf.grad((x) => {
      const out = recurrentSequence({ ...inputs, x: x as tf.Tensor3D }, attrs).outputs;
      return tf.sum(tf.slice(out, [0, c.request.time - 1, 0], [-1, 1, -1]));
    })(inputs.x);
    expect(dx.shape).toEqual([c.request.batch, c.request.time, c.request.features]);
    expect(tf.sum(tf.abs(dx)).dataSync()[0]).toBeGreaterThan(0);
    dx.dispose();
    disposeInputs(inputs);
  });
});
