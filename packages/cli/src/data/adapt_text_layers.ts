import { StringLookup, TextVectorization, type Model } from '@recurrent/core';
import { ExampleSet } from './example_set';

/**
 * Learns the vocabulary of the text layers that read a model's raw-text inputs (a TextVectorization or
 * StringLookup without a vocabulary, called on the input itself) from the training texts only: what a
 * Keras user does with adapt() before fit. The vocabulary is then part of the layer's config, so it is
 * saved with the model. Returns the names of the layers adapted.
 */
export function adaptTextLayers(model: Model, train: ExampleSet): string[] {
  const adapted: string[] = [];
  model.inputs.forEach((input, k) => {
    const feature = train.inputs[k];
    const texts = feature?.texts;
    if (texts === undefined) return;
    const trainingTexts = Array.from(feature.array.data, (i) => texts[i]);
    for (const node of input.sourceLayer.outboundNodes) {
      const layer = node.outboundLayer;
      const readsText = layer instanceof TextVectorization || layer instanceof StringLookup;
      if (readsText && layer.getVocabulary(false).length === 0 && !adapted.includes(layer.name)) {
        layer.adapt(trainingTexts);
        adapted.push(layer.name);
      }
    }
  });
  return adapted;
}
