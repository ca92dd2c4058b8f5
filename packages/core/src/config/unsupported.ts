/**
 * Valid Keras features this library does not implement, so a config using them gets a "not supported"
 * error that names the feature and the layer, instead of an "unknown" error suggesting a typo.
 */

/** Keras layer classes that are real but not implemented here, with what to do instead. */
const UNSUPPORTED_CLASSES = new Map<string, string>([
  ['Lambda', 'a Lambda layer holds Python code, which cannot be loaded here; replace it with built-in layers'],
  ['TFOpLambda', 'a TFOpLambda layer records a raw TensorFlow op, which cannot be loaded here; replace it with built-in layers'],
  ['SlicingOpLambda', 'a SlicingOpLambda layer records tensor slicing in Python, which cannot be loaded here'],
  ['CuDNNLSTM', 'CuDNNLSTM (Keras 2) stores two bias vectors; rebuild the model with LSTM and re-save it'],
  ['CuDNNGRU', 'CuDNNGRU (Keras 2) stores two bias vectors; rebuild the model with GRU(reset_after=True) and re-save it'],
  ['ConvLSTM1D', 'convolutional recurrent layers are not implemented'],
  ['ConvLSTM2D', 'convolutional recurrent layers are not implemented'],
  ['ConvLSTM3D', 'convolutional recurrent layers are not implemented'],
  ['IntegerLookup', 'preprocessing layers are not implemented'],
  ['Normalization', 'preprocessing layers are not implemented; normalize the data before fitting'],
]);

/** Keras layers outside the scope of a recurrent-network library (2-D and 3-D convolutions, images, ...). */
const OUT_OF_SCOPE_CLASSES = [
  'Conv2D', 'Conv3D', 'Conv1DTranspose', 'Conv2DTranspose', 'SeparableConv1D', 'SeparableConv2D',
  'DepthwiseConv1D', 'DepthwiseConv2D', 'MaxPooling2D', 'MaxPooling3D', 'AveragePooling2D', 'GlobalAveragePooling2D',
  'GlobalMaxPooling2D', 'GroupNormalization', 'UnitNormalization', 'AlphaDropout', 'ThresholdedReLU', 'Rescaling',
  'CategoryEncoding', 'Hashing', 'Discretization', 'EinsumDense', 'Identity', 'Cropping2D', 'ZeroPadding2D',
];

/** Why a layer class is not supported, or undefined when it is not a known Keras class. */
export function unsupportedClassReason(className: string): string | undefined {
  const reason = UNSUPPORTED_CLASSES.get(className);
  if (reason !== undefined) return reason;
  if (OUT_OF_SCOPE_CLASSES.includes(className)) return 'this Keras layer is not implemented in this recurrent-network library';
  return undefined;
}

/**
 * Keras config keys (snake_case) that change nothing in this implementation, dropped when a layer's schema
 * does not declare them: `implementation` and `unroll` select another but equal computation, `use_cudnn`
 * a GPU kernel, `autocast` mixed precision bookkeeping, `seed` only the dropout stream of a Keras layer.
 */
export const NO_EFFECT_KEYS = new Set(['implementation', 'unroll', 'use_cudnn', 'autocast', 'seed', 'optional']);

/**
 * Keys whose default value is harmless but whose other values change the computation in a way this
 * library does not implement. Value: the accepted value and what to say otherwise.
 */
export const RESTRICTED_KEYS = new Map<string, { accepted: unknown; reason: string; implementedWhenDeclared?: boolean }>([
  ['time_major', { accepted: false, reason: 'time_major=true (time-first inputs) is not supported; transpose the inputs to [batch, time, features]' }],
  ['sparse', { accepted: false, reason: 'sparse inputs are not supported; use dense tensors' }],
  ['ragged', { accepted: false, reason: 'ragged inputs are not supported; pad the sequences (padSequences) and mask them' }],
  ['zero_output_for_mask', { accepted: false, implementedWhenDeclared: true, reason: 'zero_output_for_mask=true is not supported on this layer' }],
  ['lora_rank', { accepted: null, reason: 'LoRA weights (lora_rank) are not supported; merge them into the kernel in Keras (disable LoRA) and save again' }],
  ['lora_alpha', { accepted: null, reason: 'LoRA weights (lora_alpha) are not supported; merge them into the kernel in Keras (disable LoRA) and save again' }],
]);

/** dtype names a layer may have; Keras mixed-precision policies are refused with this message. */
export function unsupportedDtypeReason(dtype: unknown): string | undefined {
  if (dtype === undefined || dtype === null || dtype === 'float32' || dtype === 'int32') return undefined;
  if (typeof dtype === 'string' && dtype.startsWith('mixed_')) return `the mixed-precision policy "${dtype}" is not supported; layers compute in float32`;
  if (dtype === 'float64' || dtype === 'float16' || dtype === 'bfloat16') return `dtype "${dtype}" is not supported; layers compute in float32`;
  return undefined;
}
