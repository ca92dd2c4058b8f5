import { z } from 'zod';

/** A finite number >= 0 (slopes, thresholds, bounds). */
export const nonNegativeNumber = () =>
  z.number({ error: (iss) => `expected a number >= 0, got ${JSON.stringify(iss.input)}` })
    .refine((v) => Number.isFinite(v) && v >= 0, { error: (iss) => `expected a number >= 0, got ${JSON.stringify(iss.input)}` });
