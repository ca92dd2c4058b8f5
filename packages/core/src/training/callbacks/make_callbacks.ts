/** The callback list of a fit or evaluate run, and the verbose setting. */
import { Callback, CallbackList, toCallback, type CustomCallbackArgs } from './callback';
import { ProgbarLogger } from './progbar_logger';

export type Verbose = 0 | 1 | 2 | 'auto';

export function resolveVerbose(v: Verbose | undefined): 0 | 1 | 2 {
  return v === undefined || v === 'auto' ? 1 : v;
}

/** Builds the callback list: the progress bar first (when verbose), the user's callbacks, History last. */
export function makeCallbackList(user: (Callback | CustomCallbackArgs)[] | Callback | CustomCallbackArgs | undefined, verbose: 0 | 1 | 2, history: Callback | null, where: string): CallbackList {
  const list = user === undefined ? [] : Array.isArray(user) ? user : [user];
  const callbacks = list.map((c) => toCallback(c, `${where}: callbacks`));
  const all: Callback[] = [];
  if (verbose > 0 && !callbacks.some((c) => c instanceof ProgbarLogger)) all.push(new ProgbarLogger());
  all.push(...callbacks);
  if (history) all.push(history);
  return new CallbackList(all);
}

