/** The command line of `npm run predict`, read without Node's parseArgs so that cli.ts needs no Node types. */

export const USAGE = [
  'usage: npm run predict -- --classes FILE [--json] [--embeddings] [--labelled] [--models-dir DIR] [--model ID] IMAGE_OR_DIR...',
  '       npm run predict -- --teach --out FILE [--model ID] [--models-dir DIR] DIR...',
  '',
  'Prints one line per image: file, best class, confidence (and "unknown" when the image is far from every class).',
  '  --classes FILE     a classes file exported by the app (or an ml5.js or {"label": [[...]]} file)',
  '  --json             one JSON object per line instead (with every class\'s confidence)',
  '  --embeddings       with --json, also each image\'s embedding (base64 of its float32 numbers)',
  '  --labelled         the images are in folders named after their classes: also print accuracy and a confusion matrix',
  '  --models-dir DIR   the folder of models (one sub-folder per model); default MOBILENET_MODELS_DIR, else ../shared/models',
  '  --model ID         the model to use; the classes must have been made with it (default: the one the file names)',
  '  --teach --out FILE writes a classes file from folders of images, one class per folder',
  'A folder is searched for JPEG, PNG, WebP, GIF, AVIF and TIFF files at any depth.',
].join('\n');

/** Bad arguments: printed with the usage, exit code 2. */
export class UsageError extends Error {}

export interface PredictOptions {
  readonly help: boolean;
  /** Null with --teach. */
  readonly classes: string | null;
  readonly out: string | null;
  readonly json: boolean;
  readonly embeddings: boolean;
  readonly labelled: boolean;
  readonly modelsDir: string | null;
  readonly model: string | null;
  readonly inputs: readonly string[];
}

const FLAGS = new Set(['--json', '--embeddings', '--labelled', '--teach', '--help', '-h']);
const VALUED = new Set(['--classes', '--out', '--models-dir', '--model']);

export function parseArguments(args: readonly string[]): PredictOptions {
  const flags = new Set<string>();
  const values = new Map<string, string>();
  const inputs: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const arg = args[i];
    const [name, inline] = arg.startsWith('--') && arg.includes('=') ? [arg.slice(0, arg.indexOf('=')), arg.slice(arg.indexOf('=') + 1)] : [arg, null];
    if (FLAGS.has(name) && inline === null) flags.add(name);
    else if (VALUED.has(name)) {
      const value = inline ?? args[++i];
      if (value === undefined || value === '') throw new UsageError(`${name} needs a value`);
      if (values.has(name)) throw new UsageError(`${name} is given twice`);
      values.set(name, value);
    } else if (arg === '--') continue;
    else if (arg.startsWith('-')) throw new UsageError(`unknown option ${arg}`);
    else inputs.push(arg);
  }
  const help = flags.has('--help') || flags.has('-h');
  const teach = flags.has('--teach');
  const options: PredictOptions = {
    help,
    classes: values.get('--classes') ?? null,
    out: values.get('--out') ?? null,
    json: flags.has('--json'),
    embeddings: flags.has('--embeddings'),
    labelled: flags.has('--labelled'),
    modelsDir: values.get('--models-dir') ?? null,
    model: values.get('--model') ?? null,
    inputs,
  };
  if (help) return options;
  if (teach) {
    if (!options.out) throw new UsageError('--teach needs --out FILE, the classes file to write');
    if (options.classes) throw new UsageError('--teach makes a classes file: it takes no --classes');
  } else {
    if (!options.classes) throw new UsageError('--classes FILE is required: the classes file exported by the app');
    if (options.out) throw new UsageError('--out is for --teach');
  }
  if (options.embeddings && !options.json) throw new UsageError('--embeddings goes with --json');
  if (inputs.length === 0) throw new UsageError('no images given: name image files or folders after the options');
  return options;
}
