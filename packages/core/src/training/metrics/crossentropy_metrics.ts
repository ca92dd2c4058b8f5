/** Cross-entropies tracked as metrics (weighted means of the per-sample loss values). */
import { binaryCrossentropy, categoricalCrossentropy, sparseCategoricalCrossentropy } from '../losses/crossentropy';
import { MeanMetricWrapper } from './mean_metric';

interface CrossentropyMetricArgs {
  name?: string;
  fromLogits?: boolean;
}

export class CategoricalCrossentropyMetric extends MeanMetricWrapper {
  static override className = 'CategoricalCrossentropy';
  readonly fromLogits: boolean;
  constructor(args: CrossentropyMetricArgs = {}) {
    const fromLogits = args.fromLogits ?? false;
    super((t, p) => categoricalCrossentropy(t, p, { fromLogits }), args.name ?? 'categorical_crossentropy', 'down');
    this.fromLogits = fromLogits;
  }
  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), fromLogits: this.fromLogits };
  }
}

export class SparseCategoricalCrossentropyMetric extends MeanMetricWrapper {
  static override className = 'SparseCategoricalCrossentropy';
  readonly fromLogits: boolean;
  constructor(args: CrossentropyMetricArgs = {}) {
    const fromLogits = args.fromLogits ?? false;
    super((t, p) => sparseCategoricalCrossentropy(t, p, { fromLogits }), args.name ?? 'sparse_categorical_crossentropy', 'down');
    this.fromLogits = fromLogits;
  }
  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), fromLogits: this.fromLogits };
  }
}

export class BinaryCrossentropyMetric extends MeanMetricWrapper {
  static override className = 'BinaryCrossentropy';
  readonly fromLogits: boolean;
  constructor(args: CrossentropyMetricArgs = {}) {
    const fromLogits = args.fromLogits ?? false;
    super((t, p) => binaryCrossentropy(t, p, { fromLogits }), args.name ?? 'binary_crossentropy', 'down');
    this.fromLogits = fromLogits;
  }
  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), fromLogits: this.fromLogits };
  }
}
