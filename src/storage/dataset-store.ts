/**
 * Autosave: keeps the classes, their examples for every model, the kept thumbnails and the settings in
 * IndexedDB, and puts them back on the next visit.
 *
 *   const store = await DatasetStore.open({ onError: (p) => show(`Not saved: ${p.message}`) });
 *   await store.restore(teachable);
 *   store.watch(teachable);
 *
 * Nothing here throws into the app: without IndexedDB (some private modes), or when storage is full, the
 * store reports a StorageProblem and the app carries on unsaved. Writes stay off the frame path: a change
 * only marks what changed; a debounced flush reads the new rows asynchronously and writes them in one
 * transaction, appending to the last chunk rather than rewriting a class. When the page goes away, what is not
 * yet known to be committed also goes into the close journal (./close-journal.ts), which the next restore
 * applies: Chromium drops a page's unfinished transactions when it closes.
 */
import type { ModelId } from '../models/catalog';
import type { SavedExamples, Teachable, TeachableChange } from '../app/teachable';
import { applyJournal, JOURNAL_BUDGET, JOURNAL_VERSION, journalKey, parseJournal, serializeJournal, withStoredSounds, type Journal, type JournalEntry } from './close-journal';
import { encodedLength, encodeFloat32 } from '../dataset/float32-base64';
import { openDatabase, requestResult, transactionDone } from './idb';
import {
  chunkRange,
  createStores,
  ROWS_PER_CHUNK,
  SCHEMA_VERSION,
  SOUND_STORE,
  STATE_KEY,
  STATE_STORE,
  THUMBNAIL_STORE,
  VECTOR_STORE,
  withSoundsAside,
  withSoundsBack,
  type SoundRecord,
  type StateRecord,
  type ThumbnailRecord,
  type VectorChunkRecord,
} from './records';

export type StorageProblemKind = 'unavailable' | 'full' | 'write-failed' | 'restore-failed';

export interface StorageProblem {
  readonly kind: StorageProblemKind;
  /** A sentence for the user, e.g. shown after "Not saved: ". */
  readonly message: string;
  readonly cause: unknown;
}

export interface DatasetStoreOptions {
  /** IndexedDB database name. */
  readonly name?: string;
  /** Defaults to the page's indexedDB; null (or a factory that throws) behaves like a browser without it. */
  readonly indexedDB?: IDBFactory | null;
  /** Quiet time after a change before writing. */
  readonly debounceMs?: number;
  /** Longest a change waits while changes keep coming (recording). */
  readonly maxWaitMs?: number;
  /** Called for every problem, including one while opening (before any listener could be added). */
  readonly onError?: (problem: StorageProblem) => void;
  /** Where the close journal goes; defaults to the page's localStorage; null writes none. */
  readonly closeJournal?: Storage | null;
}

export const DEFAULT_DATABASE_NAME = 'teachable-knn';

const classKey = (modelId: ModelId, classId: string) => `${modelId}\u0000${classId}`;
const splitKey = (key: string) => key.split('\u0000') as [ModelId, string];
const newWriteId = () => `${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 10)}`;

function pageLocalStorage(): Storage | null {
  try {
    return globalThis.localStorage ?? null;
  } catch {
    return null; // a sandboxed page may not touch it
  }
}

/** What IndexedDB holds of a model's class, as far as this store knows. */
interface Stored {
  readonly modelId: ModelId;
  readonly classId: string;
  readonly rows: number;
  /** The newest of the stored thumbnails, if any. */
  readonly lastThumbnail?: string;
}

/** What changed since the last write. */
interface Pending {
  everything: boolean;
  /** Keys whose stored rows are stale: delete and write again. */
  rewrite: Set<string>;
  /** Keys with new rows after the stored ones. */
  append: Set<string>;
  deletedClasses: Set<string>;
}

const nothingPending = (): Pending => ({ everything: false, rewrite: new Set(), append: new Set(), deletedClasses: new Set() });

/**
 * Fires `storage-error` (CustomEvent<StorageProblem>) when saving or restoring fails, and `saved` after
 * each successful write.
 */
export class DatasetStore extends EventTarget {
  /** The last problem, or null since the last successful write. */
  problem: StorageProblem | null = null;
  private pending = nothingPending();
  private dirty = false;
  /** Rows stored per model and class. */
  private readonly storedRows = new Map<string, Stored>();
  /** The sound files in SOUND_STORE, by class id: a write puts only those that changed. */
  private storedSounds: ReadonlyMap<string, string> = new Map();
  private timer: ReturnType<typeof setTimeout> | null = null;
  private firstChangeAt: number | null = null;
  private writing: Promise<void> = Promise.resolve();
  private watched: Teachable | null = null;
  private unwatch: (() => void) | null = null;
  private restoring = false;
  /** Changes noted so far; every one up to `confirmedSeq` is in IndexedDB. */
  private seq = 0;
  private confirmedSeq = 0;
  /** When each key's stored rows were last made stale (cleared), and when everything stored was. */
  private readonly rewriteSeq = new Map<string, number>();
  private everythingSeq = 0;
  /** Write id of the state in IndexedDB, as far as this store knows, and of its writes not yet committed. */
  private committedWriteId: string | null = null;
  private readonly writesUnderWay = new Set<string>();
  /** A close journal restored and not yet written to IndexedDB: removed once a write covering it commits. */
  private journalToClear: { id: string; seq: number } | null = null;
  /** The change the last close journal this page wrote goes up to. */
  private journalSeq = -1;
  private listeningBeforeUnload = false;
  private readonly onBeforeUnload = () => this.writeJournal();

  private constructor(
    private db: IDBDatabase | null,
    private readonly debounceMs: number,
    private readonly maxWaitMs: number,
    private readonly journal: { storage: Storage; key: string } | null,
  ) {
    super();
  }

  /** Never rejects: when IndexedDB cannot be used the store reports it and then does nothing. */
  static async open(options: DatasetStoreOptions = {}): Promise<DatasetStore> {
    const storage = options.closeJournal === undefined ? pageLocalStorage() : options.closeJournal;
    const name = options.name ?? DEFAULT_DATABASE_NAME;
    const store = new DatasetStore(null, options.debounceMs ?? 500, options.maxWaitMs ?? 2000, storage ? { storage, key: journalKey(name) } : null);
    const onError = options.onError;
    if (onError) store.addEventListener('storage-error', (e) => onError((e as CustomEvent<StorageProblem>).detail));
    const factory = options.indexedDB === undefined ? globalThis.indexedDB : options.indexedDB;
    try {
      if (!factory) throw new DOMException('IndexedDB is not available.', 'NotSupportedError');
      store.db = await openDatabase(factory, name, SCHEMA_VERSION, createStores);
      // Another tab upgrading the schema: let it, and stop saving here rather than block it.
      store.db.onversionchange = () => store.close();
    } catch (error) {
      store.report(error, 'unavailable');
    }
    return store;
  }

  /** False when IndexedDB could not be opened: nothing is saved. */
  get available(): boolean {
    return this.db !== null;
  }

  /**
   * Puts the saved classes, examples, thumbnails and settings into `teachable`, replacing what it has, with the
   * close journal of the last visit applied when it continues what is stored (it is then written to IndexedDB
   * once this store watches). Resolves true if something was restored, false when nothing was saved or it could
   * not be read (reported).
   */
  async restore(teachable: Teachable): Promise<boolean> {
    const db = this.db;
    if (!db) return false;
    try {
      const transaction = db.transaction([STATE_STORE, VECTOR_STORE, THUMBNAIL_STORE, SOUND_STORE], 'readonly');
      const [record, chunks, thumbnails, soundRecords] = await Promise.all([
        requestResult(transaction.objectStore(STATE_STORE).get(STATE_KEY) as IDBRequest<StateRecord | undefined>),
        requestResult(transaction.objectStore(VECTOR_STORE).getAll() as IDBRequest<VectorChunkRecord[]>),
        requestResult(transaction.objectStore(THUMBNAIL_STORE).getAll() as IDBRequest<ThumbnailRecord[]>),
        requestResult(transaction.objectStore(SOUND_STORE).getAll() as IDBRequest<SoundRecord[]>),
      ]);
      const soundFiles = new Map(soundRecords.map((r) => [r.classId, r.dataUrl]));
      const stored = record && withSoundsBack(record, soundFiles);
      const storedExamples = assembleExamples(chunks, thumbnails);
      const journal = this.readJournal(stored?.writeId ?? null, storedExamples);
      const state = journal ? withStoredSounds(journal.value, stored) : stored;
      if (!state) return false;
      this.restoring = true;
      try {
        teachable.restoreState(state, journal?.examples ?? storedExamples);
      } finally {
        this.restoring = false;
      }
      // The Teachable now holds what is stored, but for what the journal adds.
      this.committedWriteId = stored?.writeId ?? null;
      this.pending = nothingPending();
      this.dirty = false;
      this.rewriteSeq.clear();
      this.confirmedSeq = this.seq;
      this.storedRows.clear();
      this.storedSounds = soundFiles;
      for (const e of storedExamples) {
        this.storedRows.set(classKey(e.modelId, e.classId), {
          modelId: e.modelId,
          classId: e.classId,
          rows: e.vectors.length / e.dimension,
          lastThumbnail: e.thumbnails.at(-1),
        });
      }
      if (journal) this.noteJournal(journal.value, state);
      return true;
    } catch (error) {
      this.report(error, 'restore-failed');
      return false;
    }
  }

  /**
   * Saves every later change of `teachable` in the background (and at once what a restored close journal added).
   * Returns a function that stops watching.
   */
  watch(teachable: Teachable): () => void {
    this.unwatch?.();
    const onChange = (event: Event) => {
      if (!this.restoring) this.note((event as CustomEvent<TeachableChange>).detail);
    };
    const onHidden = () => {
      if (document.visibilityState === 'hidden') void this.flush();
    };
    // The journal first: its one setItem is what a closing page most surely gets done. (beforeunload, listened
    // to only while something is unsaved, comes a round trip to the browser earlier; see syncBeforeUnload.)
    const onPageHide = () => {
      this.writeJournal();
      this.writeAtOnce();
    };
    teachable.addEventListener('change', onChange);
    if (typeof document !== 'undefined') document.addEventListener('visibilitychange', onHidden);
    if (typeof window !== 'undefined') window.addEventListener('pagehide', onPageHide);
    this.watched = teachable;
    this.unwatch = () => {
      teachable.removeEventListener('change', onChange);
      if (typeof document !== 'undefined') document.removeEventListener('visibilitychange', onHidden);
      if (typeof window !== 'undefined') window.removeEventListener('pagehide', onPageHide);
      if (this.watched === teachable) this.watched = null;
      this.unwatch = null;
      this.syncBeforeUnload();
    };
    if (this.dirty) this.schedule();
    this.syncBeforeUnload();
    return this.unwatch;
  }

  /** Writes whatever is pending now. Never rejects; problems are reported. */
  flush(): Promise<void> {
    if (this.timer !== null) clearTimeout(this.timer);
    this.timer = null;
    this.firstChangeAt = null;
    this.writing = this.writing.then(() => this.writePending());
    return this.writing;
  }

  /**
   * Writes the whole watched Teachable, replacing everything stored (a tab taking over from another, whose saved
   * data this tab's picture replaces). Never rejects; problems are reported.
   */
  saveEverything(): Promise<void> {
    this.pending.everything = true;
    this.everythingSeq = ++this.seq;
    this.syncBeforeUnload();
    this.dirty = true;
    return this.flush();
  }

  /**
   * For a page that is closing: starts writing what is pending in this task, beside any write still under way
   * rather than after it, as the page may get no later task. The two transactions commit in the order they
   * were made, and the second, counting from the rows stored before the first, writes each class it touches
   * from no later a row than the first did: the result is what the two writes in turn would have stored.
   */
  private writeAtOnce(): void {
    if (this.timer !== null) clearTimeout(this.timer);
    this.timer = null;
    this.firstChangeAt = null;
    this.writing = Promise.all([this.writing, this.writePending()]).then(() => undefined);
  }

  /**
   * For a page that is going away: writes into the close journal, at once, everything not yet known to be in
   * IndexedDB (the writes under way included, as the page may close before they commit). Never throws.
   */
  private writeJournal(): void {
    const teachable = this.watched;
    const journal = this.journal;
    // Nothing new since the journal written at beforeunload: it stands. (Should a write started since commit, that
    // write holds all it does, and makes it stale.)
    if (!teachable || !journal || !this.db || this.seq <= this.confirmedSeq || this.seq === this.journalSeq) return;
    this.journalSeq = this.seq;
    try {
      const everything = this.everythingSeq > this.confirmedSeq;
      const classIds = new Set(teachable.classes.map((c) => c.id));
      const dimensions = new Map(teachable.modelsWithExamples().map((m) => [m.modelId, m.dimension]));
      const keys = new Set<string>([...this.storedRows.keys(), ...this.rewriteSeq.keys()]);
      for (const modelId of dimensions.keys()) for (const classId of classIds) keys.add(classKey(modelId, classId));
      const entries: JournalEntry[] = [];
      let length = 0;
      for (const key of keys) {
        const [modelId, classId] = splitKey(key);
        if (!classIds.has(classId)) continue; // deleted: the journal's state leaves the class out
        const count = teachable.exampleCountFor(modelId, classId);
        const stored = this.storedRows.get(key)?.rows ?? 0;
        const rewrite = everything || (this.rewriteSeq.get(key) ?? 0) > this.confirmedSeq || count < stored;
        if (!rewrite && count === stored) continue;
        const fromRow = rewrite ? 0 : stored;
        const dimension = dimensions.get(modelId) ?? 0;
        // Rows that could never fit are not read (an import of many MB, say): the close is left to IndexedDB.
        length += encodedLength((count - fromRow) * dimension);
        if (length > JOURNAL_BUDGET) return;
        const kept = teachable.keptThumbnails(modelId, classId);
        // Appending, only the thumbnails newer than the stored ones: a few kB a frame, not the whole class's.
        const lastStored = rewrite ? undefined : this.storedRows.get(key)?.lastThumbnail;
        const newer = lastStored === undefined ? -1 : kept.lastIndexOf(lastStored);
        entries.push({
          modelId,
          classId,
          dimension,
          fromRow,
          vectors: encodeFloat32(teachable.readExamplesNow(modelId, classId, fromRow)),
          ...(newer >= 0 ? { addedThumbnails: kept.slice(newer + 1) } : { thumbnails: [...kept] }),
        });
      }
      const text = serializeJournal({
        version: JOURNAL_VERSION,
        id: newWriteId(),
        bases: [this.committedWriteId, ...this.writesUnderWay],
        everything,
        state: { ...teachable.savedState(), savedAt: new Date().toISOString() },
        entries,
      });
      if (text !== null) journal.storage.setItem(journal.key, text);
    } catch (error) {
      console.warn('Autosave could not write its close journal:', error);
    }
  }

  /** The stored close journal applied to `storedExamples`, when it continues the state stored as `storedWriteId`. */
  private readJournal(storedWriteId: string | null, storedExamples: readonly SavedExamples[]): { value: Journal; examples: SavedExamples[] } | null {
    if (!this.journal) return null;
    const text = this.journal.storage.getItem(this.journal.key);
    const value = parseJournal(text);
    if (text !== null && (!value || !value.bases.includes(storedWriteId))) {
      // Not one this version wrote, or stale: another write has committed since, which nothing can undo.
      this.journal.storage.removeItem(this.journal.key);
      return null;
    }
    if (!value) return null;
    try {
      return { value, examples: applyJournal(storedExamples, value) };
    } catch (error) {
      console.warn('The close journal does not fit what is saved; it is left out:', error);
      this.journal.storage.removeItem(this.journal.key);
      return null;
    }
  }

  /** Marks what a restored journal added as pending, so that the first write puts it into IndexedDB. */
  private noteJournal(journal: Journal, state: StateRecord): void {
    const seq = ++this.seq;
    if (journal.everything) {
      this.pending.everything = true;
      this.everythingSeq = seq;
    }
    for (const entry of journal.entries) {
      const key = classKey(entry.modelId, entry.classId);
      if (entry.fromRow > 0) {
        this.pending.append.add(key);
      } else {
        this.pending.rewrite.add(key);
        this.rewriteSeq.set(key, seq);
      }
    }
    const classIds = new Set(state.classes.map((c) => c.id));
    for (const entry of this.storedRows.values()) {
      if (!classIds.has(entry.classId)) this.pending.deletedClasses.add(entry.classId);
    }
    this.dirty = true;
    this.journalToClear = { id: journal.id, seq };
    this.syncBeforeUnload();
  }

  /**
   * Listens to beforeunload while something is not yet known to be in IndexedDB, and only then: Chromium asks
   * the page's beforeunload listeners a round trip before pagehide, so a journal written there is more surely
   * kept; Firefox keeps no page with such a listener in its back-forward cache, hence not always.
   */
  private syncBeforeUnload(): void {
    const wanted = this.watched !== null && this.journal !== null && this.seq > this.confirmedSeq;
    if (wanted === this.listeningBeforeUnload || typeof window === 'undefined') return;
    if (wanted) window.addEventListener('beforeunload', this.onBeforeUnload);
    else window.removeEventListener('beforeunload', this.onBeforeUnload);
    this.listeningBeforeUnload = wanted;
  }

  private removeJournal(id: string): void {
    if (!this.journal) return;
    try {
      if (parseJournal(this.journal.storage.getItem(this.journal.key))?.id === id) this.journal.storage.removeItem(this.journal.key);
    } catch {
      // Left for the next restore, which finds it stale.
    }
  }

  close(): void {
    if (this.timer !== null) clearTimeout(this.timer);
    this.timer = null;
    this.unwatch?.();
    this.db?.close();
    this.db = null;
  }

  private note(change: TeachableChange | null | undefined): void {
    if (change?.kind === 'model') return; // nothing stored changes
    const p = this.pending;
    const seq = ++this.seq;
    switch (change?.kind) {
      case 'examples-added':
        p.append.add(classKey(change.modelId, change.classId));
        break;
      case 'examples-cleared':
        p.rewrite.add(classKey(change.modelId, change.classId));
        this.rewriteSeq.set(classKey(change.modelId, change.classId), seq);
        break;
      case 'class-deleted':
        p.deletedClasses.add(change.classId);
        break;
      case 'classes':
      case 'settings':
        break; // the state record is written on every flush
      default:
        p.everything = true; // 'everything', or a change this store does not know: save it all
        this.everythingSeq = seq;
    }
    this.dirty = true;
    this.schedule();
    this.syncBeforeUnload();
  }

  private schedule(): void {
    if (!this.db) return;
    const now = Date.now();
    this.firstChangeAt ??= now;
    if (this.timer !== null) clearTimeout(this.timer);
    const wait = Math.max(0, Math.min(this.debounceMs, this.firstChangeAt + this.maxWaitMs - now));
    this.timer = setTimeout(() => void this.flush(), wait);
  }

  private async writePending(): Promise<void> {
    const db = this.db;
    const teachable = this.watched;
    if (!db || !teachable || !this.dirty) return;
    const work = this.pending;
    this.pending = nothingPending();
    this.dirty = false;
    const seq = this.seq;
    const writeId = newWriteId();
    this.writesUnderWay.add(writeId);
    try {
      const written = await this.write(db, teachable, work, writeId);
      for (const [key, entry] of written) {
        if (entry.rows > 0) this.storedRows.set(key, entry);
        else this.storedRows.delete(key);
      }
      this.committedWriteId = writeId;
      this.confirm(seq);
      this.problem = null;
      this.dispatchEvent(new Event('saved'));
    } catch (error) {
      // The transaction is all or nothing, so nothing of `work` was written: keep it for the next change.
      this.merge(work);
      this.report(error, 'write-failed');
    } finally {
      this.writesUnderWay.delete(writeId);
    }
  }

  /** Every change up to `seq` is in IndexedDB. */
  private confirm(seq: number): void {
    this.confirmedSeq = Math.max(this.confirmedSeq, seq);
    for (const [key, at] of this.rewriteSeq) if (at <= this.confirmedSeq) this.rewriteSeq.delete(key);
    if (this.journalToClear && this.journalToClear.seq <= this.confirmedSeq) {
      this.removeJournal(this.journalToClear.id);
      this.journalToClear = null;
    }
    this.syncBeforeUnload();
  }

  /** One transaction with everything in `work`; returns the rows now stored for each key it touched. */
  private async write(db: IDBDatabase, teachable: Teachable, work: Pending, writeId: string): Promise<Map<string, Stored>> {
    const classIds = new Set(teachable.classes.map((c) => c.id));
    const written = new Map<string, Stored>();
    const deletes: { modelId: ModelId; classId: string }[] = [];
    const writes: { modelId: ModelId; classId: string; fromRow: number; rewrite: boolean }[] = [];

    if (work.everything) {
      for (const { modelId } of teachable.modelsWithExamples()) {
        for (const classId of classIds) writes.push({ modelId, classId, fromRow: 0, rewrite: true });
      }
    } else {
      for (const entry of this.storedRows.values()) {
        if (work.deletedClasses.has(entry.classId)) deletes.push(entry);
      }
      const keys = new Set([...work.rewrite, ...work.append]);
      for (const key of keys) {
        const [modelId, classId] = key.split('\u0000') as [ModelId, string];
        if (!classIds.has(classId)) continue;
        const stored = this.storedRows.get(key)?.rows ?? 0;
        const count = teachable.exampleCountFor(modelId, classId);
        const rewrite = work.rewrite.has(key) || count < stored;
        // Appending starts at the last, partly filled chunk, which is written again whole.
        writes.push({ modelId, classId, rewrite, fromRow: rewrite ? 0 : Math.floor(stored / ROWS_PER_CHUNK) * ROWS_PER_CHUNK });
      }
    }
    const dimensions = new Map(teachable.modelsWithExamples().map((m) => [m.modelId, m.dimension]));
    // Everything is picked synchronously here, so the snapshot is consistent; only the reads are awaited.
    const { record: state, sounds } = withSoundsAside({ ...teachable.savedState(), savedAt: new Date().toISOString(), writeId });
    const reads = writes.map((w) => teachable.readExamples(w.modelId, w.classId, w.fromRow));
    const thumbnails = writes.map((w) => teachable.keptThumbnails(w.modelId, w.classId));
    const rows = await Promise.all(reads);

    const transaction = db.transaction([STATE_STORE, VECTOR_STORE, THUMBNAIL_STORE, SOUND_STORE], 'readwrite');
    const done = transactionDone(transaction);
    const vectors = transaction.objectStore(VECTOR_STORE);
    const thumbs = transaction.objectStore(THUMBNAIL_STORE);
    const soundStore = transaction.objectStore(SOUND_STORE);
    try {
      if (work.everything) {
        vectors.clear();
        thumbs.clear();
        soundStore.clear();
      }
      // Only the sound files that changed: writing them all again took tens of milliseconds a write.
      sounds.forEach((dataUrl, classId) => {
        if (work.everything || this.storedSounds.get(classId) !== dataUrl) soundStore.put({ classId, dataUrl } satisfies SoundRecord);
      });
      if (!work.everything) for (const classId of this.storedSounds.keys()) if (!sounds.has(classId)) soundStore.delete(classId);
      for (const { modelId, classId } of deletes) {
        vectors.delete(chunkRange(modelId, classId));
        thumbs.delete([modelId, classId]);
        written.set(classKey(modelId, classId), { modelId, classId, rows: 0 });
      }
      writes.forEach((w, i) => {
        const dimension = dimensions.get(w.modelId) ?? 0;
        if (w.rewrite) vectors.delete(chunkRange(w.modelId, w.classId));
        const data = rows[i];
        if (dimension > 0) {
          const chunkSize = ROWS_PER_CHUNK * dimension;
          for (let start = 0; start < data.length; start += chunkSize) {
            const record: VectorChunkRecord = {
              modelId: w.modelId,
              classId: w.classId,
              chunk: (w.fromRow + start / dimension) / ROWS_PER_CHUNK,
              dimension,
              data: data.slice(start, start + chunkSize),
            };
            vectors.put(record);
          }
        }
        if (thumbnails[i].length) thumbs.put({ modelId: w.modelId, classId: w.classId, urls: [...thumbnails[i]] } satisfies ThumbnailRecord);
        else thumbs.delete([w.modelId, w.classId]);
        const total = dimension > 0 ? w.fromRow + data.length / dimension : 0;
        written.set(classKey(w.modelId, w.classId), { modelId: w.modelId, classId: w.classId, rows: total, lastThumbnail: thumbnails[i].at(-1) });
      });
      transaction.objectStore(STATE_STORE).put(state, STATE_KEY);
      // Commit now rather than once the event loop turns again: a closing page gets no further turn.
      transaction.commit();
    } catch (error) {
      // A put can throw synchronously (QuotaExceededError, DataCloneError): undo the rest.
      transaction.abort();
      await done.catch(() => undefined);
      throw error;
    }
    await done;
    if (work.everything) {
      this.storedRows.clear();
    }
    this.storedSounds = sounds;
    return written;
  }

  private merge(work: Pending): void {
    const p = this.pending;
    // Noted again: a write that started before this one failed, and commits after, does not cover it.
    const seq = ++this.seq;
    p.everything ||= work.everything;
    if (work.everything) this.everythingSeq = seq;
    work.rewrite.forEach((k) => {
      p.rewrite.add(k);
      this.rewriteSeq.set(k, seq);
    });
    work.append.forEach((k) => p.append.add(k));
    work.deletedClasses.forEach((id) => p.deletedClasses.add(id));
    this.dirty = true;
    this.syncBeforeUnload();
  }

  private report(cause: unknown, fallback: StorageProblemKind): void {
    const name = cause instanceof DOMException || cause instanceof Error ? cause.name : '';
    const detail = cause instanceof Error || cause instanceof DOMException ? cause.message : String(cause);
    let problem: StorageProblem;
    if (name === 'QuotaExceededError') {
      problem = { kind: 'full', message: "the browser's storage for this site is full, so the latest changes are not saved.", cause };
    } else if (fallback === 'unavailable') {
      problem = {
        kind: 'unavailable',
        message: `this browser does not let the app store data here (private browsing?), so your classes last only until the page closes. (${detail})`,
        cause,
      };
    } else if (fallback === 'restore-failed') {
      problem = { kind: 'restore-failed', message: `the saved classes could not be read back (${detail}).`, cause };
    } else {
      problem = { kind: 'write-failed', message: `saving failed (${detail}).`, cause };
    }
    this.problem = problem;
    this.dispatchEvent(new CustomEvent<StorageProblem>('storage-error', { detail: problem }));
  }
}

/** Chunks back into one array per model and class; a missing chunk or a dimension that changes is refused. */
function assembleExamples(chunks: readonly VectorChunkRecord[], thumbnails: readonly ThumbnailRecord[]): SavedExamples[] {
  const grouped = new Map<string, VectorChunkRecord[]>();
  for (const chunk of chunks) {
    const key = classKey(chunk.modelId, chunk.classId);
    grouped.set(key, [...(grouped.get(key) ?? []), chunk]);
  }
  const thumbsByKey = new Map(thumbnails.map((t) => [classKey(t.modelId, t.classId), t.urls]));
  return [...grouped.values()].map((list) => {
    // IndexedDB returns records in key order, so chunks already come sorted.
    const { modelId, classId, dimension } = list[0];
    let length = 0;
    list.forEach((c, i) => {
      if (c.chunk !== i || c.dimension !== dimension || !(c.data instanceof Float32Array) || c.data.length % dimension !== 0) {
        throw new RangeError(`The saved examples of ${classId} for ${modelId} are damaged (chunk ${i}).`);
      }
      if (i < list.length - 1 && c.data.length !== ROWS_PER_CHUNK * dimension) {
        throw new RangeError(`The saved examples of ${classId} for ${modelId} are damaged (chunk ${i} is short).`);
      }
      length += c.data.length;
    });
    const vectors = new Float32Array(length);
    let offset = 0;
    for (const c of list) {
      vectors.set(c.data, offset);
      offset += c.data.length;
    }
    return { modelId, classId, dimension, vectors, thumbnails: thumbsByKey.get(classKey(modelId, classId)) ?? [] };
  });
}
