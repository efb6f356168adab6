/**
 * "Export for knn-classifier": the form read-knn-classifier.ts reads, an array of `[label, numbers, shape]`, which a
 * page using @tensorflow-models/knn-classifier loads in a few lines (the README shows them):
 *
 *   classifier.setClassifierDataset(Object.fromEntries(data.map(([label, numbers, shape]) => [label, tf.tensor2d(numbers, shape)])));
 *
 * The package has no colours, outputs or thumbnails, and no class without examples: those are left out.
 */
import type { Dataset } from './types';

/** Nine significant digits bring back every float32 exactly, in about half the characters of a double's. */
function float32Text(x: number): string {
  return String(Number(x.toPrecision(9)));
}

export function serializeKnnClassifier(dataset: Dataset): string {
  const { dimension } = dataset;
  const classes = dataset.classes.filter((c) => c.vectors.length > 0);
  const seen = new Set<string>();
  for (const c of classes) {
    // The package keys its classes by label: two with one label would become one.
    if (seen.has(c.label)) throw new Error(`two classes are called ${JSON.stringify(c.label)}: rename one, then export again`);
    seen.add(c.label);
  }
  if (classes.length === 0) throw new Error('no class has examples yet');
  const lines = classes.map((c) => {
    if (c.vectors.length % dimension !== 0) throw new RangeError(`${c.vectors.length} numbers are not rows of ${dimension}.`);
    const numbers = Array.from(c.vectors, float32Text).join(',');
    return `[${JSON.stringify(c.label)},[${numbers}],[${c.vectors.length / dimension},${dimension}]]`;
  });
  return `[\n${lines.join(',\n')}\n]\n`;
}
