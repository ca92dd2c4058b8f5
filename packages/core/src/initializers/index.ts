import { Constant, Identity, Ones, Zeros } from './constant_initializers';
import { RandomNormal, RandomUniform, TruncatedNormal } from './random_initializers';
import {
  GlorotNormal, GlorotUniform, HeNormal, HeUniform, LeCunNormal, LeCunUniform, VarianceScaling,
  type FanMode, type ScalingDistribution,
} from './variance_scaling';
import { Orthogonal } from './orthogonal';

export { Initializer, type SerializedObject } from './initializer';
export { Constant, Identity, Ones, Zeros } from './constant_initializers';
export { RandomInitializer, RandomNormal, RandomUniform, TruncatedNormal } from './random_initializers';
export {
  computeFans, GlorotNormal, GlorotUniform, HeNormal, HeUniform, LeCunNormal, LeCunUniform, VarianceScaling,
  type FanMode, type ScalingDistribution,
} from './variance_scaling';
export { Orthogonal } from './orthogonal';
export { getInitializer, serializeInitializer, initializerNames, type InitializerIdentifier } from './lookup';

type Seed = { seed?: number | null };

/** Factory functions, tfjs-style: `initializers.glorotUniform({ seed: 1 })`. */
export const initializers = {
  zeros: () => new Zeros(),
  ones: () => new Ones(),
  constant: (args: { value: number }) => new Constant(args),
  identity: (args: { gain?: number } = {}) => new Identity(args),
  randomNormal: (args: { mean?: number; stddev?: number } & Seed = {}) => new RandomNormal(args),
  randomUniform: (args: { minval?: number; maxval?: number } & Seed = {}) => new RandomUniform(args),
  truncatedNormal: (args: { mean?: number; stddev?: number } & Seed = {}) => new TruncatedNormal(args),
  varianceScaling: (args: { scale?: number; mode?: FanMode; distribution?: ScalingDistribution } & Seed = {}) =>
    new VarianceScaling(args),
  glorotUniform: (args: Seed = {}) => new GlorotUniform(args),
  glorotNormal: (args: Seed = {}) => new GlorotNormal(args),
  heNormal: (args: Seed = {}) => new HeNormal(args),
  heUniform: (args: Seed = {}) => new HeUniform(args),
  leCunNormal: (args: Seed = {}) => new LeCunNormal(args),
  leCunUniform: (args: Seed = {}) => new LeCunUniform(args),
  orthogonal: (args: { gain?: number } & Seed = {}) => new Orthogonal(args),
};
