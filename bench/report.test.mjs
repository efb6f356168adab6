// node --test bench/report.test.mjs: the ratio, target and table logic of the bench, without a browser.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { formatTable, median, missingFields, ratio, resultRows, row } from './report.mjs';

const results = {
  machine: { cpus: 2 },
  embed: [
    { model: 'mobilenet-v2-0.35', backend: 'wasm', ms: 20, baseline_ms: 40, max_abs_diff: 0 },
    { model: 'mobilenet-v1-0.25', backend: 'wasm', ms: 11, baseline_ms: 10 },
    { model: 'mobilenet-v1-0.25', backend: 'webgl', ms: 150, baseline_ms: 100 },
    { model: 'mobilenet-v2-1.0', backend: 'webgpu', ms: null, baseline_ms: null, error: 'not available' },
  ],
  frame: { ms: 23, embed_ms: 20, examples: 1000 },
  frame_data: [{ data: 'held', ms: 30, embed_ms: 20, examples: 1000 }],
  knn: [
    { n: 10_000, predict_ms: 2, baseline_predict_ms: 10, record_ms: 5, baseline_record_ms: 20, bytes_per_example: 5120, baseline_bytes_per_example: 10240, memory_mb: 51 },
    { n: 10_000, data: 'held', predict_ms: 4, baseline_predict_ms: 10, record_ms: 5, baseline_record_ms: 50, bytes_per_example: 5120, baseline_bytes_per_example: 10240, memory_mb: 51 },
    { n: 50_000, predict_ms: 16, baseline_predict_ms: 40, record_ms: 20, baseline_record_ms: 300, bytes_per_example: 5120, baseline_bytes_per_example: 10240, memory_mb: 256 },
  ],
  dataset: null,
  dense: { train_ms: 2500, max_stall_ms: 120 },
  leak: { tensors_before: 270, tensors_after: 270, heap_growth_mb: 0.2, frames: 5000 },
  start: { cached_ms: 1400 },
  app_scale: {
    frame: {
      data: 'held',
      reference_n: 100,
      reference_frame_ms: 12,
      rows: [
        { n: 100, frame_ms: 12, busy_ms_per_frame: 5, longest_task_ms: 0, click_to_paint_ms: 10, click_to_paint_max_ms: 14, after_recording_longest_task_ms: 30 },
        { n: 10_000, frame_ms: 16, busy_ms_per_frame: 9, longest_task_ms: 40, click_to_paint_ms: 12, click_to_paint_max_ms: 20, after_recording_longest_task_ms: 60 },
      ],
    },
  },
  predict: { photos: 500, out_of_the_box: { ms_per_image: 10, baseline_ms_per_image: 25, images_per_second: 100, baseline_images_per_second: 40 } },
  bundle: { gzip_bytes: 280_000, baseline_gzip_bytes: 290_000 },
  notes: { dataset: 'not written yet', embed_backends_given_up: { webgpu: 'webgpu failed on mobilenet-v2-1.0' } },
};

const byFigure = (rows) => Object.fromEntries(rows.map((r) => [r.figure, r]));

test('median of odd and even counts, whatever the order', () => {
  assert.equal(median([3, 1, 2]), 2);
  assert.equal(median([4, 1, 3, 2]), 2.5);
});

test('ratio is ours over baseline, and null without a usable baseline', () => {
  assert.equal(ratio(5, 20), 0.25);
  assert.equal(ratio(5, null), null);
  assert.equal(ratio(5, 0), null);
  assert.equal(ratio(undefined, 3), null);
});

test('a target is met at or under its bound, and unjudged when the figure is missing', () => {
  assert.equal(row('x', 4.5, 10, { ratio: 0.45 }).met, true);
  assert.equal(row('x', 4.6, 10, { ratio: 0.45 }).met, false);
  assert.equal(row('x', 15, null, { value: 15, unit: 'ms' }).met, true);
  assert.equal(row('x', null, null, { value: 15, unit: 'ms' }).met, null);
  assert.equal(row('x', 3, 4).met, null);
});

test('each figure gets the issue target that belongs to it', () => {
  const rows = byFigure(resultRows(results));
  assert.deepEqual(rows['embed mobilenet-v2-0.35, wasm (ms)'].target, { ratio: 0.45 });
  assert.equal(rows['embed mobilenet-v2-0.35, wasm (ms)'].met, false); // 0.5x
  assert.equal(rows['embed mobilenet-v1-0.25, wasm (ms)'].met, false); // 1.1x against <= 1.0x
  assert.equal(rows['embed mobilenet-v1-0.25, webgl (ms)'].target, null); // targets are for wasm
  assert.equal(rows['embed mobilenet-v2-1.0, webgpu (ms)'].note, 'webgpu failed on mobilenet-v2-1.0');
  assert.equal(rows['whole frame, 1,000 examples, vs embed alone (ms)'].met, true); // 1.15x
  assert.equal(rows['whole frame, 1,000 examples, held, vs embed alone (ms)'].met, false); // 1.5x
  assert.equal(rows['k-NN random N=10,000 predict (ms)'].met, true); // 0.2x
  assert.equal(rows['k-NN held N=10,000 predict (ms)'].met, false); // 0.4x: each distribution has the target
  assert.equal(rows['k-NN random N=10,000 record: add + predict (ms)'].met, false); // 0.25x against <= 0.12x
  assert.equal(rows['k-NN random N=50,000 predict (ms)'].target, null); // the 50,000 target is absolute
  assert.equal(rows['k-NN random N=50,000 predict, absolute (ms)'].met, false); // 16 > 15
  assert.equal(rows['k-NN random N=50,000 memory (MB)'].met, true);
  assert.equal(rows['dataset export / import'].note, 'not written yet');
  assert.equal(rows['dense head training (ms)'].met, true); // no shape given: the label stays short
  assert.equal(rows['dense head longest stall (ms)'].met, false);
  assert.equal(rows['tensors leaked after 5,000 frames'].ours, 0);
  assert.equal(rows['tensors leaked after 5,000 frames'].met, true);
  assert.equal(rows['cached start to first prediction (ms)'].met, true);
  assert.equal(rows['app at scale, held N=100: frame time (ms)'].met, null); // the reference has no target
  assert.equal(rows['app at scale, held N=100: main thread per frame (ms)'].met, null);
  assert.equal(rows['app at scale, held N=10,000: frame time vs N=100 (ms)'].met, false); // 1.33x > 1.3x
  assert.equal(rows['app at scale, held N=10,000: main thread per frame (ms)'].met, false); // 9 > 8
  assert.equal(rows['app at scale, held N=10,000: longest task while predicting (ms)'].met, true);
  assert.equal(rows['app at scale, held N=10,000: click to paint, median (ms)'].met, true);
  assert.equal(rows['app at scale, held N=10,000: longest task after a recording (ms)'].met, false);
});

test('the table has one line per row, with ratio, target and verdict', () => {
  const rows = resultRows(results);
  const lines = formatTable(rows).trim().split('\n');
  assert.equal(lines.length, rows.length + 2);
  assert.match(lines.find((l) => l.startsWith('| embed mobilenet-v2-0.35, wasm')), /\| 20 \| 40 \| 0\.50x \| <= 0\.45x \| NOT MET \|/);
  assert.match(lines.find((l) => l.startsWith('| k-NN random N=50,000 memory')), /\| 256 \| {2}\| {2}\| <= 300 MB \| met \|/);
});

test('missingFields checks the promised shape, allowing null dataset and dense only with a note', () => {
  assert.deepEqual(missingFields(results), []);
  const broken = { ...results, frame: { ms: 1 }, knn: [{ n: 1 }], dense: null };
  const missing = missingFields(broken);
  assert.ok(missing.includes('frame.embed_ms'));
  assert.ok(missing.includes('knn[0].predict_ms'));
  assert.ok(missing.includes('dense'));
  assert.deepEqual(missingFields({ ...results, leak: null }, ['embed']), []);
});

test('npm run predict is judged on time per image (at most half the baseline\'s), the runtime bundle on its gzip size', () => {
  const predictRun = (ms, baselineMs) => ({ ms_per_image: ms, baseline_ms_per_image: baselineMs, images_per_second: 1000 / ms, baseline_images_per_second: 1000 / baselineMs });
  const rows = byFigure(
    resultRows({
      predict: { photos: 500, out_of_the_box: predictRun(10, 25), same_model: predictRun(20, 25) },
      bundle: { gzip_bytes: 280_000, baseline_gzip_bytes: 290_000 },
    }),
  );
  const outOfTheBox = rows["npm run predict, 500 photos, default models: V2 0.35 vs mobilenet's V2 1.0 (ms per image)"];
  assert.equal(outOfTheBox.met, true); // 0.4x
  assert.equal(outOfTheBox.note, '100.0 vs 40.0 images/s');
  const sameModel = rows['npm run predict, 500 photos, V2 1.0 in both (ms per image)'];
  assert.equal(sameModel.target, null);
  assert.equal(rows['runtime bundle, gzip (KB)'].met, true);
  assert.equal(byFigure(resultRows({ bundle: { gzip_bytes: 300_000, baseline_gzip_bytes: 290_000 } }))['runtime bundle, gzip (KB)'].met, false);
});

test('app at scale, storage: reload, export and import rows per N, targets at 10,000, the worst kill', () => {
  const scale = {
    rows: [
      {
        n: 10_000,
        reload: { counts_shown_ms: 1200, first_prediction_ms: 1300, longest_task_ms: 80 },
        export: { ms: 900, longest_task_ms: 120, file_bytes: 70e6 },
        import: { error: 'refused' },
      },
      { n: 50_000, reload: { counts_shown_ms: 5000, first_prediction_ms: 5200, longest_task_ms: 300 } },
    ],
    kills: [{ lost_seconds: 0.3 }, { lost_seconds: 0.6 }, { error: 'no browser' }],
  };
  const rows = byFigure(resultRows({ ...results, scale_storage: scale }));
  assert.equal(rows['app at scale N=10,000: reload to first prediction (ms)'].met, true);
  assert.equal(rows['app at scale N=10,000: longest task during reload (ms)'].met, true);
  assert.equal(rows['app at scale N=10,000: longest task during export (ms)'].met, false);
  assert.equal(rows['app at scale N=10,000: export, file (MB)'].ours, 70);
  assert.equal(rows['app at scale N=10,000: import'].note, 'refused');
  assert.equal(rows['app at scale N=50,000: reload to first prediction (ms)'].met, null, 'no target at 50,000');
  const kill = rows['browser killed mid-recording: recording lost, worst of 2 (s)'];
  assert.equal(kill.ours, 0.6);
  assert.equal(kill.met, false);
});
