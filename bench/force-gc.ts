/** A full garbage collection on demand, for live-heap samples, without --expose-gc on the command line. */
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

/** Returns a function that forces a full GC (V8's `gc`, exposed at run time). */
export function makeGc(): () => void {
  setFlagsFromString('--expose-gc');
  return runInNewContext('gc') as () => void;
}
