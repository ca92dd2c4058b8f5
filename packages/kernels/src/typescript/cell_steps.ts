/** The step functions of each cell. */
import type { CellKind } from '../spec';
import { gruBackwardStep, gruForwardStep } from './gru_steps';
import { lstmBackwardStep, lstmForwardStep } from './lstm_steps';
import { simpleRnnBackwardStep, simpleRnnForwardStep } from './simple_rnn_steps';
import type { BackwardStep, ForwardStep } from './step_types';

export const CELL_STEPS: Record<CellKind, { forward: ForwardStep; backward: BackwardStep }> = {
  simple_rnn: { forward: simpleRnnForwardStep, backward: simpleRnnBackwardStep },
  lstm: { forward: lstmForwardStep, backward: lstmBackwardStep },
  gru: { forward: gruForwardStep, backward: gruBackwardStep },
};
