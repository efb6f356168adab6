/**
 * One saving tab per database. Two tabs that both saved would each write their own idea of the classes over the
 * other's (a class added in one vanishes when the other saves its list; appends land on chunks the other has
 * rewritten), so tabs take turns through a Web Lock: the first tab saves, the others wait in line and are told
 * so, and the next in line gets its turn when the saving tab closes (the browser frees a closed tab's locks).
 * Without Web Locks (old browsers, insecure pages) every tab saves, as before.
 */
import { capabilities } from '../platform/capabilities';

export interface SaveTurnOptions {
  /** The browser's lock manager; null acts as a browser without Web Locks. Defaults to navigator.locks (see capabilities()). */
  readonly locks?: LockManager | null;
  /** Another tab is saving to the same database; this one waits. */
  readonly onWaiting: () => void;
  /**
   * This tab may save now: at once (`waited` false) or after waiting for another tab that has closed. The turn is
   * held at least until the returned promise settles.
   */
  readonly onTurn: (waited: boolean) => void | Promise<void>;
}

export const saveLockName = (databaseName: string) => `teachable-knn-save:${databaseName}`;

/**
 * Asks for the turn to save `databaseName`. Returns a function that gives the turn up, or stops waiting for it;
 * call it when the tab stops saving (after its last write), so the next tab gets its turn without a reload.
 */
export function takeSaveTurn(databaseName: string, options: SaveTurnOptions): () => void {
  const locks = options.locks === undefined ? (capabilities().webLocks ? navigator.locks : null) : options.locks;
  let given = false;
  if (!locks) {
    void options.onTurn(false);
    return () => undefined;
  }
  const name = saveLockName(databaseName);
  const stopWaiting = new AbortController();
  let letGo: () => void = () => undefined;
  const heldUntilGiven = new Promise<void>((resolve) => (letGo = resolve));
  let turnTaken = false;
  const hold = async (waited: boolean) => {
    if (given) return;
    turnTaken = true;
    await options.onTurn(waited);
    await heldUntilGiven;
  };
  locks
    .request(name, { ifAvailable: true }, async (lock) => {
      if (lock) return hold(false);
      if (given) return;
      options.onWaiting();
      // Queued from outside this callback, so the failed attempt above is over and holds nothing.
      void locks.request(name, { signal: stopWaiting.signal }, () => hold(true)).catch((error: unknown) => {
        if (!stopWaiting.signal.aborted) console.warn('Waiting for the turn to save failed:', error);
      });
    })
    .catch((error: unknown) => {
      if (turnTaken) return console.warn('Saving failed while holding the turn:', error);
      // No lock to be had here (e.g. a sandboxed page): save without one, as a browser without Web Locks does.
      console.warn('The turn to save could not be asked for; saving without it:', error);
      if (!given) void hold(false);
    });
  return () => {
    given = true;
    stopWaiting.abort();
    letGo();
  };
}
