import { expect } from '@open-wc/testing';
import { WasmArena } from '../../../../../src/classifier/knn/store/arena';

describe('WasmArena: releases held for a reader in another thread', () => {
  it('does not hand out a block given back while held until every hold is let go', () => {
    const arena = new WasmArena(false);
    const block = arena.allocate(1024);
    const first = arena.holdReleases();
    const second = arena.holdReleases();
    arena.release(block, 1024);
    expect(arena.allocate(1024)).to.not.equal(block);
    first();
    first(); // a second call changes nothing
    expect(arena.allocate(1024)).to.not.equal(block);
    second();
    expect(arena.allocate(1024)).to.equal(block);
  });
});
