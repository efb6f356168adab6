import { expect } from '@open-wc/testing';
import { newRows, putRowsBack, sortedRows, storedForm, takeRows } from '../../../src/app/example-rows';

/** Rows of 2 numbers: row r is [r, -r]. */
const rowsOf = (count: number) => Float32Array.from({ length: count * 2 }, (_, i) => (i % 2 ? -1 : 1) * Math.floor(i / 2));

describe('example rows', () => {
  it('takes rows out and puts them back where they were, bit for bit', () => {
    const all = rowsOf(6);
    const { kept, taken } = takeRows(all, 2, [0, 3, 5]);
    expect(Array.from(kept)).to.deep.equal([1, -1, 2, -2, 4, -4]);
    expect(Array.from(taken.vectors)).to.deep.equal([0, -0, 3, -3, 5, -5]);
    const back = putRowsBack(kept, 2, taken);
    expect(Array.from(back.vectors)).to.deep.equal(Array.from(all));
    expect(Array.from(back.origin)).to.deep.equal([-1, 0, 1, -2, 2, -3]);
  });

  it('puts rows back before rows added since at the end', () => {
    const { kept, taken } = takeRows(rowsOf(4), 2, [1, 2]);
    const grown = Float32Array.from([...kept, 9, -9]);
    expect(Array.from(putRowsBack(grown, 2, taken).vectors)).to.deep.equal([0, -0, 1, -1, 2, -2, 3, -3, 9, -9]);
  });

  it('puts rows whose place is gone at the end, losing none', () => {
    const { taken } = takeRows(rowsOf(5), 2, [4]);
    expect(Array.from(putRowsBack(new Float32Array(0), 2, taken).vectors)).to.deep.equal([4, -4]);
  });

  it('keeps distinct valid row numbers only, ascending', () => {
    expect(sortedRows([5, 1, 1, -1, 2.5, 3, 9], 6)).to.deep.equal([1, 3, 5]);
  });

  it('finds rows already present in their stored (unit) form, keeping doubles within the file', () => {
    const present = Float32Array.from([0.6, 0.8, 1, 0]);
    // [3, 4] is [0.6, 0.8] once scaled, [1, 0] is there; [0, 2] is new, twice.
    const incoming = Float32Array.from([3, 4, 0, 2, 1, 0, 0, 2, 0.8, 0.6]);
    const { vectors, kept } = newRows(present, incoming, 2);
    expect(kept).to.deep.equal([1, 3, 4]);
    expect(Array.from(vectors)).to.deep.equal(Array.from(Float32Array.from([0, 2, 0, 2, 0.8, 0.6])));
  });

  it('scales a row as the store does, leaving a unit row as it is', () => {
    const unit = Float32Array.from([0.6, 0.8]);
    expect(storedForm(unit)).to.equal(unit);
    expect(Array.from(storedForm(Float32Array.from([3, 4])))).to.deep.equal(Array.from(Float32Array.from([0.6, 0.8])));
  });
});
