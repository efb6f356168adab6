/**
 * The three kinds of stored examples every k-NN and whole-frame figure is measured on. A pruned search's cost
 * depends on what the rows are, not only on how many, so each figure is taken on:
 * - 'random': seeded uniform random non-negative unit rows (no structure at all);
 * - 'real': real embeddings of ../shared/datasets photos (webcam-hand-gestures, one of its gestures per class),
 *   by the real model, cycling through them when a class needs more rows than it has photos (each repeat with
 *   its own small camera-like noise, so no two rows are equal);
 * - 'held': what holding a class's button records: runs of 30 to 300 near-duplicates, each run a real photo's
 *   embedding drifting slowly with small camera-like noise on every frame.
 * Queries: 'random', random rows; 'real', photos never stored (every 10th of each gesture); 'held', a new frame of
 * one of the stored runs (the user showing the camera the same thing again: the case where candidates pile up).
 */
import { mulberry32 } from '../../scripts/eval/sampling';
import { perClass, unitRows } from './vectors';

export type DataKind = 'random' | 'real' | 'held';
export const DATA_KINDS: readonly DataKind[] = ['random', 'real', 'held'];

/** Real embeddings, grouped by class: `stored` may go into the store, `held out` only serve as queries. */
export interface Corpus {
  readonly dim: number;
  readonly name: string;
  readonly classes: readonly { readonly label: string; readonly stored: Float32Array; readonly heldOut: Float32Array }[];
}

export interface StoreData {
  /** Per class, its rows end to end (unnormalised: the store scales them to unit length). */
  readonly rows: Float32Array[];
  /** Queries, asked in turn. */
  readonly queries: Float32Array[];
}

/** The per-frame noise of a held-button run, and how far a run drifts from its first frame, in units of a row's rms. */
const FRAME_NOISE = 0.03;
const RUN_DRIFT = 0.05;
const MIN_RUN = 30;
const MAX_RUN = 300;

/** Fetches the cached embeddings the Node side made (bench/corpus.mjs), or null when it made none. */
export async function loadCorpus(url: string | null): Promise<Corpus | null> {
  if (!url) return null;
  const header = (await (await fetch(`${url}.json`)).json()) as { dim: number; name: string; classes: { label: string; count: number }[] };
  const all = new Float32Array(await (await fetch(`${url}.f32`)).arrayBuffer());
  let at = 0;
  const classes = header.classes.map(({ label, count }) => {
    const rows = Array.from({ length: count }, (_, r) => all.subarray((at + r) * header.dim, (at + r + 1) * header.dim));
    at += count;
    const flat = (keep: (r: number) => boolean) => {
      const kept = rows.filter((_, r) => keep(r));
      const out = new Float32Array(kept.length * header.dim);
      kept.forEach((row, i) => out.set(row, i * header.dim));
      return out;
    };
    return { label, stored: flat((r) => r % 10 !== 9), heldOut: flat((r) => r % 10 === 9) };
  });
  return { dim: header.dim, name: header.name, classes };
}

function rowOf(flat: Float32Array, r: number, dim: number): Float32Array {
  return flat.subarray(r * dim, (r + 1) * dim);
}

function rms(row: Float32Array): number {
  let squares = 0;
  for (let i = 0; i < row.length; i++) squares += row[i] * row[i];
  return Math.sqrt(squares / row.length);
}

/** A zero-mean, unit-variance draw (uniform: cheap, and camera noise after a network is no cleaner). */
const centred = (random: () => number) => (random() - 0.5) * Math.sqrt(12);

/** `base` + noise into `out`, post-ReLU (non-negative): the noise is `level` x the base's rms per component. */
function noisy(base: Float32Array, drift: Float32Array | null, driftLevel: number, level: number, random: () => number, out: Float32Array): void {
  const scale = rms(base);
  for (let i = 0; i < base.length; i++) {
    out[i] = Math.max(0, base[i] + scale * ((drift ? driftLevel * drift[i] : 0) + level * centred(random)));
  }
}

function randomQueries(dim: number, count: number, seed: number): Float32Array[] {
  const random = mulberry32(seed);
  return Array.from({ length: count }, () => Float32Array.from({ length: dim }, () => random()));
}

/** Per class, rows cycling through its stored photos; every repeat after the first gets its own noise. */
function realRows(corpus: Corpus, counts: readonly number[], random: () => number): Float32Array[] {
  const { dim } = corpus;
  return counts.map((n, c) => {
    const source = corpus.classes[c % corpus.classes.length].stored;
    const available = source.length / dim;
    const out = new Float32Array(n * dim);
    for (let r = 0; r < n; r++) {
      const photo = rowOf(source, r % available, dim);
      if (r < available) out.set(photo, r * dim);
      else noisy(photo, null, 0, FRAME_NOISE, random, rowOf(out, r, dim));
    }
    return out;
  });
}

/** Per class, runs of near-duplicates of its photos (random rows when there is no corpus); and a new frame of a run per class. */
function heldRows(corpus: Corpus | null, counts: readonly number[], dim: number, random: () => number): StoreData {
  const bases = corpus ? corpus.classes.map((c) => c.stored) : unitRows(7, counts.map(() => 50), dim);
  const queries: Float32Array[] = [];
  const rows = counts.map((n, c) => {
    const source = bases[c % bases.length];
    const available = source.length / dim;
    const out = new Float32Array(n * dim);
    const drift = new Float32Array(dim);
    let queryBase: Float32Array | null = null;
    for (let r = 0; r < n; ) {
      const length = Math.min(n - r, MIN_RUN + Math.floor(random() * (MAX_RUN - MIN_RUN + 1)));
      const base = rowOf(source, Math.floor(random() * available), dim);
      for (let i = 0; i < dim; i++) drift[i] = centred(random);
      for (let t = 0; t < length; t++) noisy(base, drift, (RUN_DRIFT * t) / length, FRAME_NOISE, random, rowOf(out, r + t, dim));
      queryBase ??= base;
      r += length;
    }
    const query = new Float32Array(dim);
    if (queryBase) noisy(queryBase, null, 0, FRAME_NOISE, random, query);
    queries.push(query);
    return out;
  });
  return { rows, queries };
}

/**
 * `n` stored examples of `kind` in `classes` classes of `dim` numbers, and the queries to time them with; the same
 * every time for the same arguments. 'real' needs the corpus; 'held' uses it when there is one.
 */
export function storeData(kind: DataKind, n: number, classes: number, dim: number, corpus: Corpus | null): StoreData {
  const counts = perClass(n, classes);
  const random = mulberry32(n + 17);
  if (kind === 'random') return { rows: unitRows(n, counts, dim), queries: randomQueries(dim, classes, 1) };
  if (kind === 'held') return heldRows(corpus && corpus.dim === dim ? corpus : null, counts, dim, random);
  if (!corpus || corpus.dim !== dim) throw new Error('no real embeddings of this dimension: see bench/corpus.mjs');
  const queries = Array.from({ length: classes }, (_, c) => rowOf(corpus.classes[c % corpus.classes.length].heldOut, 0, dim).slice());
  return { rows: realRows(corpus, counts, random), queries };
}

/**
 * `count` examples to record one by one: new random rows for 'random'; for the others, new frames of the queries
 * (in turn), as a user holding a button while showing what the queries show.
 */
export function framesToRecord(kind: DataKind, queries: readonly Float32Array[], count: number, dim: number): Float32Array[] {
  if (kind === 'random') return Array.from({ length: count }, (_, i) => randomQueries(dim, 1, 1000 + i)[0]);
  const random = mulberry32(count + 99);
  return Array.from({ length: count }, (_, i) => {
    const frame = new Float32Array(dim);
    noisy(queries[i % queries.length], null, 0, FRAME_NOISE, random, frame);
    return frame;
  });
}
