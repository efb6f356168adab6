// Turns bench results into rows of (figure, ours, baseline, ratio, target, met) and prints them. Pure: no I/O,
// so bench/report.test.mjs can check the ratio and target logic without a browser.

/** The issue's targets, all "at most": a ratio to the same-run baseline, or an absolute figure. */
export const TARGETS = {
  embedRatio: { 'mobilenet-v2-0.35': 0.45, default: 1.0 },
  frameRatio: 1.15,
  knnPredictRatio: { n: 10_000, max: 0.25 },
  knnRecordRatio: { n: 10_000, max: 0.12 },
  knnPredictMs: { n: 50_000, max: 15 },
  knnMemoryMb: { n: 50_000, max: 300 },
  datasetMs: 1500,
  datasetBytesPerFloat: 5.5,
  denseTrainMs: 3000,
  denseStallMs: 100,
  leakedTensors: 0,
  cachedStartMs: 1500,
  /** The exported web page, from a local server with an empty cache: its first prediction within 2 s. */
  webPageFirstPredictionMs: 2000,
  appScaleFrameRatio: { n: 10_000, max: 1.3 },
  /** At these N: the main thread's work per frame, the longest task while predicting and after a recording, click to paint. */
  appScaleAt: [10_000, 50_000],
  appScaleBusyMs: 8,
  appScaleTaskMs: 50,
  appScaleClickMs: 16,
  /** npm run predict: at least twice the baseline's images per second, i.e. at most half its time per image. */
  predictRatio: 0.5,
  /** The runtime bundle, gzipped: no larger than the three packages bundled the usual way. */
  bundleRatio: 1.0,
  // App at scale (the built app, held-button examples): reload, import and export of 10,000.
  scaleReloadMs: { n: 10_000, max: 1500 },
  scaleLongestTaskMs: { n: 10_000, max: 100 },
  killLostSeconds: 0.5,
};

const isNumber = (x) => typeof x === 'number' && Number.isFinite(x);

export function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

/** ours / baseline, or null when either is missing or the baseline is 0. */
export function ratio(ours, baseline) {
  return isNumber(ours) && isNumber(baseline) && baseline > 0 ? ours / baseline : null;
}

/**
 * One table row. `target` is {ratio: max} or {value: max, unit}; `met` is true/false against it, or null when there
 * is no target or the figure was not measured.
 */
export function row(figure, ours, baseline, target = null, note = '') {
  const r = ratio(ours, baseline);
  let met = null;
  if (target && 'ratio' in target) met = r === null ? null : r <= target.ratio;
  if (target && 'value' in target) met = isNumber(ours) ? ours <= target.value : null;
  return { figure, ours: isNumber(ours) ? ours : null, baseline: isNumber(baseline) ? baseline : null, ratio: r, target, met, note };
}

const fmtNumber = (x) => (Number.isInteger(x) || Math.abs(x) >= 100 ? x.toFixed(0) : Math.abs(x) >= 10 ? x.toFixed(1) : x.toFixed(2));

/** Every figure of a results object (bench/results.json's shape) as rows, in the order the issue lists them. */
export function resultRows(results) {
  const rows = [];
  for (const e of results.embed ?? []) {
    const name = `embed ${e.model}, ${e.backend} (ms)`;
    if (e.error) {
      rows.push(row(name, null, null, null, results.notes?.embed_backends_given_up?.[e.backend] ?? e.error));
      continue;
    }
    const target = e.backend === 'wasm' ? { ratio: TARGETS.embedRatio[e.model] ?? TARGETS.embedRatio.default } : null;
    const diff = !isNumber(e.max_abs_diff) ? '' : e.max_abs_diff === 0 ? 'identical embeddings' : `embeddings differ by <= ${e.max_abs_diff.toExponential(1)}`;
    rows.push(row(name, e.ms, e.baseline_ms, target, diff));
  }
  const f = results.frame;
  for (const frame of [f, ...(results.frame_data ?? [])].filter(Boolean)) {
    const data = frame.data && frame.data !== 'random' ? `, ${frame.data}` : '';
    const name = `whole frame, ${(frame.examples ?? 0).toLocaleString('en-US')} examples${data}, vs embed alone (ms)`;
    rows.push(row(name, frame.ms, frame.embed_ms, { ratio: TARGETS.frameRatio }, frame.error ?? (frame.embedded_in ? `embedded in the ${frame.embedded_in}` : '')));
  }
  if (f?.crop_ms !== undefined) rows.push(row('crop of a new camera frame, copied vs drawn (ms)', f.crop_ms, f.crop_drawn_ms, null));
  for (const k of results.knn ?? []) {
    const plain = k.kernels === 'plain';
    const name = `k-NN ${k.data ?? 'random'} N=${k.n.toLocaleString('en-US')}${plain ? ' without SIMD' : ''}`;
    if (k.error) {
      rows.push(row(name, null, null, null, k.error));
      continue;
    }
    // The targets are the SIMD store's; without SIMD the figures are what such an engine pays.
    const at = (t) => (k.n === t.n && !plain ? t : null);
    const predictRatio = at(TARGETS.knnPredictRatio);
    const predictMs = at(TARGETS.knnPredictMs);
    const recordRatio = at(TARGETS.knnRecordRatio);
    const memory = at(TARGETS.knnMemoryMb);
    rows.push(row(`${name} predict (ms)`, k.predict_ms, k.baseline_predict_ms, predictRatio && { ratio: predictRatio.max }));
    if (predictMs) rows.push(row(`${name} predict, absolute (ms)`, k.predict_ms, null, { value: predictMs.max, unit: 'ms' }));
    rows.push(row(`${name} record: add + predict (ms)`, k.record_ms, k.baseline_record_ms, recordRatio && { ratio: recordRatio.max }));
    rows.push(row(`${name} bytes per example`, k.bytes_per_example, k.baseline_bytes_per_example));
    if (memory) rows.push(row(`${name} memory (MB)`, k.memory_mb, null, { value: memory.max, unit: 'MB' }));
  }
  const d = results.dataset;
  if (d) {
    const size = `${(d.n ?? 10_000).toLocaleString('en-US')} x ${(d.dim ?? 1280).toLocaleString('en-US')}`;
    rows.push(row(`dataset export ${size} (ms)`, d.export_ms, null, { value: TARGETS.datasetMs, unit: 'ms' }));
    rows.push(row(`dataset import ${size} (ms)`, d.import_ms, null, { value: TARGETS.datasetMs, unit: 'ms' }));
    rows.push(row('dataset file bytes per number', d.bytes_per_float, null, { value: TARGETS.datasetBytesPerFloat, unit: 'B' }));
  } else if (results.notes?.dataset) {
    rows.push(row('dataset export / import', null, null, null, results.notes.dataset));
  }
  const h = results.dense;
  if (h) {
    const shape = h.classes ? `, ${h.classes} x ${h.per_class} x ${h.epochs} epochs` : '';
    rows.push(row(`dense head training${shape} (ms)`, h.train_ms, null, { value: TARGETS.denseTrainMs, unit: 'ms' }));
    rows.push(row('dense head longest stall (ms)', h.max_stall_ms, null, { value: TARGETS.denseStallMs, unit: 'ms' }));
  } else if (results.notes?.dense) {
    rows.push(row('dense head training', null, null, null, results.notes.dense));
  }
  const l = results.leak;
  if (l) {
    const frames = (l.frames ?? 0).toLocaleString('en-US');
    rows.push(row(`tensors leaked after ${frames} frames`, l.tensors_after - l.tensors_before, null, { value: TARGETS.leakedTensors, unit: '' }));
    rows.push(row(`JS heap growth after ${frames} frames (MB)`, l.heap_growth_mb, null));
  }
  const s = results.start;
  if (s) rows.push(row('cached start to first prediction (ms)', s.cached_ms, null, { value: TARGETS.cachedStartMs, unit: 'ms' }, s.error ?? ''));
  const p = results.predict;
  const rate = (c) => `${c.images_per_second.toFixed(1)} vs ${c.baseline_images_per_second.toFixed(1)} images/s`;
  if (p?.out_of_the_box) {
    const c = p.out_of_the_box;
    rows.push(row(`npm run predict, ${p.photos} photos, default models: V2 0.35 vs mobilenet's V2 1.0 (ms per image)`, c.ms_per_image, c.baseline_ms_per_image, { ratio: TARGETS.predictRatio }, rate(c)));
  }
  if (p?.same_model) rows.push(row(`npm run predict, ${p.photos} photos, V2 1.0 in both (ms per image)`, p.same_model.ms_per_image, p.same_model.baseline_ms_per_image, null, rate(p.same_model)));
  const b = results.bundle;
  const w = results.web_page;
  if (w) rows.push(row('exported web page: cold-cache first prediction (ms)', w.first_prediction_ms, null, { value: TARGETS.webPageFirstPredictionMs, unit: 'ms' }, `median of ${w.runs}, each a fresh browser profile; ${(w.zip_bytes / 1e6).toFixed(1)} MB zip`));
  if (b) rows.push(row('runtime bundle, gzip (KB)', b.gzip_bytes / 1000, b.baseline_gzip_bytes / 1000, { ratio: TARGETS.bundleRatio }, 'vs tfjs + mobilenet + knn-classifier, same Vite and minifier'));
  rows.push(...appScaleFrameRows(results.app_scale?.frame));
  rows.push(...scaleStorageRows(results.scale_storage));
  return rows;
}

/** The frame part of "app at scale": each N against the first N's frame time, and the long-task and click targets. */
function appScaleFrameRows(a) {
  if (!a) return [];
  const rows = [];
  for (const r of a.rows ?? []) {
    const name = `app at scale, ${a.data} N=${r.n.toLocaleString('en-US')}`;
    if (r.error) {
      rows.push(row(name, null, null, null, r.error));
      continue;
    }
    const targeted = TARGETS.appScaleAt.includes(r.n);
    const ms = (max) => (targeted ? { value: max, unit: 'ms' } : null);
    const ratioTarget = r.n === TARGETS.appScaleFrameRatio.n ? { ratio: TARGETS.appScaleFrameRatio.max } : null;
    if (r.n !== a.reference_n) rows.push(row(`${name}: frame time vs N=${a.reference_n.toLocaleString('en-US')} (ms)`, r.frame_ms, a.reference_frame_ms, ratioTarget));
    else rows.push(row(`${name}: frame time (ms)`, r.frame_ms, null));
    rows.push(row(`${name}: main thread per frame (ms)`, r.busy_ms_per_frame, null, ms(TARGETS.appScaleBusyMs)));
    rows.push(row(`${name}: longest task while predicting (ms)`, r.longest_task_ms, null, ms(TARGETS.appScaleTaskMs)));
    rows.push(row(`${name}: click to paint, median (ms)`, r.click_to_paint_ms, null, ms(TARGETS.appScaleClickMs), `max ${fmtNumber(r.click_to_paint_max_ms)}`));
    rows.push(row(`${name}: longest task after a recording (ms)`, r.after_recording_longest_task_ms, null, ms(TARGETS.appScaleTaskMs)));
  }
  return rows;
}

/** The storage rows of "app at scale": reload, export and import of N held-button examples, and a killed browser. */
export function scaleStorageRows(scale) {
  const rows = [];
  for (const r of scale?.rows ?? []) {
    const n = r.n.toLocaleString('en-US');
    const at10k = r.n === TARGETS.scaleReloadMs.n;
    const longest = at10k ? { value: TARGETS.scaleLongestTaskMs.max, unit: 'ms' } : null;
    const step = (name, figures, withTime = true) => {
      if (!figures) return;
      if (figures.error) return rows.push(row(`app at scale N=${n}: ${name}`, null, null, null, figures.error));
      if (withTime) rows.push(row(`app at scale N=${n}: ${name} (ms)`, figures.ms, null));
      rows.push(row(`app at scale N=${n}: longest task during ${name} (ms)`, figures.longest_task_ms, null, longest));
      if (isNumber(figures.longest_task_with_autosave_ms)) {
        rows.push(row(`app at scale N=${n}: longest task during ${name} and its autosave (ms)`, figures.longest_task_with_autosave_ms, null, longest));
      }
      if (figures.file_bytes) rows.push(row(`app at scale N=${n}: ${name}, file (MB)`, figures.file_bytes / 1e6, null));
    };
    if (r.reload?.error) rows.push(row(`app at scale N=${n}: reload`, null, null, null, r.reload.error));
    else if (r.reload) {
      rows.push(row(`app at scale N=${n}: reload to counts shown (ms)`, r.reload.counts_shown_ms, null));
      rows.push(row(`app at scale N=${n}: reload to first prediction (ms)`, r.reload.first_prediction_ms, null, at10k ? { value: TARGETS.scaleReloadMs.max, unit: 'ms' } : null));
      step('reload', r.reload, false);
    }
    if (r.idle && !r.idle.error) rows.push(row(`app at scale N=${n}: longest task while idle, predicting (ms)`, r.idle.longest_task_ms, null, null, 'the frame path, in every window below too'));
    step('export', r.export);
    step('export, compact float16', r.export_half);
    step('export, 8-bit gzip', r.export_small);
    step('import', r.import);
    step('import of the 8-bit gzip file', r.import_small);
  }
  const kills = (scale?.kills ?? []).filter((k) => isNumber(k.lost_seconds));
  if (kills.length) {
    const worst = Math.max(...kills.map((k) => k.lost_seconds));
    rows.push(row(`browser killed mid-recording: recording lost, worst of ${kills.length} (s)`, worst, null, { value: TARGETS.killLostSeconds, unit: 's' }));
  }
  return rows;
}

function targetText(target) {
  if (!target) return '';
  if ('ratio' in target) return `<= ${target.ratio}x`;
  return `<= ${target.value}${target.unit ? ` ${target.unit}` : ''}`;
}

function metText(met) {
  if (met === null) return '';
  return met ? 'met' : 'NOT MET';
}

/** A Markdown table of `rows`, with notes (errors, why a figure is missing) in the last column. */
export function formatTable(rows) {
  const header = ['figure', 'ours', 'baseline', 'ratio', 'target', 'met', 'note'];
  const cells = rows.map((r) => [
    r.figure,
    r.ours === null ? '—' : fmtNumber(r.ours),
    r.baseline === null ? '' : fmtNumber(r.baseline),
    r.ratio === null ? '' : `${r.ratio.toFixed(2)}x`,
    targetText(r.target),
    metText(r.met),
    r.note ?? '',
  ]);
  const lines = [`| ${header.join(' | ')} |`, '|---|---:|---:|---:|---|---|---|', ...cells.map((c) => `| ${c.join(' | ')} |`)];
  return `${lines.join('\n')}\n`;
}

/** The fields bench/results.json promises (the issue's shape); a smoke run fails when one is missing. */
const REQUIRED = {
  embed: ['model', 'backend', 'ms', 'baseline_ms'],
  frame: ['ms', 'embed_ms'],
  knn: ['n', 'predict_ms', 'baseline_predict_ms', 'record_ms', 'baseline_record_ms', 'bytes_per_example'],
  dataset: ['export_ms', 'import_ms', 'bytes_per_float'],
  dense: ['train_ms', 'max_stall_ms'],
  leak: ['tensors_before', 'tensors_after', 'heap_growth_mb'],
  predict: ['photos', 'out_of_the_box'],
  bundle: ['gzip_bytes', 'baseline_gzip_bytes'],
};

/**
 * What `results` lacks of that shape, as "section.field" strings. dataset and dense may be null (their modules
 * are not written yet) when notes say why; sections not run (absent from `ran`) are not checked.
 */
export function missingFields(results, ran = Object.keys(REQUIRED)) {
  const missing = [];
  if (!results.machine || typeof results.machine !== 'object') missing.push('machine');
  for (const [section, fields] of Object.entries(REQUIRED)) {
    if (!ran.includes(section)) continue;
    const value = results[section];
    if (value === null && (section === 'dataset' || section === 'dense') && results.notes?.[section]) continue;
    const items = Array.isArray(value) ? value : [value];
    if (value == null || items.length === 0) {
      missing.push(section);
      continue;
    }
    items.forEach((item, i) => {
      const where = Array.isArray(value) ? `${section}[${i}]` : section;
      for (const field of fields) if (!(field in (item ?? {}))) missing.push(`${where}.${field}`);
    });
  }
  return missing;
}
