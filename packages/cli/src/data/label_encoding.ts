/** How class labels reach the loss, chosen from the data section or (for 'auto') from the loss name. */
export type LabelEncoding = 'sparse' | 'oneHot' | 'binary';

/** The first loss name of a compile section's `loss` (a name, a list, or a map by output). */
export function lossName(loss: unknown): string | undefined {
  if (typeof loss === 'string') return loss;
  if (Array.isArray(loss)) return lossName(loss[0]);
  if (loss !== null && typeof loss === 'object') {
    const o = loss as Record<string, unknown>;
    if (typeof o.class_name === 'string') return o.class_name;
    if (typeof o.className === 'string') return o.className;
    return lossName(Object.values(o)[0]);
  }
  return undefined;
}

/** 'categorical_crossentropy' and 'CategoricalCrossentropy' alike become 'categoricalcrossentropy'. */
function squash(name: string): string {
  return name.replace(/_/g, '').toLowerCase();
}

export function resolveLabelEncoding(setting: 'auto' | LabelEncoding, loss: unknown): LabelEncoding {
  if (setting !== 'auto') return setting;
  const name = lossName(loss);
  if (name === undefined) return 'sparse';
  const squashed = squash(name);
  if (squashed === 'categoricalcrossentropy' || squashed === 'kldivergence' || squashed === 'kld' || squashed === 'categoricalhinge') return 'oneHot';
  if (squashed === 'binarycrossentropy' || squashed === 'hinge' || squashed === 'squaredhinge') return 'binary';
  return 'sparse';
}
