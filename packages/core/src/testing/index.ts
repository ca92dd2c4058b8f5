/**
 * Test support shared by the packages' tests (not built, not shipped): `import { runLayerTest } from
 * '@recurrent/core/testing'` in another package, a relative import inside this one.
 */
export { runLayerTest, type LayerTestCase, type MaskExpectation } from './run_layer_test';
export { checkLayerGradients, type GradientCheckOptions } from './gradient_check';
