// Training with callbacks, gradient clipping and a look at the gradients.
import * as tf from '@tensorflow/tfjs';
import { Adam, Dense, EarlyStopping, GradientMonitor, ReduceLROnPlateau, Sequential, SimpleRNN, setSeed } from '@recurrent/core';

export async function main(): Promise<{ epochs: number; timesteps: number }> {
  setSeed(5);
  // Predict the mean of 30 noisy steps.
  const x = tf.randomNormal([512, 30, 1], 0, 1, 'float32', 5);
  const y = tf.mean(x, 1);

  const model = new Sequential({ layers: [new SimpleRNN({ units: 16, inputShape: [30, 1], name: 'rnn' }), new Dense({ units: 1 })] });
  model.compile({
    // Gradient clipping is an optimizer argument, as in Keras: clipnorm (each weight's gradient),
    // globalClipnorm (all gradients together) or clipvalue (element-wise).
    optimizer: new Adam({ learningRate: 0.01, globalClipnorm: 1 }),
    loss: 'mse',
    metrics: ['mae'],
  });

  const monitor = new GradientMonitor({ every: 5 }); // gradient norms before clipping, per layer and per timestep
  const history = await model.fit(x, y, {
    epochs: 30,
    batchSize: 64,
    validationSplit: 0.25,
    verbose: 0,
    callbacks: [
      monitor,
      new EarlyStopping({ monitor: 'val_loss', patience: 3, restoreBestWeights: true }),
      new ReduceLROnPlateau({ monitor: 'val_loss', factor: 0.5, patience: 2 }),
      // Plain objects with hook functions work too (the tfjs style).
      { onEpochEnd: (epoch, logs) => console.log(`epoch ${epoch + 1}: loss ${logs.loss.toFixed(4)}, val_mae ${logs.val_mae.toFixed(4)}`) },
    ],
  });

  const epochs = history.history.loss.length;
  const lastNorms = monitor.timestepNorms['rnn'].at(-1)!; // ||dLoss/dh_t|| for t = 1..30
  console.log(`stopped after ${epochs} epochs; global gradient norm at the last recorded step ${monitor.globalNorms.at(-1)!.toFixed(3)}`);
  console.log(`||dLoss/dh_t||: t=30 ${lastNorms[29].toExponential(2)}, t=1 ${lastNorms[0].toExponential(2)}`);
  tf.dispose([x, y]);
  model.dispose();
  return { epochs, timesteps: lastNorms.length };
}

if (require.main === module) main();
