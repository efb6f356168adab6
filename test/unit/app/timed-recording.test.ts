import { expect } from '@open-wc/testing';
import { DEFAULT_RECORDING, IDLE, RecordingRate, TimedRecording, recordingOf, recordingProblems } from '../../../src/app/timed-recording';

describe('TimedRecording', () => {
  it('counts down whole seconds, records for the duration, then is idle', () => {
    const timed = TimedRecording.of({ countdownSeconds: 3, durationSeconds: 5 });
    expect(timed.at(0)).to.deep.equal(IDLE);
    timed.start(1000);
    expect(timed.running).to.equal(true);
    expect(timed.at(1000)).to.deep.equal({ phase: 'countdown', secondsLeft: 3 });
    expect(timed.at(2001)).to.deep.equal({ phase: 'countdown', secondsLeft: 2 });
    expect(timed.at(3999)).to.deep.equal({ phase: 'countdown', secondsLeft: 1 });
    expect(timed.at(4000)).to.deep.equal({ phase: 'recording', secondsLeft: 5 });
    expect(timed.at(8500)).to.deep.equal({ phase: 'recording', secondsLeft: 1 });
    expect(timed.at(9000)).to.deep.equal(IDLE);
  });

  it('with no countdown records at once', () => {
    const timed = TimedRecording.of({ countdownSeconds: 0, durationSeconds: 1 });
    timed.start(0);
    expect(timed.at(0)).to.deep.equal({ phase: 'recording', secondsLeft: 1 });
    expect(timed.at(1000)).to.deep.equal(IDLE);
  });

  it('is idle once cancelled', () => {
    const timed = TimedRecording.of({ countdownSeconds: 3, durationSeconds: 5 });
    timed.start(0);
    timed.cancel();
    expect(timed.running).to.equal(false);
    expect(timed.at(4000)).to.deep.equal(IDLE);
    expect(timed.untilNextChange(4000)).to.equal(null);
  });

  it('says when its state next changes: each second boundary and the end', () => {
    const timed = TimedRecording.of({ countdownSeconds: 2, durationSeconds: 2 });
    timed.start(0);
    const changes: number[] = [];
    let now = 0;
    for (let wait = timed.untilNextChange(now); wait !== null; wait = timed.untilNextChange(now)) {
      now += wait;
      changes.push(now);
    }
    expect(changes).to.deep.equal([1000, 2000, 3000, 4000]);
    expect(timed.at(now)).to.deep.equal(IDLE);
  });
});

describe('RecordingRate', () => {
  it('thins a 60 fps camera to the cap of 24 a second', () => {
    const rate = new RecordingRate(24);
    let kept = 0;
    for (let frame = 0; frame < 600; frame++) if (rate.take((frame * 1000) / 60)) kept++;
    expect(kept).to.be.within(238, 241);
  });

  it('keeps every frame of a camera slower than the cap', () => {
    const rate = new RecordingRate(24);
    let kept = 0;
    for (let frame = 0; frame < 100; frame++) if (rate.take(frame * 100)) kept++;
    expect(kept).to.equal(100);
  });

  it('keeps the first frame after a reset', () => {
    const rate = new RecordingRate(1);
    expect(rate.take(0)).to.equal(true);
    expect(rate.take(10)).to.equal(false);
    rate.reset();
    expect(rate.take(20)).to.equal(true);
  });
});

describe('recording settings', () => {
  it('accepts the defaults and names every bad field', () => {
    expect(recordingProblems(DEFAULT_RECORDING)).to.deep.equal({});
    const problems = recordingProblems({ holdToRecord: false, countdownSeconds: 11, durationSeconds: 0, framesPerSecond: 2.5 });
    expect(Object.keys(problems)).to.have.members(['countdownSeconds', 'durationSeconds', 'framesPerSecond']);
    expect(() => recordingOf({ ...DEFAULT_RECORDING, durationSeconds: 61 })).to.throw(RangeError, /durationSeconds takes a whole number from 1 to 60/);
  });

  it('keeps only the known fields', () => {
    const extra = { ...DEFAULT_RECORDING, holdToRecord: false, other: 1 };
    expect(recordingOf(extra)).to.deep.equal({ ...DEFAULT_RECORDING, holdToRecord: false });
  });
});
