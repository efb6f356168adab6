/** What `npm run predict -- --labelled` adds: accuracy and a confusion matrix over images sorted into class folders. */

export interface LabelledResult {
  /** The image's folder name. */
  readonly truth: string;
  readonly predicted: string;
}

export interface ConfusionReport {
  readonly accuracy: number;
  readonly correct: number;
  readonly total: number;
  /** Row and column names: the true classes, then any predicted class that is no folder. */
  readonly labels: readonly string[];
  /** counts[t][p]: images of labels[t] predicted as labels[p]. */
  readonly counts: readonly (readonly number[])[];
}

export function confusion(results: readonly LabelledResult[], classLabels: readonly string[]): ConfusionReport {
  const labels = [...new Set([...classLabels, ...results.map((r) => r.truth), ...results.map((r) => r.predicted)])];
  const index = new Map(labels.map((label, i) => [label, i]));
  const counts = labels.map(() => labels.map(() => 0));
  let correct = 0;
  for (const r of results) {
    counts[index.get(r.truth)!][index.get(r.predicted)!]++;
    if (r.truth === r.predicted) correct++;
  }
  return { accuracy: results.length ? correct / results.length : 0, correct, total: results.length, labels, counts };
}

/** Lines of text: the accuracy, then the matrix with the true class down the side and the prediction across. */
export function formatConfusion(report: ConfusionReport): string[] {
  const percent = (100 * report.accuracy).toFixed(1);
  const lines = [`accuracy: ${percent}% (${report.correct} of ${report.total} images)`, 'confusion (rows: folder, columns: predicted):'];
  const width = Math.max(...report.labels.map((l) => l.length), ...report.counts.flat().map((n) => String(n).length), 4);
  const cell = (text: string) => text.padStart(width);
  lines.push([cell(''), ...report.labels.map(cell)].join(' '));
  report.counts.forEach((row, t) => lines.push([cell(report.labels[t]), ...row.map((n) => cell(String(n)))].join(' ')));
  return lines;
}
