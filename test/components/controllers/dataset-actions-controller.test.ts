import { expect, fixture, html } from '@open-wc/testing';
import { restoredMessage } from '../../../components/controllers/autosave-controller';
import { DatasetActionsController } from '../../../components/controllers/dataset-actions-controller';
import '../../../components/tm-dataset-toolbar';
import type { TmDatasetToolbar } from '../../../components/tm-dataset-toolbar';
import { parseDataset, serializeDataset, type Dataset } from '../../../src/dataset';
import { Teachable } from '../../../src/app/teachable';
import { TINY_DIM, tinyEmbedderPair } from '../../helpers/tiny-model';

const DIM = 256;
const MODEL = 'mobilenet-v1-0.25';

function dataset(perClass: number, model: string = MODEL, dim = DIM): Dataset {
  const classes = ['Rock', 'Paper'].map((label, c) => {
    const vectors = new Float32Array(perClass * dim);
    for (let r = 0; r < perClass; r++) {
      vectors[r * dim + ((r + c) % dim)] = 0.8;
      vectors[r * dim + ((r + c + 1) % dim)] = 0.6;
    }
    return { label, color: null, vectors, thumbnails: [] };
  });
  return { model, dimension: dim, classes };
}

describe('DatasetActionsController', () => {
  const tiny = tinyEmbedderPair();
  let teachable: Teachable;
  let statuses: string[];
  let controller: DatasetActionsController;
  const clicks: HTMLAnchorElement[] = [];
  const originalClick = HTMLAnchorElement.prototype.click;

  beforeEach(() => {
    teachable = new Teachable();
    statuses = [];
    controller = new DatasetActionsController({ addController: () => undefined, requestUpdate: () => statuses.push(controller.status) } as never, teachable, {
      beforeImport: () => undefined,
    });
    HTMLAnchorElement.prototype.click = function (this: HTMLAnchorElement) {
      clicks.push(this);
    };
  });

  afterEach(() => {
    HTMLAnchorElement.prototype.click = originalClick;
    clicks.splice(0).forEach((a) => URL.revokeObjectURL(a.href));
    teachable.dispose();
  });

  it('imports a file in a worker and in steps, saying how far it is, and can be cancelled, changing nothing', async () => {
    const file = new File([serializeDataset(dataset(3000))], 'big.json', { type: 'application/json' });
    await controller.importFile(file, 'replace');
    expect(controller.status).to.equal('Imported 6,000 examples from big.json.');
    expect(statuses.some((s) => /^Importing big\.json: [\d,]+ of 6,000 examples…$/.test(s)), statuses.join(' | ')).to.equal(true);
    expect(statuses.some((s) => s === 'Checking big.json…')).to.equal(true);
    const before = teachable.savedState();
    const counts = teachable.classes.map((c) => teachable.exampleCountFor(MODEL, c.id));
    const replacing = new File([serializeDataset(dataset(4000))], 'other.json');
    const importing = controller.importFile(replacing, 'replace');
    expect(controller.busy).to.equal('import');
    // Cancelled while its examples are being stored, after the worker has read it.
    await new Promise<void>((resolve) => {
      const poll = () => (/^Importing other\.json/.test(controller.status) ? resolve() : setTimeout(poll, 1));
      poll();
    });
    controller.cancel();
    await importing;
    expect(controller.status).to.equal('The import of other.json was cancelled: your classes are as they were.');
    expect(controller.busy).to.equal(null);
    expect(teachable.savedState()).to.deep.equal(before);
    expect(teachable.classes.map((c) => teachable.exampleCountFor(MODEL, c.id))).to.deep.equal(counts);
  });

  it('cancels while the worker still reads the file', async () => {
    const importing = controller.importFile(new File([serializeDataset(dataset(2000))], 'a.json'), 'merge');
    controller.cancel();
    await importing;
    expect(controller.status).to.equal('The import of a.json was cancelled: your classes are as they were.');
    expect(teachable.classes.map((c) => c.label)).to.deep.equal(['Class 1', 'Class 2']);
  });

  it('exports exact, float16 and gzipped 8-bit files that import back', async () => {
    teachable.setEmbedder(tiny.a);
    teachable.importDataset(dataset(100, tiny.a.spec.id, TINY_DIM), { mode: 'replace' });
    const sizes: number[] = [];
    for (const format of ['exact', 'half', 'small'] as const) {
      await controller.exportFile(format);
      expect(controller.status).to.match(/^Exported \d+\.\d MB \(/);
      const link = clicks.at(-1)!;
      expect(link.download).to.equal(format === 'small' ? 'teachable-examples.json.gz' : 'teachable-examples.json');
      const blob = await (await fetch(link.href)).blob();
      sizes.push(blob.size);
      const other = new Teachable(0);
      other.setEmbedder(tiny.a);
      const back = new DatasetActionsController({ addController: () => undefined, requestUpdate: () => undefined } as never, other, { beforeImport: () => undefined });
      await back.importFile(new File([blob], link.download), 'replace');
      expect(back.status).to.equal(`Imported 200 examples from ${link.download}.`);
      other.dispose();
    }
    expect(sizes[1]).to.be.lessThan(sizes[0] * 0.55);
    expect(sizes[2]).to.be.lessThan(sizes[1] * 0.55);
    // The exact file gives back the very bits.
    await controller.exportFile('exact');
    const exact = parseDataset(await (await fetch(clicks.at(-1)!.href)).text());
    expect(Array.from(exact.classes[0].vectors)).to.deep.equal(Array.from(await teachable.readExamples(tiny.a.spec.id, teachable.classes[0].id)));
  });

  it('shows what an import will do and waits for a yes; a second "add" of the same file skips every example', async () => {
    const questions: string[] = [];
    let answer = false;
    const asking = new DatasetActionsController({ addController: () => undefined, requestUpdate: () => undefined } as never, teachable, {
      beforeImport: () => undefined,
      preview: async (question, label) => (questions.push(`${question} [${label}]`), answer),
    });
    const file = () => new File([serializeDataset(dataset(30))], 'gestures.json');
    await asking.importFile(file(), 'replace');
    expect(questions.at(-1)).to.equal('gestures.json: Replace your 2 classes (0 examples) with 2 classes (60 examples). [Replace]');
    expect(asking.status).to.equal('gestures.json was not imported: your classes are as they were.');
    expect(teachable.classes.map((c) => c.label)).to.deep.equal(['Class 1', 'Class 2']);
    answer = true;
    await asking.importFile(file(), 'replace');
    expect(asking.status).to.equal('Imported 60 examples from gestures.json.');
    await asking.importFile(file(), 'merge');
    expect(questions.at(-1)).to.equal(
      'gestures.json: Add 2 classes (0 examples) to yours: 2 classes of the same name. 60 examples already here will be skipped. [Add]',
    );
    expect(asking.status).to.equal('Imported 0 examples from gestures.json. 60 already here were skipped.');
    expect(teachable.classes.map((c) => teachable.exampleCountFor(MODEL, c.id))).to.deep.equal([30, 30]);
  });

  it('says what is wrong with a refused file, and that nothing changed', async () => {
    await controller.importFile(new File(['{"format":"teachable-knn-dataset","version":2}'], 'bad.json'), 'replace');
    expect(controller.status).to.match(/^bad\.json was not imported, and nothing changed: "encoding": a version 2 file's "encoding" is one of/);
    expect(controller.statusIsError).to.equal(true);
  });
});

describe('<tm-dataset-toolbar> while busy', () => {
  it('offers Cancel, which fires dataset-cancel, and disables export and import meanwhile', async () => {
    const el = await fixture<TmDatasetToolbar>(html`<tm-dataset-toolbar .empty=${false} .busy=${'import'}></tm-dataset-toolbar>`);
    const buttons = [...el.shadowRoot!.querySelectorAll('button')];
    const cancel = buttons.find((b) => b.textContent!.trim() === 'Cancel import')!;
    expect(buttons.find((b) => b.textContent!.trim() === 'Export examples')!.disabled).to.equal(true);
    expect(buttons.find((b) => b.textContent!.trim() === 'Choose file…')!.disabled).to.equal(true);
    let cancelled = 0;
    el.addEventListener('tm-dataset-cancel', () => cancelled++);
    cancel.click();
    expect(cancelled).to.equal(1);
  });

  it('exports in the chosen form', async () => {
    const el = await fixture<TmDatasetToolbar>(html`<tm-dataset-toolbar .empty=${false}></tm-dataset-toolbar>`);
    const select = el.shadowRoot!.querySelector<HTMLSelectElement>('select[name="export-format"]')!;
    expect([...select.options].map((o) => [o.value, o.textContent!.trim()])).to.deep.equal([
      ['exact', 'exact, float32'],
      ['half', 'compact, float16'],
      ['small', 'smallest, 8-bit and gzip'],
    ]);
    select.value = 'small';
    select.dispatchEvent(new Event('change'));
    const formats: string[] = [];
    el.addEventListener('tm-dataset-export', (e) => formats.push(e.detail.format));
    el.shadowRoot!.querySelector('button')!.click();
    expect(formats).to.deep.equal(['small']);
  });
});

describe('the message after a restart', () => {
  it('says how many examples in how many classes came back, and no more', () => {
    expect(restoredMessage({ examples: 412, classes: 3, examplesOfOtherModels: 0 })).to.equal('412 examples in 3 classes are back.');
    expect(restoredMessage({ examples: 10_188, classes: 1, examplesOfOtherModels: 0 })).to.equal('10,188 examples in 1 class are back.');
    expect(restoredMessage({ examples: 1, classes: 2, examplesOfOtherModels: 0 })).to.equal('1 example in 2 classes is back.');
    expect(restoredMessage({ examples: 0, classes: 2, examplesOfOtherModels: 0 })).to.equal('Your 2 classes are back, with no examples saved.');
    expect(restoredMessage({ examples: 30, classes: 2, examplesOfOtherModels: 10 })).to.equal('30 examples in 2 classes are back (10 of them for another model).');
  });
});
