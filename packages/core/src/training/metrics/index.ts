export { Metric, type MetricDirection } from './metric';
export { MeanMetricWrapper, Mean, type MetricFn } from './mean_metric';
export {
  Accuracy,
  BinaryAccuracy,
  CategoricalAccuracy,
  SparseCategoricalAccuracy,
  binaryAccuracy,
  categoricalAccuracy,
  sparseCategoricalAccuracy,
} from './accuracy';
export { MeanSquaredError, MeanAbsoluteError } from './regression_metrics';
export { Precision, Recall } from './confusion';
export { Perplexity, type PerplexityArgs } from './perplexity';
export { CategoricalCrossentropyMetric, SparseCategoricalCrossentropyMetric, BinaryCrossentropyMetric } from './crossentropy_metrics';
export { getMetric, METRIC_NAMES, type MetricIdentifier, type SerializedMetric } from './get_metric';
