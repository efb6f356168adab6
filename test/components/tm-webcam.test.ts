import { expect, fixture, html, oneEvent, waitUntil } from '@open-wc/testing';
import '../../components/tm-webcam';
import type { TmWebcam } from '../../components/tm-webcam';
import { CAMERA_MESSAGES, type GetUserMedia } from '../../components/controllers/camera-controller';
import { expectNoAxeViolations } from '../helpers/axe';
import { itExceptInFirefox } from '../helpers/browser';

/** A camera stand-in: a canvas that keeps repainting, so its captured stream keeps delivering frames. */
const painters: number[] = [];
function canvasStream(): MediaStream {
  const canvas = Object.assign(document.createElement('canvas'), { width: 64, height: 48 });
  const context = canvas.getContext('2d')!;
  let hue = 0;
  const paint = () => {
    hue = (hue + 40) % 360;
    context.fillStyle = `hsl(${hue} 80% 50%)`;
    context.fillRect(0, 0, canvas.width, canvas.height);
  };
  paint();
  painters.push(window.setInterval(paint, 30));
  return canvas.captureStream(30);
}

const working: GetUserMedia = () => Promise.resolve(canvasStream());
const failingWith =
  (name: string): GetUserMedia =>
  () =>
    Promise.reject(new DOMException(`test ${name}`, name));

function deferred<T>() {
  let resolve!: (value: T) => void;
  const promise = new Promise<T>((r) => (resolve = r));
  return { promise, resolve };
}

function fakeDevice(deviceId: string, label: string, kind: MediaDeviceKind = 'videoinput'): MediaDeviceInfo {
  const info = { deviceId, label, kind, groupId: 'g', toJSON: () => ({ deviceId, label, kind }) };
  return info as MediaDeviceInfo;
}

// Assertions compare booleans, not elements: a failing assertion holding a DOM node can crash the test
// runner's error serialisation and hide which test failed.
const present = (value: unknown) => value !== null && value !== undefined;
const alertOf = (el: TmWebcam) => el.shadowRoot!.querySelector('[role="alert"]');
const retryButton = (el: TmWebcam) =>
  [...el.shadowRoot!.querySelectorAll('button')].find((b) => b.textContent?.trim() === 'Retry') ?? null;
const statusIs = (el: TmWebcam, status: TmWebcam['status']) =>
  waitUntil(() => el.status === status, `status never became ${status} (it is ${el.status})`, { timeout: 10000 });

afterEach(() => {
  for (const id of painters.splice(0)) clearInterval(id);
});

describe('tm-webcam', () => {
  it('opens the (fake) camera, announces its first frame, and stops every track when removed', async () => {
    let readyEvents = 0;
    const el = await fixture<TmWebcam>(html`<tm-webcam @tm-camera-ready=${() => readyEvents++}></tm-webcam>`);
    await waitUntil(() => readyEvents === 1, 'camera-ready did not fire', { timeout: 10000 });
    expect(el.status).to.equal('live');
    const video = el.video;
    expect(video instanceof HTMLVideoElement).to.equal(true);
    expect(video!.readyState).to.be.at.least(2);
    expect(video!.videoWidth).to.be.greaterThan(0);
    const stream = video!.srcObject as MediaStream;
    const tracks = stream.getTracks();
    expect(tracks.length).to.be.greaterThan(0);
    expect(tracks.every((t) => t.readyState === 'live')).to.equal(true);

    el.remove();
    expect(tracks.map((t) => t.readyState)).to.deep.equal(tracks.map(() => 'ended'));
    expect(el.status).to.equal('idle');
    expect(present(el.video)).to.equal(false);
  });

  it('has no axe violations starting, live with a camera picker, and failed', async () => {
    const arrival = deferred<MediaStream>();
    const devices = [fakeDevice('cam-a', 'Front camera'), fakeDevice('cam-b', 'Back camera')];
    const el = await fixture<TmWebcam>(
      html`<tm-webcam .getUserMedia=${() => arrival.promise} .enumerateDevices=${async () => devices}></tm-webcam>`,
    );
    await expectNoAxeViolations(el, 'a starting camera');
    arrival.resolve(canvasStream());
    await statusIs(el, 'live');
    await waitUntil(() => el.shadowRoot!.querySelector('select') !== null, 'no camera picker');
    await expectNoAxeViolations(el, 'a live camera with a picker');
    el.getUserMedia = failingWith('NotAllowedError');
    await el.start();
    await el.updateComplete;
    await expectNoAxeViolations(el, 'a blocked camera');
  });

  it('asks for the front camera at 640 x 480, and for exactly the picked camera once one is picked', async () => {
    const asked: MediaStreamConstraints[] = [];
    const el = await fixture<TmWebcam>(
      html`<tm-webcam
        .getUserMedia=${(c: MediaStreamConstraints) => (asked.push(c), Promise.resolve(canvasStream()))}
      ></tm-webcam>`,
    );
    await statusIs(el, 'live');
    expect(asked[0]).to.deep.equal({
      video: { facingMode: 'user', width: { ideal: 640 }, height: { ideal: 480 } },
      audio: false,
    });
    await el.start('cam-b');
    expect(asked[1]).to.deep.equal({
      video: { deviceId: { exact: 'cam-b' }, width: { ideal: 640 }, height: { ideal: 480 } },
      audio: false,
    });
  });

  it('mirrors the preview by default and crops it to the centre square', async () => {
    const el = await fixture<TmWebcam>(html`<tm-webcam .getUserMedia=${working}></tm-webcam>`);
    const video = el.shadowRoot!.querySelector('video')!;
    const style = getComputedStyle(video);
    expect(style.objectFit).to.equal('cover');
    expect(style.transform).to.equal('matrix(-1, 0, 0, 1, 0, 0)');
    const box = el.shadowRoot!.querySelector('.viewport')!.getBoundingClientRect();
    expect(box.width).to.be.greaterThan(0);
    expect(box.height).to.be.closeTo(box.width, 0.5);

    el.mirrored = false;
    await el.updateComplete;
    expect(getComputedStyle(video).transform).to.equal('none');
    el.setAttribute('mirrored', '');
    await el.updateComplete;
    expect(el.mirrored).to.equal(true);
    el.setAttribute('mirrored', 'false');
    expect(el.mirrored).to.equal(false);
  });

  it('explains a blocked camera with an alert and a Retry button, and Retry recovers', async () => {
    const errors: CustomEvent[] = [];
    const el = await fixture<TmWebcam>(
      html`<tm-webcam
        .getUserMedia=${failingWith('NotAllowedError')}
        @tm-camera-error=${(e: CustomEvent) => errors.push(e)}
      ></tm-webcam>`,
    );
    await statusIs(el, 'error');
    await el.updateComplete;
    expect(el.error?.kind).to.equal('denied');
    expect(alertOf(el)?.textContent?.trim()).to.equal(CAMERA_MESSAGES.denied);
    expect(alertOf(el)?.textContent).to.contain('Camera access was blocked');
    expect(errors).to.have.length(1);
    expect(errors[0].detail).to.deep.equal({ kind: 'denied', message: CAMERA_MESSAGES.denied });
    expect(errors[0].bubbles && errors[0].composed).to.equal(true);
    expect(present(el.video)).to.equal(false);

    el.getUserMedia = working;
    const ready = oneEvent(el, 'tm-camera-ready');
    retryButton(el)!.click();
    await ready;
    await el.updateComplete;
    expect(el.status).to.equal('live');
    expect(present(el.video)).to.equal(true);
    expect(present(alertOf(el))).to.equal(false);
    expect(present(retryButton(el))).to.equal(false);
  });

  it('treats a blocked permissions policy (SecurityError) as denied', async () => {
    const el = await fixture<TmWebcam>(html`<tm-webcam .getUserMedia=${failingWith('SecurityError')}></tm-webcam>`);
    await statusIs(el, 'error');
    expect(el.error?.kind).to.equal('denied');
  });

  it('says when another program holds the camera', async () => {
    const el = await fixture<TmWebcam>(html`<tm-webcam .getUserMedia=${failingWith('NotReadableError')}></tm-webcam>`);
    await statusIs(el, 'error');
    await el.updateComplete;
    expect(el.error?.kind).to.equal('busy');
    expect(alertOf(el)?.textContent).to.contain('in use by another program');
    expect(present(retryButton(el))).to.equal(true);
  });

  it('says when there is no camera, and retries with the default camera rather than the missing one', async () => {
    const asked: MediaStreamConstraints[] = [];
    const el = await fixture<TmWebcam>(
      html`<tm-webcam
        manual-start
        .getUserMedia=${(c: MediaStreamConstraints) => (
          asked.push(c), Promise.reject(new DOMException('x', 'OverconstrainedError'))
        )}
      ></tm-webcam>`,
    );
    await el.start('gone');
    expect(el.error?.kind).to.equal('not-found');
    el.getUserMedia = (c) => (asked.push(c), Promise.resolve(canvasStream()));
    await el.retry();
    expect(el.status).to.equal('live');
    expect((asked[1].video as MediaTrackConstraints).facingMode).to.equal('user');
  });

  it('reports other failures with their message', async () => {
    const el = await fixture<TmWebcam>(
      html`<tm-webcam .getUserMedia=${() => Promise.reject(new TypeError('weird constraint'))}></tm-webcam>`,
    );
    await statusIs(el, 'error');
    expect(el.error?.kind).to.equal('other');
    expect(el.error?.message).to.contain('weird constraint');
  });

  it('says the page must be served over https or localhost when the browser offers no camera API', async () => {
    Object.defineProperty(navigator, 'mediaDevices', { value: undefined, configurable: true });
    try {
      const el = await fixture<TmWebcam>(html`<tm-webcam></tm-webcam>`);
      await statusIs(el, 'error');
      await el.updateComplete;
      expect(el.error?.kind).to.equal('unsupported');
      expect(alertOf(el)?.textContent).to.contain('https').and.to.contain('localhost');
    } finally {
      delete (navigator as { mediaDevices?: MediaDevices }).mediaDevices;
    }
    expect(navigator.mediaDevices).to.be.instanceOf(MediaDevices);
  });

  itExceptInFirefox("a page cannot end its camera track as an unplugged camera does (stop() fires nothing, and Firefox gives a track no untrusted 'ended' event)", "turns a track's ended event into an error the user can retry from", async () => {
    const errors: CustomEvent[] = [];
    const el = await fixture<TmWebcam>(
      html`<tm-webcam .getUserMedia=${working} @tm-camera-error=${(e: CustomEvent) => errors.push(e)}></tm-webcam>`,
    );
    await statusIs(el, 'live');
    const [track] = (el.shadowRoot!.querySelector('video')!.srcObject as MediaStream).getVideoTracks();
    // Chromium does not fire 'ended' for track.stop(); an unplugged camera fires it on its own.
    track.dispatchEvent(new Event('ended'));
    await el.updateComplete;
    expect(el.status).to.equal('error');
    expect(el.error?.kind).to.equal('ended');
    expect(alertOf(el)?.textContent).to.contain('The camera stopped (was it unplugged?)');
    expect(errors.map((e) => e.detail.kind)).to.deep.equal(['ended']);
    expect(track.readyState).to.equal('ended');
    expect(present(el.video)).to.equal(false);

    await el.retry();
    expect(el.status).to.equal('live');
  });

  it('ignores an ended event from a stream it has already replaced', async () => {
    const el = await fixture<TmWebcam>(html`<tm-webcam .getUserMedia=${working}></tm-webcam>`);
    await statusIs(el, 'live');
    const [old] = (el.shadowRoot!.querySelector('video')!.srcObject as MediaStream).getVideoTracks();
    await el.start();
    await el.updateComplete;
    old.dispatchEvent(new Event('ended'));
    expect(el.status).to.equal('live');
  });

  it('hides the camera picker with one camera and shows a labelled one with two', async () => {
    const asked: MediaStreamConstraints[] = [];
    let devices = [fakeDevice('cam-a', 'Front camera'), fakeDevice('mic', 'Microphone', 'audioinput')];
    const el = await fixture<TmWebcam>(
      html`<tm-webcam
        .getUserMedia=${(c: MediaStreamConstraints) => (asked.push(c), Promise.resolve(canvasStream()))}
        .enumerateDevices=${() => Promise.resolve(devices)}
      ></tm-webcam>`,
    );
    await statusIs(el, 'live');
    await el.updateComplete;
    expect(el.devices).to.have.length(1);
    expect(present(el.shadowRoot!.querySelector('select'))).to.equal(false);

    devices = [...devices, fakeDevice('cam-b', '')];
    await el.start();
    await el.updateComplete;
    const select = el.shadowRoot!.querySelector('select')!;
    expect(present(select)).to.equal(true);
    const label = el.shadowRoot!.querySelector(`label[for="${select.id}"]`);
    expect(label?.textContent?.trim()).to.equal('Camera');
    expect([...select.options].map((o) => [o.value, o.textContent!.trim()])).to.deep.equal([
      ['cam-a', 'Front camera'],
      ['cam-b', 'Camera 2'],
    ]);

    select.value = 'cam-b';
    select.dispatchEvent(new Event('change'));
    await waitUntil(() => asked.length === 3 && el.status === 'live', 'the picked camera did not start');
    expect(asked[2].video).to.deep.include({ deviceId: { exact: 'cam-b' } });
    expect(el.deviceId).to.equal('cam-b');
    await el.updateComplete;
    expect(el.shadowRoot!.querySelector('select')!.value).to.equal('cam-b');
  });

  it('does not leak a stream that arrives after a newer start()', async () => {
    const first = deferred<MediaStream>();
    const second = deferred<MediaStream>();
    const pending = [first.promise, second.promise];
    const el = await fixture<TmWebcam>(
      html`<tm-webcam manual-start .getUserMedia=${() => pending.shift()!}></tm-webcam>`,
    );
    const a = el.start();
    const b = el.start();
    const streamB = canvasStream();
    second.resolve(streamB);
    await b;
    const streamA = canvasStream();
    first.resolve(streamA);
    await a;
    expect(streamA.getTracks().every((t) => t.readyState === 'ended')).to.equal(true);
    expect(streamB.getTracks().every((t) => t.readyState === 'live')).to.equal(true);
    await el.updateComplete;
    expect(el.shadowRoot!.querySelector('video')!.srcObject === streamB).to.equal(true);
  });

  it('does not leak a stream that arrives after stop(), and reports camera-stopped', async () => {
    const arrival = deferred<MediaStream>();
    let stopped = 0;
    const el = await fixture<TmWebcam>(
      html`<tm-webcam .getUserMedia=${() => arrival.promise} @tm-camera-stopped=${() => stopped++}></tm-webcam>`,
    );
    expect(el.status).to.equal('starting');
    el.stop();
    await el.updateComplete;
    expect(stopped).to.equal(1);
    const stream = canvasStream();
    arrival.resolve(stream);
    await new Promise((r) => setTimeout(r, 0));
    expect(stream.getTracks().every((t) => t.readyState === 'ended')).to.equal(true);
    expect(el.status).to.equal('idle');
  });

  it('waits for start() when manual-start is set', async () => {
    let calls = 0;
    const el = await fixture<TmWebcam>(
      html`<tm-webcam manual-start .getUserMedia=${() => (calls++, Promise.resolve(canvasStream()))}></tm-webcam>`,
    );
    await new Promise((r) => setTimeout(r, 50));
    expect(calls).to.equal(0);
    expect(el.status).to.equal('idle');
    await el.start();
    expect(calls).to.equal(1);
    expect(el.status).to.equal('live');
  });

  it('shows progress while starting in a live region and gives its controls visible focus', async () => {
    const arrival = deferred<MediaStream>();
    const el = await fixture<TmWebcam>(
      html`<tm-webcam .getUserMedia=${() => arrival.promise}></tm-webcam>`,
    );
    expect(el.shadowRoot!.querySelector('[role="status"]')?.textContent?.trim()).to.equal('Starting the camera…');
    const ready = oneEvent(el, 'tm-camera-ready');
    arrival.resolve(canvasStream());
    await ready;
    await el.updateComplete;
    expect(el.shadowRoot!.querySelector('[role="status"]')?.textContent?.trim()).to.equal('');

    el.getUserMedia = failingWith('NotReadableError');
    await el.start();
    await el.updateComplete;
    const button = retryButton(el)!;
    button.focus();
    // Keyboard-style focus: focus() from script after no pointer input matches :focus-visible in Chromium.
    expect(button.matches(':focus-visible')).to.equal(true);
    expect(getComputedStyle(button).outlineStyle).to.equal('solid');
  });
});
