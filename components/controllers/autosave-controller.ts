import type { ReactiveController, ReactiveControllerHost } from 'lit';
import { DatasetStore, type RestoredCounts, type StorageProblem } from '../../src/storage/dataset-store';
import { takeSaveTurn } from '../../src/storage/save-turn';
import type { Teachable, TeachableChange } from '../../src/app/teachable';

/** Why this tab (again) saves: it took over from another tab that closed, or a write worked after a problem. */
export type SavingAgainReason = 'took-over' | 'took-over-and-loaded' | 'recovered';

export interface AutosaveOptions {
  /** The IndexedDB database, read when the host connects (tests give each app its own). */
  readonly databaseName: () => string;
  /** Called once what was saved last time is back in the Teachable, with a sentence saying how much came back. */
  readonly onRestored: (message: string) => void;
  /** While a large restore is read and stored: a sentence saying how far it is. */
  readonly onRestoring?: (message: string) => void;
  readonly onProblem: (problem: StorageProblem) => void;
  /** Another tab of the app saves to the same database: changes made here are not saved while it is open. */
  readonly onWaiting: () => void;
  readonly onSavingAgain: (reason: SavingAgainReason) => void;
  /** Web Locks for taking turns with other tabs (tests); navigator.locks when undefined. */
  readonly locks?: LockManager | null;
}

/** Restores smaller than this are over too soon for a progress line to be read. */
const RESTORE_PROGRESS_FROM = 5000;

const count = (n: number, one: string, many: string) => `${n.toLocaleString('en')} ${n === 1 ? one : many}`;

/**
 * What the app says once the saved classes are back: the counts it restored, and nothing it does not know (a
 * browser that was killed may have lost the last moments of a recording, which no count here can tell).
 */
export function restoredMessage(counts: RestoredCounts): string {
  const classes = count(counts.classes, 'class', 'classes');
  if (counts.examples === 0) return `Your ${classes} ${counts.classes === 1 ? 'is' : 'are'} back, with no examples saved.`;
  const elsewhere = counts.examplesOfOtherModels > 0 ? ` (${counts.examplesOfOtherModels.toLocaleString('en')} of them for another model)` : '';
  return `${count(counts.examples, 'example', 'examples')} in ${classes} ${counts.examples === 1 ? 'is' : 'are'} back${elsewhere}.`;
}

/**
 * Autosave for the host's lifetime: on connect, brings back what was saved (once it knows whether another tab
 * saves), then saves every change of the Teachable in the background, taking turns with other tabs (src/storage/save-turn.ts); on disconnect, writes
 * what is pending, closes the database and hands the turn to the next tab.
 */
export class AutosaveController implements ReactiveController {
  private store: DatasetStore | null = null;
  private giveUpTurn: (() => void) | null = null;
  private connection = 0;
  private problemShown = false;
  private restoringNow = 0;
  /** Whether this tab saves now (false while another tab does, or before the store is open). */
  saving = false;

  constructor(
    host: ReactiveControllerHost,
    private readonly teachable: Teachable,
    private readonly options: AutosaveOptions,
  ) {
    host.addController(this);
  }

  hostConnected(): void {
    void this.start(++this.connection);
  }

  hostDisconnected(): void {
    this.connection++;
    this.saving = false;
    const store = this.store;
    const giveUpTurn = this.giveUpTurn;
    this.store = null;
    this.giveUpTurn = null;
    // The store keeps watching until the last write (it writes only what it watches); close() stops it. The turn
    // is handed on after that write, so the next tab reads everything this one saved.
    void (store?.flush() ?? Promise.resolve()).finally(() => {
      store?.close();
      giveUpTurn?.();
    });
  }

  /**
   * True while what was saved is being read and put back (then fitted): the Teachable's examples are replaced when
   * it is done, so a frame embedded meanwhile could neither be predicted with them nor recorded to them.
   */
  get restoring(): boolean {
    return this.restoringNow > 0;
  }

  private async start(connection: number): Promise<void> {
    const stale = () => connection !== this.connection;
    const store = await DatasetStore.open({
      name: this.options.databaseName(),
      onError: (problem) => {
        this.problemShown = true;
        this.options.onProblem(problem);
      },
    });
    if (stale()) return store.close();
    this.store = store;
    store.addEventListener('saved', () => {
      if (!this.problemShown) return;
      this.problemShown = false;
      this.options.onSavingAgain('recovered');
    });
    // Not waiting for the model: the examples go into the k-NN store (no tensors) while the model loads.
    if (stale() || !store.available) return;
    const restore = async () => {
      this.restoringNow++;
      try {
        if (await store.restore(this.teachable, this.restoreOptions(stale)) && store.restored && !stale()) {
          this.options.onRestored(restoredMessage(store.restored));
        }
      } finally {
        this.restoringNow--;
      }
    };
    let changedWhileWaiting = false;
    const noteChange = (event: Event) => {
      if ((event as CustomEvent<TeachableChange>).detail?.kind !== 'model') changedWhileWaiting = true;
    };
    // What was saved is read once this tab knows whether it saves: a tab that is closing as this one opens (a
    // reload) still writes until it is gone, and holds the turn until then.
    let shown: Promise<void> = Promise.resolve();
    this.giveUpTurn = takeSaveTurn(this.options.databaseName(), {
      locks: this.options.locks,
      onWaiting: () => {
        shown = restore().then(() => {
          if (stale()) return;
          this.teachable.addEventListener('change', noteChange);
          this.options.onWaiting();
        });
      },
      onTurn: async (waited) => {
        await shown;
        this.teachable.removeEventListener('change', noteChange);
        if (stale()) return;
        if (!waited) {
          await restore();
          if (stale()) return;
          return this.watch(store);
        }
        if (changedWhileWaiting) {
          // What this tab shows is what the person worked on last: it replaces what the closed tab saved.
          store.watch(this.teachable);
          await store.saveEverything();
        } else {
          // Nothing was done here meanwhile: pick up what the closed tab saved, then save from here.
          await store.restore(this.teachable, this.restoreOptions(stale));
          if (stale()) return;
          store.watch(this.teachable);
        }
        this.saving = true;
        this.options.onSavingAgain(changedWhileWaiting ? 'took-over' : 'took-over-and-loaded');
      },
    });
  }

  private restoreOptions(stale: () => boolean) {
    const onRestoring = this.options.onRestoring;
    let phase = 'Reading';
    let lastDone = -1;
    return {
      modelId: this.teachable.embedder?.spec.id,
      onRows: (done: number, total: number) => {
        // Reading counts up to the total, then storing counts again from 0.
        if (done < lastDone) phase = 'Putting back';
        lastDone = done;
        if (onRestoring && !stale() && total >= RESTORE_PROGRESS_FROM) onRestoring(`${phase} your saved examples: ${done.toLocaleString('en')} of ${total.toLocaleString('en')}…`);
      },
    };
  }

  private watch(store: DatasetStore): void {
    store.watch(this.teachable);
    this.saving = true;
  }
}
