import { expect, waitUntil } from '@open-wc/testing';
import { saveLockName, takeSaveTurn } from '../../../src/storage/save-turn';

/** Taking turns to save through Web Locks: real navigator.locks, as two tabs of one origin share it. */
describe('takeSaveTurn', () => {
  const name = () => `save-turn-test-${Math.random()}`;

  it('gives the first asker the turn at once, and the next one after the first gives it up', async () => {
    const db = name();
    const events: string[] = [];
    const giveUpFirst = takeSaveTurn(db, { onWaiting: () => events.push('first waits'), onTurn: (w) => void events.push(`first saves (waited ${w})`) });
    await waitUntil(() => events.length === 1);
    const giveUpSecond = takeSaveTurn(db, { onWaiting: () => events.push('second waits'), onTurn: (w) => void events.push(`second saves (waited ${w})`) });
    await waitUntil(() => events.length === 2);
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(events).to.deep.equal(['first saves (waited false)', 'second waits']);
    const held = await navigator.locks.query();
    expect(held.held?.filter((l) => l.name === saveLockName(db)).length).to.equal(1);

    giveUpFirst();
    await waitUntil(() => events.length === 3, 'the second never got its turn');
    expect(events[2]).to.equal('second saves (waited true)');
    giveUpSecond();
    await waitUntil(async () => !(await navigator.locks.query()).held?.some((l) => l.name === saveLockName(db)), 'turn kept');
  });

  it('stops waiting when given up before its turn, so it never saves', async () => {
    const db = name();
    let secondSaved = false;
    let firstSaved = false;
    const giveUpFirst = takeSaveTurn(db, { onWaiting: () => undefined, onTurn: () => void (firstSaved = true) });
    await waitUntil(() => firstSaved);
    let waiting = false;
    const giveUpSecond = takeSaveTurn(db, { onWaiting: () => (waiting = true), onTurn: () => void (secondSaved = true) });
    await waitUntil(() => waiting);
    giveUpSecond();
    giveUpFirst();
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(secondSaved).to.equal(false);
    const state = await navigator.locks.query();
    expect([...(state.held ?? []), ...(state.pending ?? [])].some((l) => l.name === saveLockName(db))).to.equal(false);
  });

  it('saves at once without Web Locks (an old browser), as every tab did before', async () => {
    let waited: boolean | null = null;
    takeSaveTurn(name(), { locks: null, onWaiting: () => undefined, onTurn: (w) => void (waited = w) });
    await waitUntil(() => waited !== null);
    expect(waited).to.equal(false);
  });
});
