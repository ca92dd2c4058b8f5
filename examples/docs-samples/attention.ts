// The attention layers: Luong (dot-product) and Bahdanau (additive) attention of a query sequence over a
// value sequence, and multi-head attention; masks and the attention weights.
import * as tf from '@tensorflow/tfjs';
import { AdditiveAttention, Attention, Embedding, MultiHeadAttention, input, model, setSeed, type SymbolicTensor } from '@recurrent/core';

export function main(): { shapes: number[][]; weightsOfPadding: number } {
  setSeed(1);
  const question = input({ shape: [null], name: 'question' }); // token ids, 0 = padding
  const document = input({ shape: [null], name: 'document' });
  const embed = new Embedding({ inputDim: 50, outputDim: 16, maskZero: true });
  const q = embed.apply(question) as SymbolicTensor;
  const d = embed.apply(document) as SymbolicTensor;
  // Each question step attends over the document steps; padded document steps get no weight.
  const [context, weights] = new Attention({ useScale: true }).apply([q, d], { returnAttentionScores: true }) as SymbolicTensor[];
  const additive = new AdditiveAttention().apply([q, d]) as SymbolicTensor;
  const heads = new MultiHeadAttention({ numHeads: 4, keyDim: 8 }).apply([q, d]) as SymbolicTensor;
  const m = model({ inputs: [question, document], outputs: [context, weights, additive, heads] });

  const outputs = m.predict([tf.tensor2d([[3, 4, 0]]), tf.tensor2d([[5, 6, 7, 0, 0]])]) as tf.Tensor[];
  const w = outputs[1].arraySync() as number[][][];
  console.log(outputs.map((t) => t.shape)); // [[1, 3, 16], [1, 3, 5], [1, 3, 16], [1, 3, 16]]
  const result = { shapes: outputs.map((t) => t.shape), weightsOfPadding: w[0][0][3] + w[0][0][4] };
  tf.dispose(outputs);
  return result;
}

if (require.main === module) main();
