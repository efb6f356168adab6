/** What autosave tells the app when it cannot save or restore: a kind to act on and a sentence to show. */

export type StorageProblemKind = 'unavailable' | 'full' | 'write-failed' | 'restore-failed';

export interface StorageProblem {
  readonly kind: StorageProblemKind;
  /** A sentence for the user, e.g. shown after "Not saved: ". */
  readonly message: string;
  readonly cause: unknown;
}

/** The problem `cause` is: storage full whatever the step (QuotaExceededError), else `fallback`. */
export function describeProblem(cause: unknown, fallback: StorageProblemKind): StorageProblem {
  const name = cause instanceof DOMException || cause instanceof Error ? cause.name : '';
  const detail = cause instanceof Error || cause instanceof DOMException ? cause.message : String(cause);
  if (name === 'QuotaExceededError') {
    return {
      kind: 'full',
      message: "the browser's storage for this site is full, so the latest changes are not saved (what was saved before is kept).",
      cause,
    };
  }
  if (fallback === 'unavailable') {
    return {
      kind: 'unavailable',
      message: `this browser does not let the app store data here (private browsing?), so your classes last only until the page closes. (${detail})`,
      cause,
    };
  }
  if (fallback === 'restore-failed') return { kind: 'restore-failed', message: `the saved classes could not be read back (${detail}).`, cause };
  if (fallback === 'full') return { kind: 'full', message: `there is not enough memory or storage to save this (${detail}); what was saved before is kept.`, cause };
  return { kind: 'write-failed', message: `saving failed (${detail}).`, cause };
}
