/** The option combinations every comparison test runs, for each cell. */
import { ACTIVATIONS, type CellKind } from '../../spec';
import type { CaseOptions } from './random_case';

export const CELLS: readonly CellKind[] = ['simple_rnn', 'lstm', 'gru'];

/** A readable name for test titles. */
export function caseName(o: CaseOptions): string {
  const parts: string[] = [o.cell];
  if (o.cell === 'gru') parts.push(o.resetAfter === false ? 'resetBefore' : 'resetAfter');
  if (o.mask && o.mask !== 'none') parts.push(`mask=${o.mask}`);
  if (o.zeroOutputForMask) parts.push('zeroOutputForMask');
  if (o.goBackwards) parts.push('goBackwards');
  if (o.initialStates) parts.push('initialStates');
  if (o.bias === false) parts.push('noBias');
  if (o.inputDropout) parts.push('inputDropout');
  if (o.recurrentDropout) parts.push('recurrentDropout');
  if (o.activation) parts.push(`act=${o.activation}`);
  if (o.recurrentActivation) parts.push(`ract=${o.recurrentActivation}`);
  return parts.join(' ');
}

export function casesFor(cell: CellKind, seed = 1): CaseOptions[] {
  const variations: Array<Omit<CaseOptions, 'cell'>> = [
    {},
    { mask: 'gaps' },
    { mask: 'gaps', zeroOutputForMask: true },
    { mask: 'fully_masked_row', initialStates: true },
    { mask: 'leading', initialStates: true },
    { mask: 'right_padded', goBackwards: true },
    { goBackwards: true, initialStates: true },
    { bias: false },
    { inputDropout: true, recurrentDropout: true, mask: 'gaps' },
    ...ACTIVATIONS.map((activation) => ({ activation })),
    ...(cell === 'simple_rnn' ? [] : ACTIVATIONS.map((recurrentActivation) => ({ recurrentActivation }))),
  ];
  const base: CaseOptions[] = variations.map((o) => ({ ...o, cell }));
  const variants = cell !== 'gru' ? base : [
    ...base,
    ...([{}, { mask: 'gaps' }, { bias: false }, { recurrentDropout: true, inputDropout: true }, { goBackwards: true, initialStates: true }, { activation: 'relu' }] as Array<Omit<CaseOptions, 'cell'>>)
      .map((o) => ({ ...o, cell, resetAfter: false })),
  ];
  return variants.map((o, i) => ({ ...o, seed: seed * 1000 + i + 1 }));
}
