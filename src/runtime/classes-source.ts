import { checkFileSize, DATASET_LIMITS, DatasetError, parseDataset, parseDatasetBytes, type Dataset } from '../dataset';
import { ClassifierError, messageOf } from './errors';

/**
 * Where a classes file comes from: its URL, a File or Blob (an `<input type="file">`, a fetch), the JSON object
 * read from it, or a Dataset the app already holds.
 */
export type ClassesSource = string | URL | Blob | Dataset | object;

/** Reads and checks the classes with the app's own dataset parser; any problem is a ClassifierError. */
export async function readClasses(source: ClassesSource, fetchFunc: typeof fetch = fetch.bind(globalThis)): Promise<Dataset> {
  try {
    if (typeof source === 'string' || source instanceof URL) return await readUrl(String(source), fetchFunc);
    if (source instanceof Blob) {
      checkFileSize(source.size);
      return parseDatasetBytes(new Uint8Array(await source.arrayBuffer()));
    }
    if (isDataset(source)) return source;
    if (source === null || typeof source !== 'object') throw new DatasetError('expected a URL, a file or the JSON object of a classes file');
    // The object goes through the same checks as a file's text.
    return parseDataset(JSON.stringify(source));
  } catch (error) {
    if (error instanceof ClassifierError) throw error;
    throw new ClassifierError('classes-file', `The classes file cannot be used: ${messageOf(error)}.`, { cause: error });
  }
}

async function readUrl(url: string, fetchFunc: typeof fetch): Promise<Dataset> {
  let response: Response;
  try {
    response = await fetchFunc(url);
  } catch (error) {
    throw new ClassifierError('classes-file', `Could not fetch the classes file at ${url} (${messageOf(error)}).`, { cause: error });
  }
  if (!response.ok) throw new ClassifierError('classes-file', `Could not fetch the classes file at ${url}: the server answered HTTP ${response.status}.`);
  const declared = Number(response.headers.get('Content-Length'));
  if (declared > 0) checkFileSize(declared);
  return parseDatasetBytes(new Uint8Array(await response.arrayBuffer()));
}

/** A Dataset as the app holds it (vectors already numbers): checked for shape, since it skips the parser. */
function isDataset(value: object): value is Dataset {
  const candidate = value as Partial<Dataset>;
  const classes = candidate.classes;
  if (!Array.isArray(classes) || classes.length === 0 || !classes.every((c) => c?.vectors instanceof Float32Array)) return false;
  const dim = candidate.dimension;
  if (!(typeof dim === 'number' && Number.isSafeInteger(dim) && dim > 0 && dim <= DATASET_LIMITS.maxDimension)) {
    throw new DatasetError(`"dimension" must be a whole number from 1 to ${DATASET_LIMITS.maxDimension}`);
  }
  if (!(candidate.model === null || typeof candidate.model === 'string')) throw new DatasetError('"model" must be a model id or null');
  const bad = classes.findIndex((c) => c.vectors.length % dim !== 0 || typeof c.label !== 'string');
  if (bad >= 0) throw new DatasetError(`class ${bad} is not a label with rows of ${dim} numbers`);
  return true;
}
