import { expect } from '@open-wc/testing';
import type { ReactiveController, ReactiveControllerHost } from 'lit';
import { AutosaveController } from '../../../components/controllers/autosave-controller';
import { Teachable } from '../../../src/app/teachable';
import type { Dataset } from '../../../src/dataset';
import { journalKey } from '../../../src/storage/close-journal';
import { DatasetStore } from '../../../src/storage/dataset-store';

const DIM = 256;

function unitRows(count: number, seed: number): Float32Array {
  let a = seed;
  const out = new Float32Array(count * DIM);
  for (let r = 0; r < count; r++) {
    for (let i = 0; i < DIM; i++) out[r * DIM + i] = (a = (Math.imul(a, 1103515245) + 12345) >>> 0) / 2 ** 32 + 1e-3;
    const norm = Math.hypot(...out.subarray(r * DIM, (r + 1) * DIM));
    for (let i = 0; i < DIM; i++) out[r * DIM + i] /= norm;
  }
  return out;
}

const file: Dataset = {
  model: 'mobilenet-v1-0.25',
  dimension: DIM,
  classes: ['Rock', 'Paper'].map((label, i) => ({ label, color: null, vectors: unitRows(40, i + 1), thumbnails: [] })),
};

/** The least of a Lit host an AutosaveController uses. */
function host(): ReactiveControllerHost {
  return {
    addController: (_: ReactiveController) => undefined,
    removeController: () => undefined,
    requestUpdate: () => undefined,
    updateComplete: Promise.resolve(true),
  };
}

function deleteDatabase(name: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const request = indexedDB.deleteDatabase(name);
    request.onsuccess = () => resolve();
    request.onerror = () => reject(request.error);
  });
}

describe('AutosaveController', () => {
  let name: string;
  const teachables: Teachable[] = [];
  afterEach(async () => {
    teachables.splice(0).forEach((t) => t.dispose());
    localStorage.removeItem(journalKey(name));
    await deleteDatabase(name);
  });

  it('says it is restoring from the start of a restore to its end, and not before or after', async () => {
    name = `autosave-restoring-${Math.random().toString(36).slice(2)}`;
    const saved = new Teachable();
    teachables.push(saved);
    saved.importDataset(file, { mode: 'replace' });
    const store = await DatasetStore.open({ name });
    store.watch(saved);
    await store.saveEverything();
    store.close();

    const teachable = new Teachable();
    teachables.push(teachable);
    const seen: { restoringWhenBack: boolean; examplesWhenBack: number }[] = [];
    let back: () => void = () => undefined;
    const restored = new Promise<void>((resolve) => (back = resolve));
    const controller = new AutosaveController(host(), teachable, {
      databaseName: () => name,
      onRestored: () => {
        seen.push({ restoringWhenBack: controller.restoring, examplesWhenBack: teachable.classes.reduce((n, c) => n + teachable.exampleCountFor('mobilenet-v1-0.25', c.id), 0) });
        back();
      },
      onProblem: () => undefined,
      onWaiting: () => undefined,
      onSavingAgain: () => undefined,
    });
    expect(controller.restoring, 'before connecting').to.equal(false);
    controller.hostConnected();
    let sawRestoring = false;
    const watching = (async () => {
      while (seen.length === 0) {
        sawRestoring ||= controller.restoring;
        await new Promise((resolve) => setTimeout(resolve, 0));
      }
    })();
    await restored;
    await watching;
    expect(seen).to.deep.equal([{ restoringWhenBack: true, examplesWhenBack: 80 }]);
    expect(sawRestoring, 'restoring while the examples were read').to.equal(true);
    await new Promise((resolve) => setTimeout(resolve, 0));
    expect(controller.restoring, 'after the restore').to.equal(false);
    controller.hostDisconnected();
  });
});
