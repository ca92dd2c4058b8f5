import { DataError } from './data_error';
import { Label } from './records';

/**
 * The classes of a label field, in a fixed order (numbers ascending, otherwise text order), so the
 * same data always gives the same class indices. Labels are compared by their JSON text, so 1 and
 * "1" are different classes.
 */
export function fitLabelVocabulary(labels: Iterable<Label>): Label[] {
  const byKey = new Map<string, Label>();
  for (const label of labels) byKey.set(JSON.stringify(label), label);
  const values = [...byKey.values()];
  const allNumbers = values.every((v) => typeof v === 'number');
  return values.sort((a, b) => (allNumbers ? (a as number) - (b as number) : String(a) < String(b) ? -1 : String(a) > String(b) ? 1 : 0));
}

/** Label -> class index lookup. */
export class LabelIndex {
  private readonly index = new Map<string, number>();

  constructor(readonly labels: readonly Label[], private readonly offset = 0) {
    labels.forEach((label, i) => this.index.set(JSON.stringify(label), i + offset));
  }

  /** Number of classes a model's output needs (including the offset slots, e.g. a padding tag). */
  get size(): number {
    return this.labels.length + this.offset;
  }

  indexOf(label: Label, where: { file: string; line: number; field: string }): number {
    const i = this.index.get(JSON.stringify(label));
    if (i === undefined) {
      throw new DataError(`unknown label ${JSON.stringify(label)}`, {
        ...where,
        fix: `labels seen in training are: ${this.labels.map((l) => JSON.stringify(l)).join(', ')}`,
      });
    }
    return i;
  }

  labelOf(index: number): Label | null {
    const i = index - this.offset;
    return i >= 0 && i < this.labels.length ? this.labels[i] : null;
  }
}
