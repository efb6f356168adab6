import { expect } from '@open-wc/testing';
import { WasmArena } from '../../../../../src/classifier/knn/store/arena';
import { ClassRows, rowLayout } from '../../../../../src/classifier/knn/store/class-rows';
import { MirroredRows } from '../../../../../src/classifier/knn/store/stored-rows';

const DIM = 40;

/** Rows with numbers the 4-byte coding keeps whole (negative, tiny) in every one of them; `seed` varies the values. */
function rowsWithExceptions(rows: number, seed = 0): Float32Array {
  return Float32Array.from({ length: rows * DIM }, (_, i) => (i % 13 === 5 ? -0.01 * ((i % 5) + 1) : i % 17 === 3 ? 1e-30 : (((i + seed) * 37) % 101) / 101));
}

const bits = (arena: WasmArena, rows: { exactRow(row: number): number }, row: number) => {
  const at = rows.exactRow(row);
  return Array.from(arena.i32.subarray(at, at + DIM));
};

describe('Stored rows: exceptions kept in the arena', () => {
  it('a copy kept up to date with updates in two parts reads every row as the class does', () => {
    const arena = new WasmArena(false);
    const layout = rowLayout(DIM);
    const original = new ClassRows(arena, layout);
    original.append(rowsWithExceptions(70));
    const copy = new MirroredRows(arena, layout);
    copy.useDecodeSlot(arena.allocate(layout.exactStride));
    copy.apply(original.updateFor(0, 50));
    original.append(rowsWithExceptions(30, 1));
    const rest = original.updateFor(50, 100);
    // Where the exceptions are, not the exceptions: a message of one small array per row is slow to copy.
    for (const [field, value] of Object.entries(rest)) {
      expect(typeof value === 'number' || ArrayBuffer.isView(value), `${field}`).to.equal(true);
    }
    expect(rest.exceptionPairs.every((pairs) => pairs > 0)).to.equal(true);
    copy.apply(rest);
    expect(copy.count).to.equal(100);
    for (let row = 0; row < 100; row++) expect(bits(arena, copy, row), `row ${row}`).to.deep.equal(bits(arena, original, row));
  });

  it('rows dropped from the end give their exceptions room back, and rows written after them read back exactly', () => {
    const arena = new WasmArena(false);
    const layout = rowLayout(DIM);
    const rows = new ClassRows(arena, layout);
    // Enough rows that their exceptions fill more than one chunk.
    rows.append(rowsWithExceptions(400));
    const kept = Array.from({ length: 150 }, (_, r) => bits(arena, rows, r));
    let bytes = 0;
    for (let cycle = 0; cycle < 10; cycle++) {
      rows.truncate(150);
      rows.append(rowsWithExceptions(250, 2 + cycle));
      if (cycle === 0) bytes = arena.bytes;
      expect(arena.bytes, `cycle ${cycle}`).to.equal(bytes);
    }
    const expected = new ClassRows(arena, layout);
    expected.append(rowsWithExceptions(150));
    expected.append(rowsWithExceptions(250, 11));
    for (let r = 0; r < 150; r++) expect(bits(arena, rows, r), `row ${r}`).to.deep.equal(kept[r]);
    for (let r = 0; r < 400; r++) expect(bits(arena, rows, r), `row ${r}`).to.deep.equal(bits(arena, expected, r));
  });
});
