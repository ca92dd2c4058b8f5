/** Recurrent layers and cells (Keras 3 semantics), with tfjs-style factory functions. */
import { Bidirectional, type BidirectionalArgs } from '../wrappers/bidirectional';
import { GRU, type GRUArgs } from './gru';
import { GRUCell, type GRUCellArgs } from './gru_cell';
import { LSTM, type LSTMArgs } from './lstm';
import { LSTMCell, type LSTMCellArgs } from './lstm_cell';
import { RNN, type RNNArgs } from './rnn';
import { SimpleRNN, type SimpleRNNArgs } from './simple_rnn';
import { SimpleRNNCell, type SimpleRNNCellArgs } from './simple_rnn_cell';
import { StackedRNNCells, type StackedRNNCellsArgs } from './stacked_rnn_cells';

export { BuiltinCell, GatedCell, type BuiltinCellArgs, type CellWeights, type GateBlocks, type GatedCellArgs } from './builtin_cell';
export { RNNCell, type CellStepOptions, type SequenceContext } from './rnn_cell';
export { createDropoutMask, DropoutSeedStream, type CellDropoutMasks } from './dropout_masks';
export { fusedUnsupportedReason } from './fused_sequence';
export { GRU, gruArgsSchema, type GRUArgs } from './gru';
export { GRUCell, gruCellArgsSchema, type GRUCellArgs } from './gru_cell';
export { LSTM, lstmArgsSchema, type LSTMArgs } from './lstm';
export { LSTMCell, lstmCellArgsSchema, type LSTMCellArgs } from './lstm_cell';
export { RNN, rnnArgsSchema, type RNNArgs, type RNNOptions, type UseFused } from './rnn';
export { SimpleRNN, simpleRNNArgsSchema, type SimpleRNNArgs } from './simple_rnn';
export { SimpleRNNCell, simpleRNNCellArgsSchema, type SimpleRNNCellArgs } from './simple_rnn_cell';
export { StackedRNNCells, type StackedRNNCellsArgs } from './stacked_rnn_cells';
export { runStepLoop, type StepFunction, type StepLoopOptions, type StepLoopResult } from './step_loop';
export { Bidirectional, bidirectionalArgsSchema, MERGE_MODES, type BidirectionalArgs, type MergeMode } from '../wrappers/bidirectional';

export function simpleRNN(args: SimpleRNNArgs): SimpleRNN {
  return new SimpleRNN(args);
}
export function lstm(args: LSTMArgs): LSTM {
  return new LSTM(args);
}
export function gru(args: GRUArgs): GRU {
  return new GRU(args);
}
export function rnn(args: RNNArgs): RNN {
  return new RNN(args);
}
export function bidirectional(args: BidirectionalArgs): Bidirectional {
  return new Bidirectional(args);
}
export function simpleRNNCell(args: SimpleRNNCellArgs): SimpleRNNCell {
  return new SimpleRNNCell(args);
}
export function lstmCell(args: LSTMCellArgs): LSTMCell {
  return new LSTMCell(args);
}
export function gruCell(args: GRUCellArgs): GRUCell {
  return new GRUCell(args);
}
export function stackedRNNCells(args: StackedRNNCellsArgs): StackedRNNCells {
  return new StackedRNNCells(args);
}
