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
 * yet known to be committed also goes into the close journal (./journal-keeper.ts), which the next restore
 * applies: Chromium drops a page's unfinished transactions when it closes.
 */
import type { Teachable, TeachableChange } from '../app/teachable';
import type { ModelId } from '../models/catalog';
import { capabilities } from '../platform/capabilities';
import { ChangeLog } from './change-log';
import { withStoredSounds } from './close-journal';
import { openDatabase } from './idb';
import { pageLocalStorage } from './journal-entries';
import { JournalKeeper } from './journal-keeper';
import { classKey, newWriteId, type Stored } from './pending';
import { countRestored, readSaved, type RestoredCounts } from './read-saved';

export type { RestoredCounts } from './read-saved';
import { createStores, SCHEMA_VERSION, withSoundsBack } from './records';
import { describeProblem, type StorageProblem, type StorageProblemKind } from './storage-problem';
import { writeChanges } from './write-changes';
import { FitSaver } from './write-fits';

export type { StorageProblem, StorageProblemKind } from './storage-problem';

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

export interface RestoreOptions {
  /** Rows read, then stored, so far, of how many (each phase counts from 0). */
  readonly onRows?: (done: number, total: number) => void;
  /** The model whose examples the app shows: `restored` counts the others apart. */
  readonly modelId?: string;
}

export const DEFAULT_DATABASE_NAME = 'teachable-knn';

/**
 * Autosave's cadence. A browser that is killed (a crash, the power) runs no pagehide, so what is not yet committed
 * is lost: writing a quarter of a second after the last change, and at least every quarter second while changes keep
 * coming (recording), bounds that loss to about half a second of recording (a write takes tens of milliseconds).
 */
export const DEFAULT_DEBOUNCE_MS = 250;
export const DEFAULT_MAX_WAIT_MS = 250;

/**
 * Fires `storage-error` (CustomEvent<StorageProblem>) when saving or restoring fails, and `saved` after
 * each successful write.
 */
export class DatasetStore extends EventTarget {
  /** The last problem, or null since the last successful write. */
  problem: StorageProblem | null = null;
  /** What the last restore put back (null: nothing, or it failed). */
  restored: RestoredCounts | null = null;
  private readonly changes = new ChangeLog();
  /** The k-NN spaces' fits kept with the examples (write-fits.ts). */
  private readonly fits = new FitSaver();
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
  /** Write id of the state in IndexedDB, as far as this store knows, and of its writes not yet committed. */
  private committedWriteId: string | null = null;
  private readonly writesUnderWay = new Set<string>();
  /** The close journal, unless there is no storage for it. */
  private readonly journal: JournalKeeper | null;
  /** Whether the fits are put in a worker (put-in-worker.ts): the page's own IndexedDB, where workers are. */
  private putsInWorker = false;

  private constructor(
    private db: IDBDatabase | null,
    private readonly debounceMs: number,
    private readonly maxWaitMs: number,
    journal: { storage: Storage; databaseName: string } | null,
  ) {
    super();
    this.journal =
      journal &&
      new JournalKeeper(journal.storage, journal.databaseName, this.changes, () =>
        this.watched && this.db ? { teachable: this.watched, storedRows: this.storedRows, bases: [this.committedWriteId, ...this.writesUnderWay] } : null,
      );
  }

  /** Never rejects: when IndexedDB cannot be used the store reports it and then does nothing. */
  static async open(options: DatasetStoreOptions = {}): Promise<DatasetStore> {
    const storage = options.closeJournal === undefined ? pageLocalStorage() : options.closeJournal;
    const name = options.name ?? DEFAULT_DATABASE_NAME;
    const store = new DatasetStore(null, options.debounceMs ?? DEFAULT_DEBOUNCE_MS, options.maxWaitMs ?? DEFAULT_MAX_WAIT_MS, storage ? { storage, databaseName: name } : null);
    const onError = options.onError;
    if (onError) store.addEventListener('storage-error', (e) => onError((e as CustomEvent<StorageProblem>).detail));
    const factory = options.indexedDB === undefined ? globalThis.indexedDB : options.indexedDB;
    try {
      if (!factory) throw new DOMException('IndexedDB is not available.', 'NotSupportedError');
      store.db = await openDatabase(factory, name, SCHEMA_VERSION, createStores);
      store.putsInWorker = factory === globalThis.indexedDB && capabilities().storageWorker;
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
  async restore(teachable: Teachable, options: RestoreOptions = {}): Promise<boolean> {
    const db = this.db;
    this.restored = null;
    if (!db) return false;
    try {
      const saved = await readSaved(db, options.onRows);
      const stored = saved.state && withSoundsBack(saved.state, saved.sounds);
      const journal = this.journal?.read(stored?.writeId ?? null, saved.examples);
      const state = journal ? withStoredSounds(journal.value, stored) : stored;
      if (!state) return false;
      const examples = journal?.examples ?? saved.examples;
      this.restoring = true;
      try {
        await teachable.restoreStateInSteps(state, examples, { onRows: options.onRows, savedFits: saved.fits });
      } finally {
        this.restoring = false;
      }
      this.restored = countRestored(examples, state, options.modelId);
      // The Teachable now holds what is stored, but for what the journal adds.
      this.committedWriteId = stored?.writeId ?? null;
      this.changes.reset();
      this.storedRows.clear();
      this.storedSounds = saved.sounds;
      for (const e of saved.examples) {
        this.storedRows.set(classKey(e.modelId, e.classId), {
          modelId: e.modelId,
          classId: e.classId,
          rows: e.vectors.length / e.dimension,
          lastThumbnail: e.thumbnails.at(-1),
          frames: saved.frameCounts.get(classKey(e.modelId, e.classId)),
        });
      }
      if (journal) {
        const seq = this.changes.noteJournal(journal.value, new Set(state.classes.map((c) => c.id)), this.storedRows.values());
        this.journal?.restored(journal.value, seq);
        this.syncBeforeUnload();
      }
      // A fit made by the restore (none stored, or a stale one) is written once this store watches.
      this.fits.noteStored(saved.fits);
      for (const e of examples) this.fits.fitted(e.modelId);
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
      if (this.restoring || !this.changes.note((event as CustomEvent<TeachableChange>).detail)) return;
      this.schedule();
      this.syncBeforeUnload();
    };
    const onFitted = (event: Event) => {
      this.fits.fitted((event as CustomEvent<ModelId>).detail);
      this.schedule();
    };
    const onHidden = () => {
      if (document.visibilityState === 'hidden') void this.flush();
    };
    // The journal first: its one setItem is what a closing page most surely gets done. (beforeunload, listened
    // to only while something is unsaved, comes a round trip to the browser earlier; see syncBeforeUnload.)
    const onPageHide = () => {
      this.journal?.write();
      this.writeAtOnce();
    };
    teachable.addEventListener('change', onChange);
    teachable.addEventListener('space-fitted', onFitted);
    if (typeof document !== 'undefined') document.addEventListener('visibilitychange', onHidden);
    if (typeof window !== 'undefined') window.addEventListener('pagehide', onPageHide);
    this.watched = teachable;
    this.unwatch = () => {
      teachable.removeEventListener('change', onChange);
      teachable.removeEventListener('space-fitted', onFitted);
      if (typeof document !== 'undefined') document.removeEventListener('visibilitychange', onHidden);
      if (typeof window !== 'undefined') window.removeEventListener('pagehide', onPageHide);
      if (this.watched === teachable) this.watched = null;
      this.unwatch = null;
      this.syncBeforeUnload();
    };
    if (this.changes.waiting || this.fits.pending) this.schedule();
    this.syncBeforeUnload();
    return this.unwatch;
  }

  /** Writes whatever is pending now. Never rejects; problems are reported. */
  flush(): Promise<void> {
    if (this.timer !== null) clearTimeout(this.timer);
    this.timer = null;
    this.firstChangeAt = null;
    this.writing = this.writing.then(() => this.writePending()).then(() => this.writeFits());
    return this.writing;
  }

  /**
   * Writes the whole watched Teachable, replacing everything stored (a tab taking over from another, whose saved
   * data this tab's picture replaces). Never rejects; problems are reported.
   */
  saveEverything(): Promise<void> {
    this.changes.noteEverything();
    this.syncBeforeUnload();
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

  /** The close journal's beforeunload is listened to while something watched is not yet known to be in IndexedDB. */
  private syncBeforeUnload(): void {
    this.journal?.listenWhile(this.watched !== null && this.changes.unconfirmed);
  }

  close(): void {
    if (this.timer !== null) clearTimeout(this.timer);
    this.timer = null;
    this.unwatch?.();
    this.db?.close();
    this.db = null;
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
    const taken = db && teachable ? this.changes.take() : null;
    if (!db || !teachable || !taken) return;
    const { work, seq } = taken;
    const writeId = newWriteId();
    this.writesUnderWay.add(writeId);
    try {
      const { written, sounds } = await writeChanges(db, teachable, work, this.storedRows, this.storedSounds, writeId);
      if (work.everything) this.storedRows.clear();
      this.storedSounds = sounds;
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
      this.changes.putBack(work);
      this.syncBeforeUnload();
      this.report(error, 'write-failed');
    } finally {
      this.writesUnderWay.delete(writeId);
    }
  }

  /** The fits due, after the examples' write (never rejects). */
  private async writeFits(): Promise<void> {
    if (this.db && this.watched && this.fits.pending) await this.fits.write(this.db, this.watched, this.putsInWorker);
  }

  /** Every change up to `seq` is in IndexedDB. */
  private confirm(seq: number): void {
    this.journal?.confirmed(this.changes.confirm(seq));
    this.syncBeforeUnload();
  }

  private report(cause: unknown, fallback: StorageProblemKind): void {
    const problem = describeProblem(cause, fallback);
    this.problem = problem;
    this.dispatchEvent(new CustomEvent<StorageProblem>('storage-error', { detail: problem }));
  }
}
