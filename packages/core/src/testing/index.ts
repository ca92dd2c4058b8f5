/**
 * Test support shared by the packages' tests (not built, not shipped): `import { runLayerTest } from
 * '@recurrent/core/testing'` in another package, a relative import inside this one.
 */
export { runLayerTest, type GradientCheckSettings, type LayerTestCase, type MaskExpectation, type Skip } from './run_layer_test';
export { checkLayerGradients, type GradientCheckOptions } from './gradient_check';
export { expectLoadedFromTfjs, expectTfjsPredictsTheSame } from './tfjs_interop';
export { expectNoLeak, expectTensorsClose } from './tensor_checks';
export { finishLayerTests } from './after_test';
