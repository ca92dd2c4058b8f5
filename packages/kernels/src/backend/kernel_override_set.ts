/**
 * Replacements for some of tfjs's kernels on one backend, each built from the kernel it replaces.
 * The originals are kept: a replacement hands the cases it does not cover back to its original, and
 * `unregister` puts tfjs's own kernels back (for measurements and tests).
 */
import * as tf from '@tensorflow/tfjs';

export type KernelConfig = NonNullable<ReturnType<typeof tf.getKernel>>;
export type KernelBuilder = (original: KernelConfig) => KernelConfig;

export class KernelOverrideSet {
  private readonly originals = new Map<string, KernelConfig>();

  constructor(private readonly backend: string) {}

  /** Replaces each named kernel not replaced yet (so calling again does nothing); returns the names replaced. */
  register(builders: Readonly<Record<string, KernelBuilder>>): string[] {
    for (const [name, build] of Object.entries(builders)) {
      if (this.originals.has(name)) continue;
      const original = tf.getKernel(name, this.backend);
      if (!original) continue; // the backend has no kernel of that name to replace
      const replacement = build(original);
      tf.unregisterKernel(name, this.backend);
      tf.registerKernel(replacement);
      this.originals.set(name, original);
    }
    return this.active();
  }

  /** Restores the original kernels. */
  unregister(): void {
    for (const [name, original] of this.originals) {
      tf.unregisterKernel(name, this.backend);
      tf.registerKernel(original);
    }
    this.originals.clear();
  }

  /** Names of the kernels replaced now. */
  active(): string[] {
    return [...this.originals.keys()];
  }
}
