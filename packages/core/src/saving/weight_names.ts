/**
 * Matching the weight names of a file to a model's weights. Writers differ:
 * - ours and TensorFlow.js: `lstm/kernel`, `bidirectional/forward_lstm/kernel`, and a wrapped layer's weights
 *   under its wrapper's name, `time_distributed/kernel`;
 * - tf.keras 2.2+ and the converter: `lstm/lstm_cell/kernel` (the cell's scope inside the layer's),
 *   sometimes with the `:0` suffix of a TensorFlow variable;
 * - earlier versions of this library: a wrapped layer's weights under the inner layer's own name
 *   (`dense/kernel` inside `time_distributed`), read here so that their files keep loading.
 * A name that does not match as written is retried without `:0` and without the second-to-last scope.
 */
import type { Layer } from '../engine/layer';
import type { LayerVariable } from '../engine/variable';

/** `dense/kernel:0` -> `dense/kernel`. */
export function stripVariableSuffix(name: string): string {
  return name.replace(/:\d+$/, '');
}

/** `lstm/lstm_cell/kernel` -> `lstm/kernel` (undefined when there is no scope to drop). */
export function withoutCellScope(name: string): string | undefined {
  const parts = name.split('/');
  if (parts.length < 3) return undefined;
  return [...parts.slice(0, -2), parts[parts.length - 1]].join('/');
}

/** The weights a layer creates itself (not those of the layers it holds). */
export function ownWeights(layer: Layer): LayerVariable[] {
  const nested = new Set(layer.childLayers.flatMap((l) => l.weights));
  return layer.weights.filter((w) => !nested.has(w));
}

/** A model's weights by the names files may give them. */
export class WeightNameIndex {
  private readonly byName = new Map<string, LayerVariable>();
  /** Older names of scoped weights; null where two weights would share one. */
  private readonly byAlias = new Map<string, LayerVariable | null>();

  constructor(model: Layer) {
    for (const w of model.weights) this.byName.set(w.name, w);
    const seen = new Set<Layer>();
    const visit = (layer: Layer): void => {
      if (seen.has(layer)) return;
      seen.add(layer);
      if (layer.weightScope !== layer.name) {
        const prefix = `${layer.weightScope}/`;
        for (const w of ownWeights(layer)) {
          if (!w.name.startsWith(prefix)) continue;
          const alias = `${layer.name}/${w.name.slice(prefix.length)}`;
          if (this.byName.has(alias)) continue;
          this.byAlias.set(alias, this.byAlias.has(alias) ? null : w);
        }
      }
      layer.childLayers.forEach(visit);
    };
    visit(model);
  }

  /** Names of the model's weights, in model order. */
  get names(): string[] {
    return [...this.byName.keys()];
  }

  /** The weight a file's name refers to, or undefined. */
  find(fileName: string): LayerVariable | undefined {
    const base = stripVariableSuffix(fileName);
    const candidates = [fileName, base];
    const noCell = withoutCellScope(base);
    if (noCell !== undefined) candidates.push(noCell);
    for (const c of candidates) {
      const w = this.byName.get(c);
      if (w) return w;
    }
    for (const c of candidates) {
      const w = this.byAlias.get(c);
      if (w) return w;
    }
    return undefined;
  }
}
