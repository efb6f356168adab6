import type { ReactiveController, ReactiveControllerHost } from 'lit';
import { pageBackendReady } from '../src/backend';
import { DatasetStore, type StorageProblem } from '../src/storage/dataset-store';
import type { Teachable } from '../src/teachable';

export interface AutosaveOptions {
  /** The IndexedDB database, read when the host connects (tests give each app its own). */
  readonly databaseName: () => string;
  /** Called once what was saved last time is back in the Teachable. */
  readonly onRestored: () => void;
  readonly onProblem: (problem: StorageProblem) => void;
}

/**
 * Autosave for the host's lifetime: on connect, brings back what was saved, then saves every change of the
 * Teachable in the background; on disconnect, writes what is pending and closes the database.
 */
export class AutosaveController implements ReactiveController {
  private store: DatasetStore | null = null;
  private stopWatching: (() => void) | null = null;
  private connection = 0;

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
    this.stopWatching?.();
    this.stopWatching = null;
    const store = this.store;
    this.store = null;
    void store?.flush().finally(() => store.close());
  }

  private async start(connection: number): Promise<void> {
    const store = await DatasetStore.open({ name: this.options.databaseName(), onError: this.options.onProblem });
    if (connection !== this.connection) return store.close();
    this.store = store;
    await pageBackendReady(); // the restored examples become tensors
    if (connection !== this.connection) return;
    if (await store.restore(this.teachable)) this.options.onRestored();
    if (connection !== this.connection) return;
    this.stopWatching = store.watch(this.teachable);
  }
}
