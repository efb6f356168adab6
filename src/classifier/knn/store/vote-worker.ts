/**
 * The vote worker: scores each query against a k-NN store's rows (similarities.ts, the same code the page would run)
 * in the store's shared WebAssembly memory, so the page's thread is free meanwhile. It scans with the scan worker
 * through the control block the page set up (parallel-scan.ts). It keeps copies of what reading the rows needs
 * (their blocks and per-row numbers, the fitted space's factors) that the page updates with each query.
 */
import { WasmArena } from './arena';
import { SharedScan } from './parallel-scan';
import { fittedSimilarities } from '../similarities';
import { grown, MirroredRows } from './stored-rows';
import type { ScoringSpace } from './query-scoring';
import type { ScoreReply, ScoreRequest, SpaceUpdate, VoteReply, VoteRequest } from './vote-protocol';

// The DOM typings this project builds with do not include the worker's global scope.
const scope = self as unknown as {
  onmessage: ((event: MessageEvent<VoteRequest>) => void) | null;
  postMessage(message: VoteReply, transfer?: Transferable[]): void;
};

let arena: WasmArena | null = null;
let scan: SharedScan | null = null;
const copies = new Map<number, MirroredRows>();
/** The space of the last query: its fit as sent, and each class's factors, grown as the page sends more. */
let space: (ScoringSpace & { readonly id: number; readonly rowFactors: Float32Array<ArrayBuffer>[] }) | null = null;

function updateSpace(update: SpaceUpdate): ScoringSpace {
  if (update.fit) {
    const rowFactors = update.factors.map(() => new Float32Array(0));
    space = { id: update.id, ...update.fit, rowFactors, counts: update.factors.map(() => 0) };
  }
  if (!space || space.id !== update.id) throw new Error(`No space ${update.id} to update.`);
  const current = space;
  update.factors.forEach(({ from, values }, c) => {
    if (values.length === 0) return;
    current.rowFactors[c] = grown(current.rowFactors[c], from + values.length);
    current.rowFactors[c].set(values, from);
    current.counts[c] = Math.max(current.counts[c], from + values.length);
  });
  return current;
}

function score(request: ScoreRequest, store: WasmArena, shared: SharedScan): ScoreReply {
  for (const id of request.forget) copies.delete(id);
  const scored = updateSpace(request.space);
  const rows = request.classes.map(({ id, update }) => {
    let copy = copies.get(id);
    if (!copy) copies.set(id, (copy = new MirroredRows(store, request.room.scratch.layout)));
    if (update) copy.apply(update);
    copy.useDecodeSlot(request.room.decoded);
    return copy;
  });
  const counts = new Map(rows.map((copy, c) => [copy, request.classes[c].size]));
  const room = { arena: store, scratch: request.room.scratch, scan: shared, dotsFor: () => request.room.dots };
  const { similarities, rescored } = fittedSimilarities(room, request.query, scored, rows, counts, request.exactClassRows);
  return { id: request.id, similarities, rescored, scanStalled: shared.stalled };
}

scope.onmessage = (event) => {
  const message = event.data;
  if (message.type === 'start') {
    arena = WasmArena.view(message.arena);
    scan = new SharedScan(arena, message.control);
    scope.postMessage('ready');
    return;
  }
  if (!arena || !scan) return;
  let reply: ScoreReply;
  try {
    reply = score(message, arena, scan);
  } catch (error) {
    reply = { id: message.id, error: error instanceof Error ? error.message : String(error) };
  }
  scope.postMessage(reply, 'similarities' in reply ? reply.similarities.map((s) => s.buffer) : []);
};
