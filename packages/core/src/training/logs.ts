/** The numbers handed to callbacks and stored in History: metric name -> value. */
export type Logs = Record<string, number>;

/** Messages about questionable but legal use (e.g. shuffle ignored for a stateful model). */
export function warn(message: string): void {
  console.warn(`[recurrent] ${message}`);
}
