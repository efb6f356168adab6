// The real embeddings the bench's 'real' and 'held' distributions start from (bench/page/distributions.ts):
// photos of ../shared/datasets/webcam-hand-gestures (10 gestures) embedded by the default model, through the app's
// own crop and Embedder, once; then cached in bench/.cache/ (not committed) and served to the bench pages.
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { dataUrl, listClassFolders, repoRoot } from '../scripts/eval/harness.mjs';
import { sharedDatasetsDir } from '../server/local-assets.mjs';

export const CORPUS_DATASET = 'webcam-hand-gestures';
export const CORPUS_CLASSES = 10;
export const CORPUS_MODEL = 'mobilenet-v2-0.35';
export const cacheDir = join(repoRoot, 'bench/.cache');
const corpusName = `${CORPUS_DATASET}--${CORPUS_MODEL}`;

/** The data roots startServer serves (photos and the cache), or only the cache when there are no photos. */
export function corpusRoots() {
  mkdirSync(cacheDir, { recursive: true });
  const datasetDir = join(sharedDatasetsDir, CORPUS_DATASET);
  return existsSync(datasetDir) ? { photos: datasetDir, cache: cacheDir } : { cache: cacheDir };
}

/**
 * The URL prefix (without .json / .f32) the pages load the corpus from, embedding the photos first when the cache
 * has none; null, with a message, when ../shared/datasets is absent.
 */
export async function ensureCorpus(openPage, say) {
  const base = join(cacheDir, corpusName);
  const url = `/data/cache/${encodeURIComponent(corpusName)}`;
  if (existsSync(`${base}.json`) && existsSync(`${base}.f32`)) return url;
  const datasetDir = join(sharedDatasetsDir, CORPUS_DATASET);
  if (!existsSync(datasetDir)) {
    say(`  no ${datasetDir}: the 'real' distribution is skipped, and 'held' runs start from random rows`);
    return null;
  }
  const byClass = Object.entries(listClassFolders(datasetDir, CORPUS_DATASET)).slice(0, CORPUS_CLASSES);
  const urls = Object.fromEntries(byClass.map(([label, files]) => [label, files.map((file) => dataUrl('photos', label, file))]));
  say(`  embedding ${byClass.reduce((n, [, f]) => n + f.length, 0)} photos of ${CORPUS_DATASET} with ${CORPUS_MODEL} (cached in bench/.cache)`);
  const page = await openPage();
  let result;
  try {
    result = await page.evaluate((j) => window.bench.embedCorpus(j), { model: CORPUS_MODEL, urls });
  } finally {
    await page.close();
  }
  if ('error' in result) throw new Error(result.error);
  const classes = byClass.map(([label]) => ({ label, bytes: Buffer.from(result.classes[label], 'base64') }));
  writeFileSync(`${base}.f32`, Buffer.concat(classes.map((c) => c.bytes)));
  const header = { name: `${CORPUS_DATASET} (${CORPUS_MODEL})`, dim: result.dim, classes: classes.map((c) => ({ label: c.label, count: c.bytes.length / 4 / result.dim })) };
  writeFileSync(`${base}.json`, `${JSON.stringify(header)}\n`);
  return url;
}
