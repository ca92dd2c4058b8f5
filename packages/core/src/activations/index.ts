export {
  activationNames, BUILT_IN_ACTIVATIONS, canonicalActivationName, getActivation, serializeActivation,
  type ActivationFn, type ActivationIdentifier,
} from './activations';
