import { expect } from '@open-wc/testing';
import { encodeFloat32 } from '../../../src/dataset/float32-base64';
import type { ModelId } from '../../../src/models/catalog';
import { applyJournal, JOURNAL_VERSION, parseJournal, serializeJournal, withStoredSounds, type Journal, type JournalEntry } from '../../../src/storage/close-journal';
import { Teachable, type SavedExamples } from '../../../src/app/teachable';

const MODEL = 'mobilenet_v2_0.35' as ModelId;
const state = { ...new Teachable(2).savedState(), savedAt: '2026-01-01T00:00:00.000Z' };
const rows = (...values: number[][]) => new Float32Array(values.flat());
const stored = (classId: string, vectors: Float32Array, thumbnails: string[]): SavedExamples => ({ modelId: MODEL, classId, dimension: 2, vectors, thumbnails });
const entry = (fields: Partial<JournalEntry> & { vectors: string }): JournalEntry => ({ modelId: MODEL, classId: 'class-1', dimension: 2, fromRow: 0, ...fields });
const journal = (entries: JournalEntry[], everything = false): Journal => ({ version: JOURNAL_VERSION, id: 'j', bases: [null], everything, state, entries });

describe('close journal', () => {
  it('appends its rows after the stored ones below fromRow, and its newer thumbnails once each', () => {
    const before = [stored('class-1', rows([1, 0], [0, 1]), ['a', 'b']), stored('class-2', rows([1, 0]), ['z'])];
    const applied = applyJournal(before, journal([entry({ fromRow: 2, vectors: encodeFloat32(rows([0.6, 0.8])), addedThumbnails: ['c'] })]));
    expect(Array.from(applied[0].vectors)).to.deep.equal(Array.from(rows([1, 0], [0, 1], [0.6, 0.8])));
    expect(applied[0].thumbnails).to.deep.equal(['a', 'b', 'c']);
    expect(applied[1], 'a class the journal does not name is as stored').to.equal(before[1]);
    // A write that committed after the journal was made already holds the row and the thumbnail.
    const committed = [stored('class-1', rows([1, 0], [0, 1], [0.6, 0.8]), ['a', 'b', 'c'])];
    const again = applyJournal(committed, journal([entry({ fromRow: 2, vectors: encodeFloat32(rows([0.6, 0.8])), addedThumbnails: ['c'] })]));
    expect(again[0].vectors.length).to.equal(6);
    expect(again[0].thumbnails).to.deep.equal(['a', 'b', 'c']);
  });

  it('replaces a class from row 0, drops one left empty, and with `everything` keeps nothing stored it does not name', () => {
    const before = [stored('class-1', rows([1, 0], [0, 1]), ['a']), stored('class-2', rows([1, 0]), ['z'])];
    const cleared = applyJournal(before, journal([entry({ vectors: '', thumbnails: [] })]));
    expect(cleared.map((e) => e.classId)).to.deep.equal(['class-2']);
    const replaced = applyJournal(before, journal([entry({ vectors: encodeFloat32(rows([0, 1])), thumbnails: ['n'] })], true));
    expect(replaced.map((e) => [e.classId, Array.from(e.vectors), e.thumbnails])).to.deep.equal([['class-1', [0, 1], ['n']]]);
  });

  it('refuses a journal that leaves a gap, or whose rows are not whole vectors', () => {
    const before = [stored('class-1', rows([1, 0]), [])];
    expect(() => applyJournal(before, journal([entry({ fromRow: 2, vectors: encodeFloat32(rows([0, 1])) })]))).to.throw(RangeError, /from row 2/);
    expect(() => applyJournal(before, journal([entry({ vectors: encodeFloat32(new Float32Array(3)) })]))).to.throw(RangeError, /whole vectors/);
  });

  it('parses only what it wrote, and leaves the thumbnails out, then everything, when over the budget', () => {
    const value = journal([entry({ vectors: encodeFloat32(rows([1, 0])), thumbnails: ['x'.repeat(500)] })]);
    expect(parseJournal(serializeJournal(value))).to.deep.equal(value);
    for (const text of [null, '', '{', '[]', JSON.stringify({ ...value, version: 0 }), JSON.stringify({ ...value, entries: [{ classId: 1 }] })]) {
      expect(parseJournal(text), String(text)).to.equal(null);
    }
    const withoutThumbnails = JSON.stringify({ ...value, entries: [{ ...value.entries[0], thumbnails: undefined }] }).length;
    const lean = serializeJournal(value, withoutThumbnails);
    expect(lean).to.have.length(withoutThumbnails);
    expect(parseJournal(lean)?.entries[0].thumbnails).to.equal(undefined);
    expect(serializeJournal(value, withoutThumbnails - 1)).to.equal(null);
  });

  it('leaves the sounds out first, then the thumbnails, and takes the sounds back from the stored state', () => {
    const sound = (name: string) => ({ kind: 'sound' as const, name, dataUrl: `data:audio/wav;base64,${btoa(name.repeat(300))}` });
    const [first, second] = state.classes;
    const withSounds = { ...state, classes: [{ ...first, output: sound('new') }, { ...second, output: sound('b') }] };
    const value: Journal = { ...journal([entry({ vectors: encodeFloat32(rows([1, 0])), thumbnails: ['t'.repeat(200)] })]), state: withSounds };
    const soundless = serializeJournal(value, JSON.stringify(value).length - 1)!;
    const parsed = parseJournal(soundless)!;
    expect(parsed.soundsAsStored).to.deep.equal([first.id, second.id]);
    expect(parsed.state.classes.map((c) => c.output)).to.deep.equal([{ kind: 'none' }, { kind: 'none' }]);
    expect(parsed.entries, 'the examples and thumbnails are kept').to.deep.equal(value.entries);
    const lean = parseJournal(serializeJournal(value, soundless.length - 1))!;
    expect([lean.soundsAsStored, lean.entries[0].thumbnails, lean.entries[0].vectors]).to.deep.equal([parsed.soundsAsStored, undefined, value.entries[0].vectors]);
    // The stored state has a sound for the second class only: the first's newer one is lost, not its examples.
    const stored = { ...state, classes: [first, { ...second, output: sound('b') }] };
    expect(withStoredSounds(parsed, stored).classes.map((c) => c.output)).to.deep.equal([{ kind: 'none' }, sound('b')]);
    expect(withStoredSounds(value, stored), 'a journal with its sounds is as written').to.equal(value.state);
    expect(parseJournal(JSON.stringify({ ...parsed, soundsAsStored: [1] }))).to.equal(null);
  });
});
