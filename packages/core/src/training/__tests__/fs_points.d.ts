export interface DiskChange {
  name: string;
  target: string;
  args: unknown[];
  original: (...args: unknown[]) => unknown;
}

export function patchDiskChanges(onPoint: (change: DiskChange) => void): () => void;
