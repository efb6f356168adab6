/**
 * Autosave's close journal (./close-journal.ts) kept in step with its writes: written when the page goes away with
 * something not yet known to be in IndexedDB, listened for at beforeunload only while there is, and a restored one
 * removed once a write covering it commits.
 */
import type { Teachable } from '../app/teachable';
import type { ChangeLog } from './change-log';
import { JOURNAL_VERSION, journalKey, serializeJournal, type Journal } from './close-journal';
import { journalEntries, readStoredJournal, removeStoredJournal } from './journal-entries';
import { newWriteId, type Stored } from './pending';
import type { SavedExamples } from '../app/teachable-state';

/** What autosave knows of IndexedDB when the page goes away, which the journal continues. */
export interface JournalSource {
  readonly teachable: Teachable;
  /** Rows stored per model and class. */
  readonly storedRows: ReadonlyMap<string, Stored>;
  /** The write id of the last write known to have committed, then those of the writes still under way. */
  readonly bases: readonly (string | null)[];
}

export class JournalKeeper {
  /** A close journal restored and not yet written to IndexedDB: removed once a write covering it commits. */
  private toClear: { id: string; seq: number } | null = null;
  /** The change the last close journal this page wrote goes up to. */
  private writtenUpTo = -1;
  private listening = false;
  private readonly onBeforeUnload = () => this.write();
  private readonly key: string;

  /** `source` is null while nothing is watched or IndexedDB is closed: no journal is written then. */
  constructor(
    private readonly storage: Storage,
    databaseName: string,
    private readonly changes: ChangeLog,
    private readonly source: () => JournalSource | null,
  ) {
    this.key = journalKey(databaseName);
  }

  /** The journal of the last visit, when it continues the stored state `storedWriteId` (see readStoredJournal). */
  read(storedWriteId: string | null, stored: readonly SavedExamples[]): ReturnType<typeof readStoredJournal> {
    return readStoredJournal(this.storage, this.key, storedWriteId, stored);
  }

  /** A journal the restore applied, whose additions the changes up to `seq` put into IndexedDB. */
  restored(journal: Journal, seq: number): void {
    this.toClear = { id: journal.id, seq };
  }

  /** Every change up to `seq` is in IndexedDB: a restored journal they cover goes. */
  confirmed(seq: number): void {
    if (this.toClear && this.toClear.seq <= seq) {
      removeStoredJournal(this.storage, this.key, this.toClear.id);
      this.toClear = null;
    }
  }

  /**
   * For a page that is going away: writes into the journal, at once, everything not yet known to be in IndexedDB
   * (the writes under way included, as the page may close before they commit). Never throws.
   */
  write(): void {
    const source = this.source();
    // Nothing new since the journal written at beforeunload: it stands. (Should a write started since commit, that
    // write holds all it does, and makes it stale.)
    if (!source || !this.changes.unconfirmed || this.changes.latest === this.writtenUpTo) return;
    this.writtenUpTo = this.changes.latest;
    try {
      const everything = this.changes.everythingUnconfirmed;
      const { teachable, storedRows, bases } = source;
      const entries = journalEntries(teachable, { everything, storedRows, staleKeys: this.changes.staleKeys() });
      if (!entries) return;
      const text = serializeJournal({
        version: JOURNAL_VERSION,
        id: newWriteId(),
        bases: [...bases],
        everything,
        state: { ...teachable.savedState(), savedAt: new Date().toISOString() },
        entries,
      });
      if (text !== null) this.storage.setItem(this.key, text);
    } catch (error) {
      console.warn('Autosave could not write its close journal:', error);
    }
  }

  /**
   * Listens to beforeunload while `wanted` (something watched is not yet known to be in IndexedDB), and only then:
   * Chromium asks the page's beforeunload listeners a round trip before pagehide, so a journal written there is
   * more surely kept; Firefox keeps no page with such a listener in its back-forward cache, hence not always.
   */
  listenWhile(wanted: boolean): void {
    if (wanted === this.listening || typeof window === 'undefined') return;
    if (wanted) window.addEventListener('beforeunload', this.onBeforeUnload);
    else window.removeEventListener('beforeunload', this.onBeforeUnload);
    this.listening = wanted;
  }
}
