import type { DatasetStore } from '../../src/storage/dataset-store';
import type { Teachable } from '../../src/app/teachable';

/** A restore, and the kept frames it reads after it has resolved: what the page holds a moment after a reload. */
export async function restoreWithFrames(store: DatasetStore, teachable: Teachable): Promise<boolean> {
  const restored = await store.restore(teachable);
  await store.framesRead();
  return restored;
}
