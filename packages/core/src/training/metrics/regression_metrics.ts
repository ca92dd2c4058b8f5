/** Error metrics: weighted means of the per-sample regression losses. */
import { meanAbsoluteError, meanSquaredError } from '../losses/regression';
import { MeanMetricWrapper } from './mean_metric';

export class MeanSquaredError extends MeanMetricWrapper {
  static override className = 'MeanSquaredError';
  constructor(args: { name?: string } = {}) {
    super(meanSquaredError, args.name ?? 'mean_squared_error', 'down');
  }
}

export class MeanAbsoluteError extends MeanMetricWrapper {
  static override className = 'MeanAbsoluteError';
  constructor(args: { name?: string } = {}) {
    super(meanAbsoluteError, args.name ?? 'mean_absolute_error', 'down');
  }
}
