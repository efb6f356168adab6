import { expect } from '@open-wc/testing';
import { WasmArena } from '../../../../../src/classifier/knn/store/arena';
import { ClassRows, rowLayout } from '../../../../../src/classifier/knn/store/class-rows';
import { MirroredRows } from '../../../../../src/classifier/knn/store/stored-rows';

const DIM = 40;

/** Rows with numbers the 4-byte coding keeps whole (negative, tiny) in most of them, as noisy held-button rows have. */
function rowsWithExceptions(rows: number): Float32Array {
  return Float32Array.from({ length: rows * DIM }, (_, i) => (i % 13 === 5 ? -0.01 * ((i % 5) + 1) : i % 17 === 3 ? 1e-30 : ((i * 37) % 101) / 101));
}

const bits = (arena: WasmArena, rows: { exactRow(row: number): number }, row: number) => Array.from(arena.i32.subarray(rows.exactRow(row), rows.exactRow(row) + DIM));

describe('MirroredRows: a copy of a class kept up to date with RowsUpdates', () => {
  it('reads every row as the class does, exceptions and all, from an update in two parts', () => {
    const arena = new WasmArena(false);
    const layout = rowLayout(DIM);
    const original = new ClassRows(arena, layout);
    original.append(rowsWithExceptions(70));
    const copy = new MirroredRows(arena, layout);
    copy.useDecodeSlot(arena.allocate(layout.exactStride));
    copy.apply(original.updateFor(0, 50));
    original.append(rowsWithExceptions(30));
    const rest = original.updateFor(50, 100);
    // The exceptions travel as one array (a message of many small ones is slow to copy): row, pairs, the pairs.
    expect(rest.exceptions).to.be.instanceOf(Int32Array);
    copy.apply(rest);
    expect(copy.count).to.equal(100);
    for (let row = 0; row < 100; row++) expect(bits(arena, copy, row), `row ${row}`).to.deep.equal(bits(arena, original, row));
  });
});
