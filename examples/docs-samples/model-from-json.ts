// The same model as Keras JSON: build it from first-model.json, then write it back out.
import { modelFromJSON, modelToJSON, type Model } from '@recurrent/core';
import config from './first-model.json';

export function main(): Model {
  const model = modelFromJSON(config, { source: 'first-model.json' });
  model.summary();

  // Swapping the recurrent layer is a change of class name: "LSTM" -> "GRU" or "SimpleRNN".
  const gru = modelFromJSON(JSON.stringify(config).replace('"LSTM"', '"GRU"'));
  console.log(gru.layers.map((layer) => layer.className).join(' -> ')); // GRU -> Dense

  // Written back, it is in the TensorFlow.js dialect when the model allows it (see the guide).
  console.log(modelToJSON(model).slice(0, 100) + '...');
  gru.dispose();
  return model;
}

if (require.main === module) main();
