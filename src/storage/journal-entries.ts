/**
 * The close journal in localStorage: what a closing page puts in (per model and class, the rows and thumbnails not
 * yet known stored), and reading it back.
 */
import { encodedLength, encodeFloat32 } from '../dataset/float32-base64';
import type { Teachable } from '../app/teachable';
import type { SavedExamples } from '../app/teachable-state';
import { applyJournal, JOURNAL_BUDGET, parseJournal, type Journal, type JournalEntry } from './close-journal';
import { classKey, splitKey, type Stored } from './pending';

export interface Unconfirmed {
  /** Everything stored is stale (an import or a takeover not yet committed). */
  readonly everything: boolean;
  readonly storedRows: ReadonlyMap<string, Stored>;
  /** Keys whose stored rows were made stale (cleared) by a change not yet confirmed. */
  readonly staleKeys: ReadonlySet<string>;
}

/**
 * The entries for `teachable` over what is stored, or null when their rows alone would not fit the journal's
 * budget (an import of many MB, say): the rows are then not even read, and the close is left to IndexedDB.
 */
export function journalEntries(teachable: Teachable, { everything, storedRows, staleKeys }: Unconfirmed): JournalEntry[] | null {
  const classIds = new Set(teachable.classes.map((c) => c.id));
  const dimensions = new Map(teachable.modelsWithExamples().map((m) => [m.modelId, m.dimension]));
  const keys = new Set<string>([...storedRows.keys(), ...staleKeys]);
  for (const modelId of dimensions.keys()) for (const classId of classIds) keys.add(classKey(modelId, classId));
  const entries: JournalEntry[] = [];
  const frames: { readonly entry: number; readonly urls: readonly string[]; readonly all: boolean }[] = [];
  let length = 0;
  for (const key of keys) {
    const [modelId, classId] = splitKey(key);
    if (!classIds.has(classId)) continue; // deleted: the journal's state leaves the class out
    const count = teachable.exampleCountFor(modelId, classId);
    const stored = storedRows.get(key)?.rows ?? 0;
    const rewrite = everything || staleKeys.has(key) || count < stored;
    if (!rewrite && count === stored) continue;
    const fromRow = rewrite ? 0 : stored;
    const dimension = dimensions.get(modelId) ?? 0;
    length += encodedLength((count - fromRow) * dimension);
    if (length > JOURNAL_BUDGET) return null;
    const kept = teachable.keptThumbnails(modelId, classId);
    // Appending, only the thumbnails newer than the stored ones: a few kB a frame, not the whole class's.
    const lastStored = rewrite ? undefined : storedRows.get(key)?.lastThumbnail;
    const storedFrames = storedRows.get(key)?.frames ?? 0;
    const newer = lastStored === undefined ? -1 : kept[storedFrames - 1] === lastStored ? storedFrames - 1 : kept.lastIndexOf(lastStored);
    frames.push({ entry: entries.length, urls: newer >= 0 ? kept.slice(newer + 1) : kept, all: newer < 0 });
    entries.push({ modelId, classId, dimension, fromRow, vectors: encodeFloat32(teachable.readExamplesNow(modelId, classId, fromRow)) });
  }
  // The frames where the rows leave room (every example keeps one, so a rewritten class's may be many MB): an entry
  // without them keeps the stored ones.
  for (const { entry, urls, all } of frames) {
    const chars = urls.reduce((sum, url) => sum + url.length + 3, 0);
    if (length + chars > JOURNAL_BUDGET) continue;
    length += chars;
    entries[entry] = { ...entries[entry], ...(all ? { thumbnails: [...urls] } : { addedThumbnails: urls }) };
  }
  return entries;
}

/** The journal stored under `key`, applied to `storedExamples`, when it continues the state stored as `storedWriteId`. */
export function readStoredJournal(
  storage: Storage,
  key: string,
  storedWriteId: string | null,
  storedExamples: readonly SavedExamples[],
): { value: Journal; examples: SavedExamples[] } | null {
  const text = storage.getItem(key);
  const value = parseJournal(text);
  if (text !== null && (!value || !value.bases.includes(storedWriteId))) {
    // Not one this version wrote, or stale: another write has committed since, which nothing can undo.
    storage.removeItem(key);
    return null;
  }
  if (!value) return null;
  try {
    return { value, examples: applyJournal(storedExamples, value) };
  } catch (error) {
    console.warn('The close journal does not fit what is saved; it is left out:', error);
    storage.removeItem(key);
    return null;
  }
}

/** Removes the journal stored under `key` if it is still the one named `id`. */
export function removeStoredJournal(storage: Storage, key: string, id: string): void {
  try {
    if (parseJournal(storage.getItem(key))?.id === id) storage.removeItem(key);
  } catch {
    // Left for the next restore, which finds it stale.
  }
}

/** The page's localStorage, where the journal goes, or null where it cannot be used. */
export function pageLocalStorage(): Storage | null {
  try {
    return globalThis.localStorage ?? null;
  } catch {
    return null; // a sandboxed page may not touch it
  }
}
