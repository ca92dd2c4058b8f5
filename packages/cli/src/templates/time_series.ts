import { ExperimentJson } from './experiment_json';

/** Forecast tomorrow's US births from the last four weeks with an LSTM (z-scored, last 10% held out). */
export const timeSeriesTemplate: ExperimentJson = {
  name: 'us-births-lstm',
  description: 'Daily US births 1969-1988: LSTM(32) over 28-day windows predicts the next day.',
  seed: 11,
  model: {
    class_name: 'Sequential',
    config: {
      name: 'births_forecaster',
      layers: [
        { class_name: 'LSTM', config: { name: 'lstm', units: 32, batch_input_shape: [null, '$window', '$numFeatures'] } },
        { class_name: 'Dense', config: { name: 'forecast', units: '$outputSize' } },
      ],
    },
  },
  compile: { optimizer: 'adam', loss: 'mse', metrics: ['mae'] },
  data: {
    kind: 'timeseries',
    dataset: 'us-births',
    features: ['births', 'day_of_week'],
    targets: ['births'],
    window: 28,
    horizon: 1,
    normalization: 'zscore',
    validation_split: 0.1,
  },
  fit: { epochs: 20, batch_size: 64 },
  output: 'out',
};
