/** Writes this app's format (docs/dataset-format.md): the exact bits of every float32, in a few bytes each. */
import { defaultColor } from '../app/labels';
import { encodeFloat32 } from './float32-base64';
import { FORMAT_NAME, FORMAT_VERSION, type Dataset } from './types';

/**
 * One JSON text, a class per line so that a diff or a pager stays readable. Classes without a colour
 * (from ml5.js or a label map) get the app's default for their position.
 */
export function serializeDataset(dataset: Dataset): string {
  const { dimension } = dataset;
  if (!Number.isSafeInteger(dimension) || dimension < 1) throw new RangeError(`The dimension must be a whole number, not ${dimension}.`);
  const classes = dataset.classes.map((c, i) => {
    if (c.vectors.length % dimension !== 0) {
      throw new RangeError(`Class ${i} has ${c.vectors.length} numbers, which are not rows of ${dimension}.`);
    }
    const output = c.output && c.output.kind !== 'none' ? { output: c.output } : {};
    const head = JSON.stringify({ label: c.label, color: c.color ?? defaultColor(i + 1), ...output, examples: c.vectors.length / dimension });
    const thumbnails = c.thumbnails.length ? `,"thumbnails":${JSON.stringify(c.thumbnails)}` : '';
    // Base64 needs no JSON escaping, and JSON.stringify would scan (and copy) megabytes to learn that.
    return `${head.slice(0, -1)},"vectors":"${encodeFloat32(c.vectors)}"${thumbnails}}`;
  });
  const header = JSON.stringify({ format: FORMAT_NAME, version: FORMAT_VERSION, model: dataset.model, dimension });
  return `${header.slice(0, -1)},"classes":[\n${classes.join(',\n')}\n]}\n`;
}
