// npm run eval -- --train DIR --test DIR [--unknown DIR [--sensitivity S]] [--shots 1,5,10,20,50] [--repeats 3] [--model ID] [--json FILE] [--backend wasm] [--extra] [--compact] [--dump-embeddings FILE]
// With --unknown (images of classes not in --train): how often the app's "none of these" catches them, and how
// often it calls the known test images unknown (scripts/eval/unknown.ts).
// Few-shot accuracy (and the expected calibration error of the confidences shown) of the app's k-NN (its default
// vote and its classic knn-classifier option, knn_classic), the app's dense head and knn-classifier's plain vote
// (--compact adds the k-NN taught from compact files' rounded vectors; --extra adds reference
// variants: the app's first vote, the head without a validation split) on folders of labelled images, measured in headless
// Chromium on the app's own code: see scripts/eval/page.ts for what is measured, docs/accuracy.md for results.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  UsageError,
  dataUrl,
  listClassFolders,
  loadCatalog,
  main,
  openPage,
  parseCli,
  parsePositiveInt,
  parsePositiveInts,
  repoRoot,
  resolveModelsDir,
  startServer,
} from './eval/harness.mjs';
import { launchBrowser } from './launch.mjs';

const USAGE =
  'usage: npm run eval -- --train DIR --test DIR [--unknown DIR [--sensitivity S]] [--shots 1,5,10,20,50] [--repeats 3] [--model ID] [--json FILE] [--backend wasm] [--extra] [--compact] [--dump-embeddings FILE]';
const BACKENDS = ['wasm', 'webgl', 'webgpu', 'cpu'];

function parseOptions(argv) {
  const { values } = parseCli(argv, USAGE, {
    train: { type: 'string' },
    test: { type: 'string' },
    unknown: { type: 'string' },
    sensitivity: { type: 'string' },
    shots: { type: 'string', default: '1,5,10,20,50' },
    repeats: { type: 'string', default: '3' },
    model: { type: 'string' },
    json: { type: 'string' },
    backend: { type: 'string', default: 'wasm' },
    extra: { type: 'boolean', default: false },
    compact: { type: 'boolean', default: false },
    'dump-embeddings': { type: 'string' },
  });
  if (!values.train || !values.test) throw new UsageError(`--train and --test are required (${USAGE})`);
  if (!BACKENDS.includes(values.backend)) {
    throw new UsageError(`unknown backend "${values.backend}"; use one of ${BACKENDS.join(', ')}.`);
  }
  const sensitivity = values.sensitivity === undefined ? undefined : Number(values.sensitivity);
  if (sensitivity !== undefined && !(values.unknown && sensitivity >= 0 && sensitivity <= 1)) {
    throw new UsageError(`--sensitivity wants --unknown and a number from 0 to 1, got "${values.sensitivity}".`);
  }
  return { ...values, sensitivity, shots: parsePositiveInts(values.shots, '--shots'), repeats: parsePositiveInt(values.repeats, '--repeats') };
}

/** Checks the folders against each other and returns their class -> files maps (unknown: null without a folder). */
function readFolders(trainDir, testDir, unknownDir) {
  const train = listClassFolders(trainDir, 'training');
  const test = listClassFolders(testDir, 'test');
  const trainClasses = Object.keys(train);
  if (trainClasses.length < 2) {
    throw new UsageError(`${trainDir} needs at least 2 class folders with images; it has ${trainClasses.length}.`);
  }
  const unknown = Object.keys(test).filter((c) => !(c in train));
  if (unknown.length) throw new UsageError(`test classes with no training folder: ${unknown.join(', ')}.`);
  if (Object.keys(test).length === 0) throw new UsageError(`${testDir} has no class folders with images.`);
  if (!unknownDir) return { train, test, unknown: null };
  const unknownImages = listClassFolders(unknownDir, 'unknown');
  if (Object.keys(unknownImages).length === 0) throw new UsageError(`${unknownDir} has no class folders with images.`);
  const taught = Object.keys(unknownImages).filter((c) => c in train);
  if (taught.length) throw new UsageError(`--unknown classes that are also taught (in --train): ${taught.join(', ')}.`);
  return { train, test, unknown: unknownImages };
}

/** Drops shot counts some class cannot supply, saying so. */
function feasibleShots(shots, train) {
  const [smallest, count] = Object.entries(train)
    .map(([c, files]) => [c, files.length])
    .sort((a, b) => a[1] - b[1])[0];
  const kept = shots.filter((n) => n <= count);
  for (const n of shots.filter((s) => s > count)) {
    process.stderr.write(`note: skipping ${n} shots: class "${smallest}" has only ${count} training images.\n`);
  }
  if (kept.length === 0) throw new UsageError(`no shot count fits: class "${smallest}" has only ${count} training images.`);
  return kept;
}

const percent = (x) => (100 * x).toFixed(1);
const mean = (xs) => xs.reduce((a, b) => a + b, 0) / xs.length;

function markdownTable(shots, byMethod, what = 'method', format = percent) {
  const lines = [
    `| ${what} \\ shots per class | ${shots.join(' | ')} |`,
    `|---|${shots.map(() => '---:').join('|')}|`,
  ];
  for (const [method, byShots] of Object.entries(byMethod)) {
    lines.push(`| ${method} | ${shots.map((n) => format(mean(byShots[n]))).join(' | ')} |`);
  }
  return lines.join('\n');
}

function unknownTable(shots, unknown) {
  return [
    `| "none of these" \\ shots per class | ${shots.join(' | ')} |`,
    `|---|${shots.map(() => '---:').join('|')}|`,
    `| unknown images caught % | ${shots.map((n) => percent(mean(unknown.caught[n]))).join(' | ')} |`,
    `| known images called unknown % | ${shots.map((n) => percent(mean(unknown.falseUnknown[n]))).join(' | ')} |`,
  ].join('\n');
}

await main('eval', async () => {
  const options = parseOptions(process.argv.slice(2));
  const catalog = await loadCatalog();
  const model = options.model ?? catalog.DEFAULT_MODEL_ID;
  if (!catalog.findModel(model)) {
    throw new UsageError(`unknown model "${model}"; known: ${catalog.MODEL_CATALOG.map((m) => m.id).join(', ')}.`);
  }
  const { train, test, unknown } = readFolders(options.train, options.test, options.unknown);
  const shots = feasibleShots(options.shots, train);
  const modelsDir = resolveModelsDir();
  const count = (byClass) => Object.values(byClass).reduce((n, files) => n + files.length, 0);
  process.stderr.write(
    `${Object.keys(train).length} classes, ${count(train)} training and ${count(test)} test images; ` +
      `${unknown ? `${count(unknown)} unknown images; ` : ''}model ${model}, backend ${options.backend}, shots ${shots.join(',')}, ${options.repeats} repeats\n`,
  );

  const urls = (name, byClass) =>
    Object.fromEntries(Object.entries(byClass).map(([c, files]) => [c, files.map((f) => dataUrl(name, c, f))]));
  const job = {
    model,
    backend: options.backend,
    shots,
    repeats: options.repeats,
    extra: options.extra,
    compact: options.compact,
    dumpEmbeddings: Boolean(options['dump-embeddings']),
    train: urls('train', train),
    test: urls('test', test),
    ...(unknown ? { unknown: urls('unknown', unknown), sensitivity: options.sensitivity } : {}),
  };

  const dataRoots = { train: options.train, test: options.test, ...(unknown ? { unknown: options.unknown } : {}) };
  const server = await startServer(join(repoRoot, 'scripts/eval/page.ts'), modelsDir, dataRoots);
  const browser = await launchBrowser();
  let result;
  try {
    const page = await openPage(browser, server.url, 'runEval');
    result = await page.evaluate((j) => window.runEval(j), job);
  } finally {
    await browser.close();
    await server.close();
  }
  if ('error' in result) throw new UsageError(result.error);
  process.stderr.write(
    `${result.backend}: embedding took ${result.embedSeconds.toFixed(0)} s, classifying ${result.classifySeconds.toFixed(0)} s\n`,
  );

  process.stdout.write(`${markdownTable(shots, result.accuracy)}\n`);
  process.stdout.write(`\n${markdownTable(shots, result.ece, 'expected calibration error (10 bins)', (x) => x.toFixed(3))}\n`);
  if (options['dump-embeddings']) {
    // The same embeddings every method saw, class by class in file order (drawShots picks from this order).
    const dump = { model, dim: result.embeddings.dim, files: { train, test }, ...result.embeddings };
    writeFileSync(options['dump-embeddings'], `${JSON.stringify(dump)}\n`);
  }
  if (result.unknown) process.stdout.write(`\nsensitivity ${result.unknown.sensitivity}:\n${unknownTable(shots, result.unknown)}\n`);
  if (options.json) {
    const round = (x) => Math.round(x * 10000) / 10000;
    /** method -> shots -> mean over repeats. */
    const meansByShots = (byMethod) =>
      Object.fromEntries(
        Object.entries(byMethod).map(([method, byShots]) => [method, Object.fromEntries(shots.map((n) => [String(n), round(mean(byShots[n]))]))]),
      );
    const summary = {
      model,
      shots,
      accuracy: meansByShots(result.accuracy),
      perRepeat: result.accuracy,
      ece: meansByShots(result.ece),
      eceRepeats: result.ece,
      ...(result.unknown
        ? {
            unknown: {
              sensitivity: result.unknown.sensitivity,
              caught: Object.fromEntries(shots.map((n) => [String(n), round(mean(result.unknown.caught[n]))])),
              false_unknown: Object.fromEntries(shots.map((n) => [String(n), round(mean(result.unknown.falseUnknown[n]))])),
              perRepeat: { caught: result.unknown.caught, false_unknown: result.unknown.falseUnknown },
              unknownImages: count(unknown),
            },
          }
        : {}),
      repeats: options.repeats,
      backend: result.backend,
      trainImages: count(train),
      testImages: count(test),
      classes: Object.keys(train),
      embedSeconds: Math.round(result.embedSeconds),
      classifySeconds: Math.round(result.classifySeconds),
    };
    writeFileSync(options.json, `${JSON.stringify(summary, null, 2)}\n`);
  }
});
