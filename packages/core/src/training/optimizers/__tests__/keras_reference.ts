/**
 * Keras 3's update rules written with tfjs ops, one op per term of the formulas in
 * keras/src/optimizers/{sgd,adam,rmsprop,adagrad}.py and base_optimizer.py (clip, then decoupled
 * weight decay w -= w * weightDecay * lr, then the rule): the test oracle the optimizers' array
 * rules are checked against. It reads the hyperparameters of an optimizer and keeps its own slots.
 */
import * as tf from '@tensorflow/tfjs';
import { Adagrad } from '../adagrad';
import { Adam } from '../adam';
import { clipGradients } from '../clipping';
import type { Optimizer } from '../optimizer';
import { RMSprop } from '../rmsprop';
import { SGD } from '../sgd';

type Slots = Record<string, tf.Variable>;
/** One update of w from its clipped gradient; t is the 1-based step. */
type Step = (g: tf.Tensor, w: tf.Variable, lr: number, slots: Slots, t: number) => void;

interface Rule {
  /** Slot kinds and their initial value. */
  slots: Array<[string, number]>;
  step: Step;
}

function ruleOf(opt: Optimizer): Rule {
  if (opt instanceof SGD) {
    const { momentum, nesterov } = opt;
    return {
      slots: momentum !== 0 ? [['momentum', 0]] : [],
      step: (g, w, lr, s) => {
        if (momentum === 0) return void w.assign(w.sub(g.mul(lr)));
        s.momentum.assign(s.momentum.mul(momentum).sub(g.mul(lr)));
        if (nesterov) w.assign(w.add(s.momentum.mul(momentum).sub(g.mul(lr))));
        else w.assign(w.add(s.momentum));
      },
    };
  }
  if (opt instanceof Adam) {
    const { beta1, beta2, epsilon, amsgrad } = opt;
    return {
      slots: amsgrad ? [['momentum', 0], ['velocity', 0], ['velocity_hat', 0]] : [['momentum', 0], ['velocity', 0]],
      step: (g, w, lr, s, t) => {
        const alpha = (lr * Math.sqrt(1 - beta2 ** t)) / (1 - beta1 ** t);
        s.momentum.assign(s.momentum.add(g.sub(s.momentum).mul(1 - beta1)));
        s.velocity.assign(s.velocity.add(g.square().sub(s.velocity).mul(1 - beta2)));
        let denominator: tf.Tensor = s.velocity;
        if (amsgrad) {
          s.velocity_hat.assign(tf.maximum(s.velocity_hat, s.velocity));
          denominator = s.velocity_hat;
        }
        w.assign(w.sub(s.momentum.mul(alpha).div(denominator.sqrt().add(epsilon))));
      },
    };
  }
  if (opt instanceof RMSprop) {
    const { rho, momentum, epsilon, centered } = opt;
    const slots: Array<[string, number]> = [['velocity', 0]];
    if (momentum > 0) slots.push(['momentum', 0]);
    if (centered) slots.push(['average_gradient', 0]);
    return {
      slots,
      step: (g, w, lr, s) => {
        s.velocity.assign(s.velocity.mul(rho).add(g.square().mul(1 - rho)));
        let denominator: tf.Tensor = s.velocity.add(epsilon);
        if (centered) {
          s.average_gradient.assign(s.average_gradient.mul(rho).add(g.mul(1 - rho)));
          denominator = s.velocity.sub(s.average_gradient.square()).add(epsilon);
        }
        const increment = g.mul(lr).div(denominator.sqrt());
        if (momentum > 0) {
          s.momentum.assign(s.momentum.mul(momentum).add(increment));
          w.assign(w.sub(s.momentum));
        } else {
          w.assign(w.sub(increment));
        }
      },
    };
  }
  if (opt instanceof Adagrad) {
    const { epsilon } = opt;
    return {
      slots: [['accumulator', opt.initialAccumulatorValue]],
      step: (g, w, lr, s) => {
        s.accumulator.assign(s.accumulator.add(g.square()));
        w.assign(w.sub(g.mul(lr).div(s.accumulator.add(epsilon).sqrt())));
      },
    };
  }
  throw new Error(`keras_reference: no reference rule for ${opt.constructor.name}`);
}

export class KerasReference {
  iterations = 0;
  private readonly rule: Rule;
  private readonly slots = new Map<number, Slots>();

  /** `noDecay`: variable names excluded from weight decay (as given to excludeFromWeightDecay). */
  constructor(private readonly opt: Optimizer, private readonly noDecay: readonly string[] = []) {
    this.rule = ruleOf(opt);
  }

  applyGradients(gradients: readonly (tf.Tensor | null)[], variables: readonly tf.Variable[], names: readonly string[]): void {
    const schedule = this.opt.learningRateSchedule;
    const lr = schedule ? schedule.value(this.iterations) : this.opt.learningRate;
    const decay = this.opt.weightDecay;
    tf.tidy(() => {
      clipGradients(gradients, this.opt).forEach((g, i) => {
        if (g === null) return;
        const w = variables[i];
        if (decay !== null && decay !== 0 && !this.noDecay.some((n) => names[i].includes(n))) w.assign(w.sub(w.mul(decay * lr)));
        this.rule.step(g, w, lr, this.slotsOf(i, w), this.iterations + 1);
      });
    });
    this.iterations += 1;
  }

  /** The current value of slot `kind` of variable i. */
  slot(i: number, kind: string): Float32Array {
    return Float32Array.from(this.slots.get(i)![kind].dataSync());
  }

  get slotKinds(): string[] {
    return this.rule.slots.map(([kind]) => kind);
  }

  dispose(): void {
    for (const slots of this.slots.values()) for (const v of Object.values(slots)) v.dispose();
    this.slots.clear();
  }

  private slotsOf(i: number, w: tf.Variable): Slots {
    let slots = this.slots.get(i);
    if (slots === undefined) {
      slots = {};
      for (const [kind, initial] of this.rule.slots) slots[kind] = tf.variable(tf.fill(w.shape, initial, 'float32'), false);
      this.slots.set(i, slots);
    }
    return slots;
  }
}
