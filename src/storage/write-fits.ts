/**
 * Keeps each model's fitted k-NN space (KnnClassifier.savedFit) in FIT_STORE, so that a reload puts it back rather
 * than fitting it again. A fit is written when one worth saving is done (Teachable's `space-fitted`), and only if it
 * is not the one already stored. It goes in a transaction of its own, apart from the examples' writes: a fit stored
 * for rows other than those stored is not used (its counts and checksums do not match them) and is fitted again.
 */
import type { ModelId } from '../models/catalog';
import type { SavedFit } from '../classifier/knn/saved-fit';
import { putRecords } from './idb';
import { putInWorker } from './put-in-worker';
import { FIT_STORE, type FitRecord } from './records';

/** What a FitSaver reads its fits from (a Teachable). */
export interface FitSource {
  savedFit(modelId: ModelId): SavedFit | null;
}

const checksumOf = (fit: unknown): number | undefined =>
  typeof fit === 'object' && fit !== null && typeof (fit as { checksum?: unknown }).checksum === 'number' ? (fit as { checksum: number }).checksum : undefined;

export class FitSaver {
  /** The checksum of the fit stored per model, as far as this page knows. */
  private readonly stored = new Map<ModelId, number | undefined>();
  /** Models whose fit may be newer than the one stored. */
  private readonly due = new Set<ModelId>();

  get pending(): boolean {
    return this.due.size > 0;
  }

  /** What a restore read back. */
  noteStored(fits: ReadonlyMap<ModelId, unknown>): void {
    this.stored.clear();
    for (const [modelId, fit] of fits) this.stored.set(modelId, checksumOf(fit));
  }

  /** A fit of `modelId` worth saving may be ready. */
  fitted(modelId: ModelId): void {
    this.due.add(modelId);
  }

  /**
   * Writes the fits due that differ from the ones stored: in the autosave worker when `inWorker` (put-in-worker.ts),
   * else or if it cannot, on the page. A failure is only logged: the examples are saved apart, and without a stored
   * fit the next restore fits the space, as it did before fits were kept.
   */
  async write(db: IDBDatabase, source: FitSource, inWorker: boolean): Promise<void> {
    const records: FitRecord[] = [];
    for (const modelId of this.due) {
      const fit = source.savedFit(modelId);
      if (fit && this.stored.get(modelId) !== fit.checksum) records.push({ modelId, fit });
    }
    this.due.clear();
    if (records.length === 0) return;
    try {
      const putByWorker = inWorker && (await putInWorker(db, FIT_STORE, records).then(() => true, () => false));
      if (!putByWorker) await putRecords(db, FIT_STORE, records);
      for (const { modelId, fit } of records) this.stored.set(modelId, checksumOf(fit));
    } catch (error) {
      console.warn('Autosave could not keep the fitted k-NN space (the next reload fits it again):', error);
    }
  }
}
