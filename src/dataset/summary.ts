/** A one-screen description of a parsed dataset, for the command line (and any UI that wants text). */
import { findModel } from '../models/catalog';
import { FORMAT_NAME, type ParsedDataset } from './types';

const SOURCE_NAMES = {
  'teachable-knn': FORMAT_NAME,
  ml5: 'ml5.js KNNClassifier file',
  'label-map': '{"label": [[...]]} map',
  'knn-classifier': 'knn-classifier [label, numbers, shape] array',
} as const;

const ENCODING_NAMES = { float16: 'float16 vectors, 2 bytes a number', int8: '8-bit vectors, 1 byte a number' } as const;

export function describeDataset(dataset: ParsedDataset, maxClassLines = 20): string[] {
  const spec = dataset.model ? findModel(dataset.model) : undefined;
  const model = dataset.model === null ? 'not stated (imported into the model loaded at the time)' : spec ? `${dataset.model} (${spec.name})` : `${dataset.model} (not a model this app knows)`;
  const counts = dataset.classes.map((c) => c.vectors.length / dataset.dimension);
  const total = counts.reduce((a, b) => a + b, 0);
  const thumbnails = dataset.classes.reduce((sum, c) => sum + c.thumbnails.length, 0);
  const width = Math.min(30, Math.max(5, ...dataset.classes.map((c) => JSON.stringify(c.label).length)));
  const lines = [
    `format:     ${SOURCE_NAMES[dataset.source]}${dataset.encoding && dataset.encoding !== 'float32' ? `, compact (${ENCODING_NAMES[dataset.encoding]})` : ''}`,
    `model:      ${model}`,
    `dimension:  ${dataset.dimension}`,
    `classes:    ${dataset.classes.length} (${plural(total, 'example')}${thumbnails ? `, ${plural(thumbnails, 'thumbnail')}` : ''})`,
  ];
  dataset.classes.slice(0, maxClassLines).forEach((c, i) => {
    const label = JSON.stringify(c.label);
    const shown = label.length > width ? `${label.slice(0, width - 2)}…"` : label.padEnd(width);
    const extra = [c.color ?? '', c.thumbnails.length ? plural(c.thumbnails.length, 'thumbnail') : ''].filter(Boolean).join(', ');
    lines.push(`  ${String(i).padStart(2)}  ${shown}  ${plural(counts[i], 'example').padStart(14)}${extra ? `  ${extra}` : ''}`);
  });
  if (dataset.classes.length > maxClassLines) lines.push(`  … and ${dataset.classes.length - maxClassLines} more classes`);
  return lines;
}

function plural(n: number, word: string): string {
  return `${n.toLocaleString('en-US')} ${word}${n === 1 ? '' : 's'}`;
}
