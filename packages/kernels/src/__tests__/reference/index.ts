export { referenceRecurrentSequence } from './reference_sequence';
export { referenceActivation } from './reference_activations';
