/**
 * Where the TypeScript forward pass stores what backpropagation through time needs, inside one flat
 * workspace array. Everything is step-major ([step][batch][...]) in processing order, so a backward
 * step reads one contiguous block.
 *
 *  h:      (T+1) x B x U   states; h[0] is the initial state, h[s+1] the state after step s
 *  c:      (T+1) x B x U   lstm cell states, same convention
 *  gates:  T x B x G*U     activated gates (lstm i,f,g,o; gru z,r,hh); unused by simple_rnn, whose
 *                          activated output is h[s+1] itself
 *  actC:   T x B x U       lstm act(c) at each step
 *  innerH: T x B x U       gru resetAfter: h_prev·R_h + b_rec_h, the term the reset gate multiplies
 */
import { GATES, type RecurrentDims } from '../spec';

export interface WorkspaceLayout {
  h: number;
  c: number;
  gates: number;
  actC: number;
  innerH: number;
  size: number;
}

export function workspaceLayout(dims: RecurrentDims, resetAfter: boolean): WorkspaceLayout {
  const { cell, batch: B, time: T, units: U } = dims;
  const states = (T + 1) * B * U;
  const perStep = T * B * U;
  const h = 0;
  let next = states;
  let c = -1;
  let gates = -1;
  let actC = -1;
  let innerH = -1;
  if (cell === 'lstm') {
    c = next;
    next += states;
    gates = next;
    next += perStep * GATES.lstm;
    actC = next;
    next += perStep;
  } else if (cell === 'gru') {
    gates = next;
    next += perStep * GATES.gru;
    if (resetAfter) {
      innerH = next;
      next += perStep;
    }
  }
  return { h, c, gates, actC, innerH, size: next };
}
