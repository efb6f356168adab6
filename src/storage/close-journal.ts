/**
 * The close journal: what autosave has not yet seen committed to IndexedDB when the page goes away, written
 * into localStorage during `pagehide`, and applied over what IndexedDB holds on the next restore.
 *
 * Why: Chromium aborts every IndexedDB transaction of a page that has not finished when the page closes, even
 * one whose commit() was called; so the write that pagehide starts, and one that started a few milliseconds
 * before the close, are sometimes lost, with them up to the last 2 s of a recording. localStorage is written
 * synchronously, and what a closing page writes there is kept (Chromium hands each setItem to the browser
 * process at once; test/built closes the page a few milliseconds after a recording to check), so what the
 * journal holds is there on the next visit.
 *
 * The journal continues a particular stored state: `bases` holds the write id of the last write known to have
 * committed and of the writes still under way when it was made. A stored state with another write id (another
 * tab saved since) makes the journal stale, and it is ignored.
 */
import { decodeFloat32 } from '../dataset/float32-base64';
import { THUMBNAILS_KEPT } from '../app/examples-by-model';
import type { ModelId } from '../models/catalog';
import { NO_OUTPUT } from '../outputs/class-output';
import { checkSavedState, type SavedExamples } from '../app/teachable-state';
import type { StateRecord } from './records';

export const JOURNAL_VERSION = 1;

/**
 * Longest journal written, in characters. Chromium allows an origin 10 MiB of localStorage and stores text that
 * is all Latin-1 (base64, JSON of it) at a byte a character; this leaves room for everything else.
 */
export const JOURNAL_BUDGET = 4_000_000;

export const journalKey = (databaseName: string) => `teachable-knn-close-journal:${databaseName}`;

export interface JournalEntry {
  readonly modelId: ModelId;
  readonly classId: string;
  readonly dimension: number;
  /** The rows below this one are as stored; the entry's rows replace everything from here on (0: the whole class). */
  readonly fromRow: number;
  /** Base64 of the float32 rows from `fromRow` on. */
  readonly vectors: string;
  /** Every kept thumbnail, oldest first, replacing the stored ones. */
  readonly thumbnails?: readonly string[];
  /** The thumbnails newer than the stored ones, oldest first. With neither (they did not fit), the stored ones stay. */
  readonly addedThumbnails?: readonly string[];
}

export interface Journal {
  readonly version: typeof JOURNAL_VERSION;
  readonly id: string;
  /** Write ids of the stored states this journal continues (null: nothing stored yet). */
  readonly bases: readonly (string | null)[];
  /** The entries replace every stored example (an import replaced them, or a tab took over with its own). */
  readonly everything: boolean;
  readonly state: StateRecord;
  readonly entries: readonly JournalEntry[];
  /**
   * Classes whose sound was left out of `state` to fit the budget: each keeps the sound of the stored state
   * (a sound changed since is lost, not the examples).
   */
  readonly soundsAsStored?: readonly string[];
}

/**
 * The journal's text within `budget`: without the classes' sound files if need be (up to 1.4 MB each as text,
 * and seldom changed since the last write; see withStoredSounds), then also without thumbnails; null when even
 * that is too long (the close is then left to IndexedDB alone).
 */
export function serializeJournal(journal: Journal, budget = JOURNAL_BUDGET): string | null {
  const whole = JSON.stringify(journal);
  if (whole.length <= budget) return whole;
  let shorter = journal;
  const sounds = journal.state.classes.filter((c) => c.output?.kind === 'sound').map((c) => c.id);
  if (sounds.length > 0) {
    const classes = journal.state.classes.map((c) => (c.output?.kind === 'sound' ? { ...c, output: NO_OUTPUT } : c));
    shorter = { ...journal, state: { ...journal.state, classes }, soundsAsStored: sounds };
    const soundless = JSON.stringify(shorter);
    if (soundless.length <= budget) return soundless;
  }
  const lean = JSON.stringify({ ...shorter, entries: shorter.entries.map(({ thumbnails: _all, addedThumbnails: _added, ...entry }) => entry) });
  return lean.length <= budget ? lean : null;
}

/** The journal's state, with the sounds it left out taken from the stored state (where that class has one). */
export function withStoredSounds(journal: Journal, stored: StateRecord | undefined): StateRecord {
  const left = new Set(journal.soundsAsStored ?? []);
  if (left.size === 0) return journal.state;
  const storedOutputs = new Map((stored?.classes ?? []).map((c) => [c.id, c.output]));
  const classes = journal.state.classes.map((c) => {
    const output = storedOutputs.get(c.id);
    return left.has(c.id) && output?.kind === 'sound' ? { ...c, output } : c;
  });
  return { ...journal.state, classes };
}

/** The journal in `text`, or null when there is none or it is not one this version wrote. */
export function parseJournal(text: string | null): Journal | null {
  if (!text) return null;
  try {
    const value = JSON.parse(text) as Partial<Journal>;
    const entriesOk =
      Array.isArray(value.entries) &&
      value.entries.every(
        (e: Partial<JournalEntry>) =>
          typeof e.modelId === 'string' &&
          typeof e.classId === 'string' &&
          Number.isInteger(e.dimension) &&
          Number.isInteger(e.fromRow) &&
          (e.fromRow ?? -1) >= 0 &&
          typeof e.vectors === 'string' &&
          isStringList(e.thumbnails) &&
          isStringList(e.addedThumbnails),
      );
    const basesOk = Array.isArray(value.bases) && value.bases.every((b) => b === null || typeof b === 'string');
    if (!isStringList(value.soundsAsStored)) return null;
    if (value.version !== JOURNAL_VERSION || typeof value.id !== 'string' || !basesOk || !entriesOk) return null;
    if (typeof value.everything !== 'boolean' || typeof value.state !== 'object' || value.state === null) return null;
    return value as Journal;
  } catch {
    return null;
  }
}

const isStringList = (value: unknown) => value === undefined || (Array.isArray(value) && value.every((t) => typeof t === 'string'));

/**
 * `stored` and then the thumbnails of `added` newer than the last stored one: a write that committed after the
 * journal was made may hold some of them already.
 */
function withAdded(stored: readonly string[], added: readonly string[]): readonly string[] {
  const newer = added.slice(added.lastIndexOf(stored.at(-1) ?? '') + 1);
  return [...stored, ...newer].slice(-THUMBNAILS_KEPT);
}

const keyOf = (modelId: string, classId: string) => `${modelId}\u0000${classId}`;

/**
 * The examples `stored` with `journal` applied: each entry keeps the stored rows below its `fromRow` and
 * puts its own after them. Throws a RangeError when the journal does not fit (a gap below an entry, another
 * dimension) or its state and examples are inconsistent.
 */
export function applyJournal(stored: readonly SavedExamples[], journal: Journal): SavedExamples[] {
  const byKey = new Map<string, SavedExamples>(journal.everything ? [] : stored.map((e) => [keyOf(e.modelId, e.classId), e]));
  for (const entry of journal.entries) {
    const key = keyOf(entry.modelId, entry.classId);
    const before = byKey.get(key);
    const rows = decodeFloat32(entry.vectors);
    const dimension = entry.dimension;
    if (rows.length > 0 && !(dimension > 0 && rows.length % dimension === 0)) {
      throw new RangeError(`The close journal's rows of ${entry.classId} are not whole vectors.`);
    }
    const keptRows = before && entry.fromRow > 0 ? before.vectors.length / before.dimension : 0;
    if (entry.fromRow > keptRows) throw new RangeError(`The close journal continues ${entry.classId} from row ${entry.fromRow}, but ${keptRows} are stored.`);
    if (entry.fromRow > 0 && before && before.dimension !== dimension) throw new RangeError(`The close journal's ${entry.classId} has another dimension.`);
    const vectors = new Float32Array(entry.fromRow * dimension + rows.length);
    if (before && entry.fromRow > 0) vectors.set(before.vectors.subarray(0, entry.fromRow * dimension));
    vectors.set(rows, entry.fromRow * dimension);
    if (vectors.length === 0) {
      byKey.delete(key);
      continue;
    }
    const thumbnails = entry.thumbnails ?? withAdded(before?.thumbnails ?? [], entry.addedThumbnails ?? []);
    byKey.set(key, { modelId: entry.modelId, classId: entry.classId, dimension, vectors, thumbnails });
  }
  const classIds = new Set(journal.state.classes.map((c) => c.id));
  const examples = [...byKey.values()].filter((e) => classIds.has(e.classId));
  checkSavedState(journal.state, examples);
  return examples;
}
