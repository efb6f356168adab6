// npm run split -- SRC OUT [--test-fraction 0.3] [--seed 1] [--random] [--unknown-classes 0.5] [--class-seed 1]
// Splits a `<class>/<image>` folder into OUT/train/<class>/ and OUT/test/<class>/ of symlinks (the images stay where
// they are: they are third-party data). Whole people go to one side when the data says who is who, so test
// accuracy means "a new person", not "another photo of someone already taught".
// --unknown-classes F holds a seeded fraction F of the classes out of teaching: their test-side images go to
// OUT/unknown/<class>/ (for `npm run eval -- --unknown`) and their train-side images are left out. The image split
// of the other classes is exactly the one made without it.
import { existsSync, mkdirSync, readFileSync, symlinkSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import { UsageError, listClassFolders, main, parseCli } from './eval/harness.mjs';
import { mulberry32 } from '../src/platform/random.mjs';

const USAGE =
  'usage: npm run split -- SRC OUT [--test-fraction 0.3] [--seed 1] [--random] [--unknown-classes 0.5] [--class-seed 1]';

function shuffle(items, random) {
  const pool = [...items];
  for (let i = pool.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [pool[i], pool[j]] = [pool[j], pool[i]];
  }
  return pool;
}

/** Minimal CSV reading for frames.csv: no quoted commas in it (file names, classes and short labels). */
function readCsv(file) {
  const [header, ...rows] = readFileSync(file, 'utf8').trim().split(/\r?\n/).map((line) => line.split(','));
  return { header: header.map((h) => h.trim()), rows };
}

/** Labels of a person column that name nobody; such images cannot be placed safely on either side, so are left out. */
const NOT_A_PERSON = /^(|unsure|unknown|none|n\/a)$/i;

/**
 * Who is in each image, as a Map "class/file" -> group, or null when the data does not say.
 * sign-language-digits: a pNNN_ file name prefix. webcam-hand-gestures: a person column in frames.csv.
 */
function personGroups(src, classes) {
  const keys = Object.entries(classes).flatMap(([c, files]) => files.map((f) => [`${c}/${f}`, f]));
  const prefixed = keys.map(([, f]) => /^p(\d+)_/.exec(f));
  if (prefixed.every(Boolean)) {
    return { how: 'file name prefix pNNN_', groups: new Map(keys.map(([key], i) => [key, `p${prefixed[i][1]}`])) };
  }
  const csvFile = join(src, 'frames.csv');
  if (!existsSync(csvFile)) return null;
  const { header, rows } = readCsv(csvFile);
  const fileCol = header.findIndex((h) => /^(file|path|filename)$/i.test(h));
  const personCol = header.findIndex((h) => /person/i.test(h));
  if (fileCol < 0 || personCol < 0) {
    process.stdout.write(`frames.csv has no file and person columns (header: ${header.join(',')}); splitting at random.\n`);
    return null;
  }
  const groups = new Map(rows.map((row) => [row[fileCol].trim(), row[personCol].trim()]));
  return { how: `frames.csv column "${header[personCol]}"`, groups };
}

/**
 * Whole groups go to test, in seeded order, while that brings the test share closer to `fraction` of the images;
 * at least one group lands on each side.
 */
function splitGroups(sizes, fraction, random) {
  const total = [...sizes.values()].reduce((a, b) => a + b, 0);
  const target = fraction * total;
  const testGroups = new Set();
  let testCount = 0;
  for (const group of shuffle([...sizes.keys()].sort(), random)) {
    const size = sizes.get(group);
    const closer = Math.abs(testCount + size - target) < Math.abs(testCount - target);
    if ((testGroups.size === 0 || closer) && testGroups.size < sizes.size - 1) {
      testGroups.add(group);
      testCount += size;
    }
  }
  return testGroups;
}

/**
 * The classes held out as unknown: round(fraction x classes), at least 1, leaving at least 2 to teach, drawn from
 * the sorted names with their own seed.
 */
function unknownClasses(classIds, fraction, seed) {
  if (fraction === 0) return new Set();
  const count = Math.min(classIds.length - 2, Math.max(1, Math.round(fraction * classIds.length)));
  if (count < 1) throw new UsageError(`--unknown-classes needs at least 3 classes; there are ${classIds.length}.`);
  return new Set(shuffle([...classIds].sort(), mulberry32(seed)).slice(0, count));
}

function link(src, out, side, classId, file) {
  const dir = join(out, side, classId);
  mkdirSync(dir, { recursive: true });
  symlinkSync(resolve(src, classId, file), join(dir, file));
}

await main('split', async () => {
  const { positionals, values } = parseCli(
    process.argv.slice(2),
    USAGE,
    {
      'test-fraction': { type: 'string', default: '0.3' },
      seed: { type: 'string', default: '1' },
      // Ignore who is who: the "same user, same session" case the app is mostly used in.
      random: { type: 'boolean', default: false },
      'unknown-classes': { type: 'string', default: '0' },
      'class-seed': { type: 'string', default: '1' },
    },
    { positionals: true },
  );
  if (positionals.length !== 2) throw new UsageError(USAGE);
  const [src, out] = positionals;
  const fraction = Number(values['test-fraction']);
  const seed = Number(values.seed);
  if (!(fraction > 0 && fraction < 1)) throw new UsageError(`--test-fraction must be between 0 and 1, got ${values['test-fraction']}.`);
  if (!Number.isInteger(seed)) throw new UsageError(`--seed must be a whole number, got ${values.seed}.`);
  const unknownFraction = Number(values['unknown-classes']);
  const classSeed = Number(values['class-seed']);
  if (!(unknownFraction >= 0 && unknownFraction < 1)) {
    throw new UsageError(`--unknown-classes must be at least 0 and below 1, got ${values['unknown-classes']}.`);
  }
  if (!Number.isInteger(classSeed)) throw new UsageError(`--class-seed must be a whole number, got ${values['class-seed']}.`);
  const classes = listClassFolders(src, 'source');
  if (Object.keys(classes).length < 2) throw new UsageError(`${src} needs at least 2 class folders with images.`);
  const heldOut = unknownClasses(Object.keys(classes), unknownFraction, classSeed);
  // Held-out classes are never taught: their train side is dropped and their test side is the unknown set.
  const place = (side, classId, file) => {
    const to = !heldOut.has(classId) ? side : side === 'test' ? 'unknown' : null;
    if (to) {
      link(src, out, to, classId, file);
      counts[to]++;
    }
  };
  for (const side of ['train', 'test', 'unknown']) {
    if (existsSync(join(out, side))) throw new UsageError(`${join(out, side)} already exists; remove it first.`);
  }
  const random = mulberry32(seed);
  const people = values.random ? null : personGroups(src, classes);
  const counts = { train: 0, test: 0, unknown: 0, left: 0 };

  if (people) {
    const sizes = new Map();
    for (const [classId, files] of Object.entries(classes)) {
      for (const file of files) {
        const group = people.groups.get(`${classId}/${file}`) ?? '';
        if (!NOT_A_PERSON.test(group)) sizes.set(group, (sizes.get(group) ?? 0) + 1);
      }
    }
    if (sizes.size < 2) throw new UsageError(`${people.how} names fewer than 2 people; cannot split by person.`);
    const testGroups = splitGroups(sizes, fraction, random);
    for (const [classId, files] of Object.entries(classes)) {
      for (const file of files) {
        const group = people.groups.get(`${classId}/${file}`) ?? '';
        if (NOT_A_PERSON.test(group)) {
          counts.left++;
          continue;
        }
        const side = testGroups.has(group) ? 'test' : 'train';
        place(side, classId, file);
      }
    }
    const testNames = [...testGroups].sort();
    process.stdout.write(
      `split ${basename(resolve(src))} by person (${people.how}): ${sizes.size - testGroups.size} group(s) train, ` +
        `${testGroups.size} test${testGroups.size <= 5 ? ` (${testNames.join(', ')})` : ''}; ` +
        `${counts.train} train / ${counts.test} test${counts.unknown ? ` / ${counts.unknown} unknown` : ''} images` +
        `${counts.left ? `; ${counts.left} images with no person left out` : ''}.\n`,
    );
  } else {
    for (const [classId, files] of Object.entries(classes)) {
      const shuffled = shuffle(files, random);
      // At least one image on each side of every class that has two.
      const nTest = files.length < 2 ? 0 : Math.min(files.length - 1, Math.max(1, Math.round(fraction * files.length)));
      shuffled.forEach((file, i) => {
        const side = i < nTest ? 'test' : 'train';
        place(side, classId, file);
      });
    }
    process.stdout.write(
      `split ${basename(resolve(src))} at random within each class (${values.random ? '--random' : 'no person information'}): ` +
        `${counts.train} train / ${counts.test} test${counts.unknown ? ` / ${counts.unknown} unknown` : ''} images.\n`,
    );
  }
  if (heldOut.size > 0) {
    process.stdout.write(`held out as unknown (test side kept in unknown/, train side left out): ${[...heldOut].sort().join(' ')}\n`);
  }
  // Per-class counts, so a class too small for a shot count shows up before the eval.
  for (const side of heldOut.size > 0 ? ['train', 'test', 'unknown'] : ['train', 'test']) {
    const sideClasses = existsSync(join(out, side)) ? listClassFolders(join(out, side), side) : {};
    const perClass = Object.keys(classes).map((c) => `${c}:${sideClasses[c]?.length ?? 0}`);
    process.stdout.write(`  ${side}: ${perClass.join(' ')}\n`);
  }
});
