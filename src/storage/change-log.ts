/**
 * Autosave's record of what changed and what is known to be in IndexedDB. Every change gets a sequence number; a
 * write takes what is pending and, once committed, confirms every change up to the number it was taken at.
 */
import type { TeachableChange } from '../app/teachable';
import type { Journal } from './close-journal';
import { classKey, nothingPending, type Pending, type Stored } from './pending';

export class ChangeLog {
  private pending = nothingPending();
  private dirty = false;
  /** Changes noted so far; every one up to `confirmedSeq` is in IndexedDB. */
  private seq = 0;
  private confirmedSeq = 0;
  /** When each key's stored rows were last made stale (cleared), and when everything stored was. */
  private readonly rewriteSeq = new Map<string, number>();
  private everythingSeq = 0;

  /** The number of the latest change. */
  get latest(): number {
    return this.seq;
  }

  /** Something changed that is not yet known to be in IndexedDB. */
  get unconfirmed(): boolean {
    return this.seq > this.confirmedSeq;
  }

  /** Something is waiting for a write (not yet taken by one). */
  get waiting(): boolean {
    return this.dirty;
  }

  /** Everything stored is stale, by a change not yet confirmed (an import, a takeover). */
  get everythingUnconfirmed(): boolean {
    return this.everythingSeq > this.confirmedSeq;
  }

  /** Keys whose stored rows a change not yet confirmed made stale. */
  staleKeys(): Set<string> {
    return new Set([...this.rewriteSeq].filter(([, at]) => at > this.confirmedSeq).map(([key]) => key));
  }

  /** Notes a change; false for one that changes nothing stored. */
  note(change: TeachableChange | null | undefined): boolean {
    if (change?.kind === 'model') return false;
    const p = this.pending;
    const seq = ++this.seq;
    switch (change?.kind) {
      case 'examples-added':
        p.append.add(classKey(change.modelId, change.classId));
        break;
      case 'examples-cleared':
      case 'examples-rewritten':
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
    return true;
  }

  /** Everything is to be written again (a tab taking over, whose picture replaces what is stored). */
  noteEverything(): void {
    this.pending.everything = true;
    this.everythingSeq = ++this.seq;
    this.dirty = true;
  }

  /** What a restored close journal added, as pending; returns the change number that covers it. */
  noteJournal(journal: Journal, classIds: ReadonlySet<string>, storedRows: Iterable<Stored>): number {
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
    for (const entry of storedRows) if (!classIds.has(entry.classId)) this.pending.deletedClasses.add(entry.classId);
    this.dirty = true;
    return seq;
  }

  /** What is pending, for a write, and the change number it goes up to; null when nothing is. */
  take(): { work: Pending; seq: number } | null {
    if (!this.dirty) return null;
    const work = this.pending;
    this.pending = nothingPending();
    this.dirty = false;
    return { work, seq: this.seq };
  }

  /** A write of `work` failed: it is pending again, as a new change (a write that started before and commits after does not cover it). */
  putBack(work: Pending): void {
    const p = this.pending;
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
  }

  /** Every change up to `seq` is in IndexedDB. */
  confirm(seq: number): number {
    this.confirmedSeq = Math.max(this.confirmedSeq, seq);
    for (const [key, at] of this.rewriteSeq) if (at <= this.confirmedSeq) this.rewriteSeq.delete(key);
    return this.confirmedSeq;
  }

  /** What is stored is what the Teachable holds (a restore): nothing is pending. */
  reset(): void {
    this.pending = nothingPending();
    this.dirty = false;
    this.rewriteSeq.clear();
    this.confirmedSeq = this.seq;
  }
}
