/**
 * An independent, step-by-step version of recurrentSequence() built only from plain tfjs ops
 * (matMul, sigmoid, where, ...), written straight from the Keras 3 cell equations. It is slow and
 * records a per-step graph; tests use it to check the fused kernels' values and (through tfjs
 * autodiff) their gradients.
 */
import * as tf from '@tensorflow/tfjs';
import type { RecurrentSequenceAttributes, RecurrentSequenceInputs, RecurrentSequenceResult } from '../../ops/recurrent_sequence';
import { GATES } from '../../spec';
import { referenceActivation } from './reference_activations';

export function referenceRecurrentSequence(inputs: RecurrentSequenceInputs, attrs: RecurrentSequenceAttributes): RecurrentSequenceResult {
  const cell = attrs.cell;
  const act = (x: tf.Tensor) => referenceActivation(attrs.activation ?? 'tanh', x);
  const ract = (x: tf.Tensor) => referenceActivation(attrs.recurrentActivation ?? 'sigmoid', x);
  const resetAfter = attrs.resetAfter ?? true;
  const [B, T, F] = inputs.x.shape;
  const U = inputs.recurrentKernel.shape[0];
  const G = GATES[cell];
  const K = inputs.kernel;
  const R = inputs.recurrentKernel;
  const bias = inputs.bias ?? null;
  const gruSplitBias = cell === 'gru' && resetAfter;
  const inputBias = bias === null ? null : gruSplitBias ? tf.reshape(tf.slice(bias, [0, 0], [1, G * U]), [G * U]) : bias;
  const recurrentBias = bias !== null && gruSplitBias ? tf.reshape(tf.slice(bias, [1, 0], [1, G * U]), [G * U]) : null;
  const block = (m: tf.Tensor, i: number) => tf.slice(m, [0, i * U], [-1, U]);
  const recBlock = (i: number, n = 1) => tf.slice(R, [0, i * U], [U, n * U]);

  let h: tf.Tensor = inputs.initialH ?? tf.zeros([B, U]);
  let c: tf.Tensor = inputs.initialC ?? tf.zeros([B, U]);
  let previousOutput: tf.Tensor = tf.zeros([B, U]);
  const outputs: tf.Tensor[] = [];
  for (let s = 0; s < T; s++) {
    const t = attrs.goBackwards ? T - 1 - s : s;
    let xt = tf.reshape(tf.slice(inputs.x, [0, t, 0], [B, 1, F]), [B, F]);
    if (inputs.inputDropoutMask) xt = tf.mul(xt, inputs.inputDropoutMask);
    const hd = inputs.recurrentDropoutMask ? tf.mul(h, inputs.recurrentDropoutMask) : h;
    let xz = tf.matMul(xt, K);
    if (inputBias !== null) xz = tf.add(xz, inputBias);
    let hNew: tf.Tensor;
    let cNew: tf.Tensor = c;
    if (cell === 'simple_rnn') {
      hNew = act(tf.add(xz, tf.matMul(hd, R)));
    } else if (cell === 'lstm') {
      const z = tf.add(xz, tf.matMul(hd, R));
      const i = ract(block(z, 0));
      const f = ract(block(z, 1));
      const g = act(block(z, 2));
      const o = ract(block(z, 3));
      cNew = tf.add(tf.mul(f, c), tf.mul(i, g));
      hNew = tf.mul(o, act(cNew));
    } else {
      let hh: tf.Tensor;
      let z: tf.Tensor;
      if (resetAfter) {
        let inner = tf.matMul(hd, R);
        if (recurrentBias !== null) inner = tf.add(inner, recurrentBias);
        z = ract(tf.add(block(xz, 0), block(inner, 0)));
        const r = ract(tf.add(block(xz, 1), block(inner, 1)));
        hh = act(tf.add(block(xz, 2), tf.mul(r, block(inner, 2))));
      } else {
        const inner = tf.matMul(hd, recBlock(0, 2));
        z = ract(tf.add(block(xz, 0), block(inner, 0)));
        const r = ract(tf.add(block(xz, 1), block(inner, 1)));
        hh = act(tf.add(block(xz, 2), tf.matMul(tf.mul(r, hd), recBlock(2))));
      }
      hNew = tf.add(tf.mul(z, h), tf.mul(tf.sub(1, z), hh));
    }
    if (inputs.mask) {
      const column = tf.reshape(tf.slice(tf.cast(inputs.mask, 'bool'), [0, t], [B, 1]), [B, 1]);
      const valid = tf.broadcastTo(column, [B, U]);
      const emitted = tf.where(valid, hNew, attrs.zeroOutputForMask ? tf.zeros([B, U]) : previousOutput);
      h = tf.where(valid, hNew, h);
      c = tf.where(valid, cNew, c);
      previousOutput = emitted;
      outputs.push(emitted);
    } else {
      h = hNew;
      c = cNew;
      outputs.push(hNew);
    }
  }
  return {
    outputs: tf.stack(outputs, 1) as tf.Tensor3D,
    h: h as tf.Tensor2D,
    c: cell === 'lstm' ? (c as tf.Tensor2D) : null,
  };
}
