import { expect, fixture, html } from '@open-wc/testing';
import { LitElement } from 'lit';
import { customElement } from 'lit/decorators.js';
import { TimedRecordController, type Clock } from '../../../components/controllers/timed-record-controller';

/** A clock the test moves by hand: timers fire only in `advance`. */
class SteppedClock implements Clock {
  time = 0;
  private timers = new Map<number, { at: number; callback: () => void }>();
  private nextHandle = 1;

  now(): number {
    return this.time;
  }

  setTimeout(callback: () => void, ms: number): number {
    const handle = this.nextHandle++;
    this.timers.set(handle, { at: this.time + ms, callback });
    return handle;
  }

  clearTimeout(handle: number): void {
    this.timers.delete(handle);
  }

  get pending(): number {
    return this.timers.size;
  }

  advance(ms: number): void {
    const end = this.time + ms;
    for (;;) {
      const due = [...this.timers].filter(([, t]) => t.at <= end).sort((a, b) => a[1].at - b[1].at)[0];
      if (!due) break;
      this.timers.delete(due[0]);
      this.time = due[1].at;
      due[1].callback();
    }
    this.time = end;
  }
}

const clock = new SteppedClock();

@customElement('test-timed-host')
class TestTimedHost extends LitElement {
  readonly calls: string[] = [];
  readonly timed = new TimedRecordController(
    this,
    {
      onCountdown: () => this.calls.push('countdown'),
      onStart: () => this.calls.push('start'),
      onEnd: () => this.calls.push('end'),
      onCancelled: () => this.calls.push('cancelled'),
    },
    clock,
  );

  protected override render() {
    const { phase, secondsLeft } = this.timed.state;
    return html`<span>${phase} ${secondsLeft}</span>`;
  }
}

@customElement('test-bare-host')
export class TestBareHost extends LitElement {}

const escape = () => window.dispatchEvent(new KeyboardEvent('keydown', { key: 'Escape', cancelable: true }));

describe('TimedRecordController', () => {
  let host: TestTimedHost;
  beforeEach(async () => {
    clock.time = 0;
    host = await fixture<TestTimedHost>(html`<test-timed-host></test-timed-host>`);
  });

  it('counts down, records for the duration, and ends, re-rendering each second', async () => {
    host.timed.toggle({ countdownSeconds: 3, durationSeconds: 2 });
    await host.updateComplete;
    expect(host.calls).to.deep.equal(['countdown']);
    expect(host.renderRoot.textContent).to.contain('countdown 3');
    clock.advance(1000);
    await host.updateComplete;
    expect(host.renderRoot.textContent).to.contain('countdown 2');
    clock.advance(2000);
    await host.updateComplete;
    expect(host.calls).to.deep.equal(['countdown', 'start']);
    expect(host.renderRoot.textContent).to.contain('recording 2');
    clock.advance(1999);
    expect(host.calls).to.deep.equal(['countdown', 'start']);
    clock.advance(1);
    await host.updateComplete;
    expect(host.calls).to.deep.equal(['countdown', 'start', 'end']);
    expect(host.renderRoot.textContent).to.contain('idle 0');
    expect(clock.pending).to.equal(0);
  });

  it('a countdown of 0 starts recording at once', () => {
    host.timed.toggle({ countdownSeconds: 0, durationSeconds: 1 });
    expect(host.calls).to.deep.equal(['countdown', 'start']);
    clock.advance(1000);
    expect(host.calls).to.deep.equal(['countdown', 'start', 'end']);
  });

  it('Escape during the countdown cancels it: nothing starts, no timer is left', () => {
    host.timed.toggle({ countdownSeconds: 3, durationSeconds: 5 });
    clock.advance(1500);
    escape();
    expect(host.calls).to.deep.equal(['countdown', 'cancelled']);
    expect(host.timed.running).to.equal(false);
    expect(clock.pending).to.equal(0);
    clock.advance(10000);
    expect(host.calls).to.deep.equal(['countdown', 'cancelled']);
  });

  it('Escape or a second toggle during the recording ends it', () => {
    host.timed.toggle({ countdownSeconds: 0, durationSeconds: 5 });
    clock.advance(1000);
    escape();
    expect(host.calls).to.deep.equal(['countdown', 'start', 'end']);
    host.timed.toggle({ countdownSeconds: 0, durationSeconds: 5 });
    host.timed.toggle({ countdownSeconds: 0, durationSeconds: 5 });
    expect(host.calls.slice(3)).to.deep.equal(['countdown', 'start', 'end']);
    escape();
    expect(host.calls).to.have.length(6);
  });

  it('a start whose listener cancels it (no camera) leaves nothing running', async () => {
    const bare = await fixture<TestBareHost>(html`<test-bare-host></test-bare-host>`);
    const calls: string[] = [];
    const timed: TimedRecordController = new TimedRecordController(
      bare,
      {
        onCountdown: () => calls.push('countdown'),
        onStart: () => {
          calls.push('start');
          timed.cancel();
        },
        onEnd: () => calls.push('end'),
        onCancelled: () => calls.push('cancelled'),
      },
      clock,
    );
    timed.toggle({ countdownSeconds: 1, durationSeconds: 5 });
    clock.advance(1000);
    expect(calls).to.deep.equal(['countdown', 'start', 'end']);
    expect(timed.running).to.equal(false);
    expect(clock.pending).to.equal(0);
  });

  it('leaving the page cancels the countdown', () => {
    host.timed.toggle({ countdownSeconds: 3, durationSeconds: 5 });
    host.remove();
    expect(host.calls).to.deep.equal(['countdown', 'cancelled']);
    expect(clock.pending).to.equal(0);
  });
});
