import { expect, fixture, html, waitUntil } from '@open-wc/testing';
import '../../components/tm-try-images';
import { TRY_IMAGE_LIMITS, type TmTryImages, type TryPrediction } from '../../components/tm-try-images';
import { expectNoAxeViolations } from '../helpers/axe';

/** A PNG file of `width` x `height` pixels. */
async function pngFile(name: string, width: number, height: number): Promise<File> {
  const canvas = Object.assign(document.createElement('canvas'), { width, height });
  const context = canvas.getContext('2d')!;
  context.fillStyle = '#3a7';
  context.fillRect(0, 0, width, height);
  const blob = await new Promise<Blob>((done) => canvas.toBlob((b) => done(b!), 'image/png'));
  return new File([blob], name, { type: 'image/png' });
}

function items(element: TmTryImages): HTMLLIElement[] {
  return [...element.shadowRoot!.querySelectorAll('li')];
}

describe('tm-try-images', () => {
  const answer: TryPrediction = { label: 'Thumbs up', confidences: [{ label: 'Thumbs up', confidence: 0.81 }, { label: 'Palm', confidence: 0.19 }] };

  it('shows each picked image with its thumbnail, label and confidences, from the classifier it is given', async () => {
    const seen: [number, number][] = [];
    const classify = (image: ImageBitmap) => {
      seen.push([image.width, image.height]);
      return Promise.resolve(answer);
    };
    const element = await fixture<TmTryImages>(html`<tm-try-images .classify=${classify}><p>preview</p></tm-try-images>`);
    await element.tryFiles([await pngFile('hand.png', 320, 240)]);
    await element.updateComplete;
    expect(seen).to.deep.equal([[320, 240]]);
    const [item] = items(element);
    expect(item.querySelector('img')!.getAttribute('alt')).to.equal('hand.png');
    expect(item.querySelector('img')!.src).to.match(/^data:image\/jpeg/);
    expect(item.textContent).to.contain('hand.png: Thumbs up');
    expect(item.querySelector('.confidences')!.textContent!.trim()).to.equal('Thumbs up 81% · Palm 19%');
    await expectNoAxeViolations(element, '<tm-try-images>');
  });

  it('takes images dropped onto the preview, newest first, and says "unknown" for none of the classes', async () => {
    const classify = () => Promise.resolve({ ...answer, label: null });
    const element = await fixture<TmTryImages>(html`<tm-try-images .classify=${classify}><p id="preview">preview</p></tm-try-images>`);
    const data = new DataTransfer();
    data.items.add(await pngFile('a.png', 64, 64));
    data.items.add(await pngFile('b.png', 64, 64));
    element.querySelector('#preview')!.dispatchEvent(new DragEvent('drop', { dataTransfer: data, bubbles: true, composed: true, cancelable: true }));
    await waitUntil(() => items(element).length === 2, 'both dropped images are listed');
    expect(items(element).map((li) => li.querySelector('strong')!.textContent)).to.deep.equal(['b.png', 'a.png']);
    expect(items(element)[0].textContent).to.contain('Unknown — none of your classes');
  });

  it('says why a file that is not an image, an unreadable one or a huge one has no prediction, and never classifies it', async () => {
    let calls = 0;
    const classify = () => {
      calls++;
      return Promise.resolve(answer);
    };
    const element = await fixture<TmTryImages>(html`<tm-try-images .classify=${classify}></tm-try-images>`);
    await element.tryFiles([
      new File(['hello'], 'notes.txt', { type: 'text/plain' }),
      new File(['not really a png'], 'broken.png', { type: 'image/png' }),
      new File([new Uint8Array(TRY_IMAGE_LIMITS.maxBytes + 1)], 'huge.png', { type: 'image/png' }),
    ]);
    await element.updateComplete;
    const problems = items(element).map((li) => li.querySelector('[role="alert"]')!.textContent);
    expect(problems).to.deep.equal([
      'huge.png is 31 MB; images of at most 30 MB can be tried.',
      'broken.png is not an image this browser can read.',
      'notes.txt is not an image.',
    ]);
    expect(calls).to.equal(0);
  });

  it('refuses an image of too many pixels once it is decoded', async function () {
    const side = Math.ceil(Math.sqrt(TRY_IMAGE_LIMITS.maxPixels)) + 1;
    let file: File;
    try {
      file = await pngFile('wide.png', side, side);
    } catch {
      // A browser that cannot make so large a canvas cannot make the test's image either.
      this.skip();
    }
    const element = await fixture<TmTryImages>(html`<tm-try-images .classify=${() => Promise.resolve(answer)}></tm-try-images>`);
    await element.tryFiles([file!]);
    await element.updateComplete;
    expect(items(element)[0].querySelector('[role="alert"]')!.textContent).to.equal(
      `wide.png is ${side} x ${side} pixels; images of at most ${TRY_IMAGE_LIMITS.maxPixels / 1e6} megapixels can be tried.`,
    );
  });

  it('has its button off while there is nothing to classify with', async () => {
    const element = await fixture<TmTryImages>(html`<tm-try-images></tm-try-images>`);
    expect(element.shadowRoot!.querySelector('button')!.disabled).to.equal(true);
  });
});
