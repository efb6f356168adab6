/**
 * Reads what autosave stored (readSaved) in a worker, so that taking tens of megabytes of vectors and kept frames out
 * of IndexedDB never holds the page: the page gets each class's examples in messages of their own (the vectors moved,
 * not copied), then the rest.
 */
import { openDatabase } from './idb';
import { readSaved } from './read-saved';
import { FRAMES_PER_MESSAGE, type ReadReply, type ReadRequest } from './read-saved-protocol';

// The DOM typings this project builds with do not include the worker's global scope.
const scope = self as unknown as {
  onmessage: ((event: MessageEvent<ReadRequest>) => void) | null;
  postMessage(message: ReadReply, transfer?: Transferable[]): void;
};

const reply = (message: ReadReply, transfer: Transferable[] = []) => scope.postMessage(message, transfer);

scope.onmessage = async (event) => {
  const { name, version } = event.data;
  let db: IDBDatabase | null = null;
  try {
    // The page opened (and upgraded) the database first: an upgrade here would mean it is gone or changed.
    db = await openDatabase(indexedDB, name, version, () => {
      throw new DOMException('The saved data changed while it was being read.', 'VersionError');
    });
    const { examples, ...rest } = await readSaved(db, (done, total) => reply({ type: 'rows', done, total }));
    for (const { thumbnails, ...example } of examples) {
      reply({ type: 'examples', examples: { ...example, thumbnails: [] } }, [example.vectors.buffer]);
      for (let start = 0; start < thumbnails.length; start += FRAMES_PER_MESSAGE) {
        reply({ type: 'frames', urls: thumbnails.slice(start, start + FRAMES_PER_MESSAGE) });
      }
    }
    reply({ type: 'done', rest });
  } catch (error) {
    const { name: errorName, message } = error instanceof Error ? error : new Error(String(error));
    reply({ type: 'failed', name: errorName, message });
  } finally {
    db?.close();
  }
};
