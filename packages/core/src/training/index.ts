/** The training engine: compile, fit, evaluate, the *OnBatch methods, losses, metrics, optimizers and callbacks. */
export type { ModelLike, WeightLike, LayerLike, ConstraintLike } from './model_like';
export { compileModel, getCompileConfig, getCompiled, isCompiled, optimizerOf, type CompileArgs, type MetricsSpec, type PerOutput } from './compile_args';
export { fitModel, type FitArgs } from './fit';
export { evaluateModel, type EvaluateArgs } from './evaluate';
export { trainOnBatch, testOnBatch, predictOnBatch, type OnBatchOptions } from './batch_methods';
export { History } from './history';
export type { Logs } from './logs';
export type { Shuffle, BatchElement, BatchIterable, IndexedData, DataPosition } from './data_adapter';
export type { TrainingRun, RunPosition } from './training_run';
export type { ClassWeight } from './class_weight';
export * as losses from './losses';
export * as metrics from './metrics';
export * from './optimizers';
export * as optimizers from './optimizers';
export * from './callbacks';
export * as callbacks from './callbacks';
export { appendEpoch, emptyTrainingLog, historyCsv, type TrainingLog } from './report/training_log';
export { historyCharts, trainingReportHtml, type ReportInfo } from './report/report_html';
