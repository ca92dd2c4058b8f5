/**
 * Gradients lab: the chapter's vanishing and exploding gradients, measured and plotted as SVG.
 *
 * 1. Vanishing: ||dLoss/dh_t|| over the timesteps of the adding problem for SimpleRNN, LSTM and GRU,
 *    at the start of training and after it, with the loss curves (vanishing.ts).
 * 2. Exploding: a SimpleRNN initialised with a large recurrent gain, trained without clipping, with
 *    clipnorm and with globalClipnorm: the raw gradient norms and the losses (exploding.ts).
 *
 *   node examples/dist/gradients-lab/run.js [--smoke] [--seed N]    # plots go to examples/gradients-lab/results/
 */
import * as fs from 'fs';
import * as path from 'path';
import { lineChartSvg, type ChartSeries } from '@recurrent/core';
import { ExampleOptions, runMain } from '../shared/options';
import { environment, fmt, writeJson } from '../shared/results';
import { Stopwatch } from '../shared/stopwatch';
import { MEAN_GUESS_MSE } from './adding_problem';
import { movingAverage } from './batch_losses';
import { CLIPPING, ClippingRun, ExplodingSettings, trainWithClipping } from './exploding';
import { CELLS, CellRun, VanishingSettings, trainCell } from './vanishing';

export interface LabResults {
  vanishing: { settings: VanishingSettings; runs: CellRun[] };
  exploding: { settings: ExplodingSettings; runs: ClippingRun[] };
  plots: string[];
}

const timesteps = (norms: number[]) => norms.map((v, t) => [t + 1, v] as [number, number]);

function writePlot(outDir: string, file: string, series: ChartSeries[], options: Parameters<typeof lineChartSvg>[1]): string {
  fs.mkdirSync(outDir, { recursive: true });
  fs.writeFileSync(path.join(outDir, file), lineChartSvg(series, options));
  return file;
}

/** The batch losses up to the step after which the weights stopped being finite numbers. */
function lossWhileFinite(r: ClippingRun): number[] {
  const broken = r.firstNonFiniteWeightsStep;
  return r.batchLosses.map((loss, step) => (broken !== null && step > broken ? NaN : loss));
}

/** The first index where ||dLoss/dh_t|| has fallen below `fraction` of its value at the last step. */
function reach(norms: number[], fraction: number): number {
  const last = norms[norms.length - 1];
  for (let t = norms.length - 1; t >= 0; t--) if (norms[t] < fraction * last) return norms.length - 1 - t;
  return norms.length;
}

export async function run(options: ExampleOptions): Promise<LabResults> {
  const vanishingSettings: VanishingSettings = options.smoke
    ? { steps: 20, units: 8, batches: 4, batchSize: 16, epochs: 1, learningRate: 0.002, recordEvery: 1, seed: options.seed }
    : { steps: 100, units: 32, batches: 500, batchSize: 64, epochs: 6, learningRate: 0.002, recordEvery: 50, seed: options.seed };
  const explodingSettings: ExplodingSettings = options.smoke
    ? { steps: 20, units: 8, gain: 3, batches: 4, batchSize: 16, learningRate: 0.01, seed: options.seed }
    : { steps: 100, units: 32, gain: 3, batches: 300, batchSize: 64, learningRate: 0.01, seed: options.seed };
  const timer = new Stopwatch();

  const cellRuns: CellRun[] = [];
  for (const cell of CELLS) {
    const r = await trainCell(cell, vanishingSettings);
    cellRuns.push(r);
    const first = r.dhAtStart;
    const last = r.dhAtEnd;
    options.log(
      `${cell.name}: ${r.batchLosses.length} steps in ${fmt(r.seconds, 1)}s, held-out MSE ${fmt(r.heldOutMse)} (answering the mean: ${fmt(MEAN_GUESS_MSE)}); ` +
        `||dLoss/dh_1|| / ||dLoss/dh_T||: ${(first[0] / first[first.length - 1]).toExponential(1)} at the start, ${(last[0] / last[last.length - 1]).toExponential(1)} after training`,
    );
  }
  timer.lap('vanishing');

  const clippingRuns: ClippingRun[] = [];
  for (const clipping of CLIPPING) {
    const r = await trainWithClipping(clipping, explodingSettings);
    clippingRuns.push(r);
    const finiteNorms = r.globalNorms.filter(Number.isFinite);
    options.log(
      `gain ${explodingSettings.gain}, ${clipping.name}: first raw gradient norm ${r.globalNorms[0].toExponential(2)}, ` +
        `largest finite ${finiteNorms.length > 0 ? Math.max(...finiteNorms).toExponential(2) : 'none'}, ` +
        (r.firstNonFiniteWeightsStep === null ? 'weights finite throughout' : `weights NaN or infinite after step ${r.firstNonFiniteWeightsStep + 1}`) +
        (r.firstNonFiniteStep === null ? `, loss finite throughout, final batch loss ${fmt(r.finalLoss)}` : `, loss NaN from step ${r.firstNonFiniteStep + 1}`),
    );
  }
  timer.lap('exploding');

  const T = vanishingSettings.steps;
  const smooth = Math.max(1, Math.min(25, Math.floor(cellRuns[0].batchLosses.length / 10)));
  const plots = [
    writePlot(options.outDir, 'vanishing-dh-norms-at-start.svg', cellRuns.map((r) => ({ name: r.cell, values: timesteps(r.dhAtStart) })), {
      title: `||dLoss/dh_t|| at the first training step (adding problem, T = ${T})`,
      xLabel: 'timestep t (the loss is computed after step T)',
      yLabel: '||dLoss/dh_t||',
      yScale: 'log',
    }),
    writePlot(options.outDir, 'vanishing-dh-norms-after-training.svg', cellRuns.map((r) => ({ name: `${r.cell} (step ${r.dhSteps[1] + 1})`, values: timesteps(r.dhAtEnd) })), {
      title: `||dLoss/dh_t|| after ${cellRuns[0].batchLosses.length} training steps`,
      xLabel: 'timestep t (the loss is computed after step T)',
      yLabel: '||dLoss/dh_t||',
      yScale: 'log',
    }),
    writePlot(
      options.outDir,
      'adding-problem-loss.svg',
      [
        ...cellRuns.map((r) => ({ name: r.cell, values: movingAverage(r.batchLosses, smooth) })),
        { name: 'answering the mean (1/6)', values: [[0, MEAN_GUESS_MSE], [cellRuns[0].batchLosses.length - 1, MEAN_GUESS_MSE]] as [number, number][], color: '#777777', dashed: true },
      ],
      { title: `Adding problem, T = ${T}: training loss (moving average of ${smooth} batches)`, xLabel: 'training step', yLabel: 'MSE', yScale: 'log', xStart: 0 },
    ),
    writePlot(options.outDir, 'exploding-gradient-norms.svg', clippingRuns.map((r) => ({ name: r.clipping, values: r.globalNorms })), {
      title: `SimpleRNN, orthogonal recurrent init with gain ${explodingSettings.gain}: raw global gradient norm`,
      xLabel: 'training step (SGD)',
      yLabel: 'global gradient norm before clipping',
      yScale: 'log',
      xStart: 0,
    }),
    // A model whose weights are NaN has no meaningful loss: its curve stops at the step that broke it.
    writePlot(options.outDir, 'exploding-loss.svg', clippingRuns.map((r) => ({ name: r.firstNonFiniteWeightsStep === null ? r.clipping : `${r.clipping}: weights NaN after step ${r.firstNonFiniteWeightsStep + 1}`, values: lossWhileFinite(r) })), {
      title: `SimpleRNN, recurrent gain ${explodingSettings.gain}: batch loss with and without clipping`,
      xLabel: 'training step (SGD)',
      yLabel: 'MSE',
      yScale: 'log',
      xStart: 0,
    }),
  ];

  const results: LabResults = {
    vanishing: { settings: vanishingSettings, runs: cellRuns },
    exploding: { settings: explodingSettings, runs: clippingRuns },
    plots,
  };
  const summary = {
    vanishing: cellRuns.map((r) => ({
      cell: r.cell,
      seconds: r.seconds,
      heldOutMse: r.heldOutMse,
      finalBatchLossAverage: movingAverage(r.batchLosses, smooth).at(-1),
      dhRatioFirstToLastAtStart: r.dhAtStart[0] / r.dhAtStart[r.dhAtStart.length - 1],
      dhRatioFirstToLastAfterTraining: r.dhAtEnd[0] / r.dhAtEnd[r.dhAtEnd.length - 1],
      stepsBackToAThousandthAtStart: reach(r.dhAtStart, 1e-3),
      stepsBackToAThousandthAfterTraining: reach(r.dhAtEnd, 1e-3),
    })),
    exploding: clippingRuns.map((r) => ({
      clipping: r.clipping,
      firstRawNorm: r.globalNorms[0],
      medianRawNorm: [...r.globalNorms].filter(Number.isFinite).sort((a, b) => a - b)[Math.floor(r.globalNorms.filter(Number.isFinite).length / 2)] ?? null,
      firstNonFiniteStep: r.firstNonFiniteStep,
      firstNonFiniteWeightsStep: r.firstNonFiniteWeightsStep,
      finalLoss: r.finalLoss,
    })),
  };
  writeJson(options.outDir, 'results.json', { smoke: options.smoke, seed: options.seed, seconds: timer.total, environment: environment(), settings: { vanishingSettings, explodingSettings }, summary, plots });
  if (!options.smoke) writeJson(options.outDir, 'curves.json', results);
  options.log(`plots written to ${options.outDir}: ${plots.join(', ')}`);
  return results;
}

if (require.main === module) runMain('gradients-lab', run);
