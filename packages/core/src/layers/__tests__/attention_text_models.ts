/** A functional model using every attention and text layer, for config round trips and coverage checks. */
import { input } from '../../engine/input_layer';
import type { SymbolicTensor } from '../../engine/symbolic';
import { Model } from '../../models/model';
import { AdditiveAttention, Attention, MultiHeadAttention } from '../attention';
import { Dense, Embedding } from '../core';
import { GlobalAveragePooling1D } from '../pooling';
import { StringLookup, TextVectorization } from '../preprocessing';

export function attentionAndTextModel(): Model {
  const text = input({ shape: [1], dtype: 'string', name: 'text' });
  const tokens = input({ shape: [4], dtype: 'string', name: 'tokens' });
  const ids = new TextVectorization({ vocabulary: ['free', 'money', 'now'], outputSequenceLength: 5, name: 'vectorize' }).apply(text) as SymbolicTensor;
  const tokenIds = new StringLookup({ vocabulary: ['a', 'b', 'c'], maskToken: '', name: 'lookup' }).apply(tokens) as SymbolicTensor;
  const query = new Embedding({ inputDim: 5, outputDim: 4, maskZero: true, name: 'words' }).apply(ids) as SymbolicTensor;
  const value = new Embedding({ inputDim: 5, outputDim: 4, maskZero: true, name: 'letters' }).apply(tokenIds) as SymbolicTensor;
  const [luong] = new Attention({ useScale: true, scoreMode: 'concat', name: 'luong' }).apply([query, value], { returnAttentionScores: true }) as SymbolicTensor[];
  const bahdanau = new AdditiveAttention({ dropout: 0.1, name: 'bahdanau' }).apply([query, value, value], { useCausalMask: true }) as SymbolicTensor;
  const heads = new MultiHeadAttention({ numHeads: 2, keyDim: 3, name: 'heads' }).apply([luong, bahdanau]) as SymbolicTensor;
  const pooled = new GlobalAveragePooling1D({ name: 'pool' }).apply(heads) as SymbolicTensor;
  return new Model({ inputs: [text, tokens], outputs: new Dense({ units: 1, name: 'out' }).apply(pooled) as SymbolicTensor, name: 'attention_and_text' });
}
