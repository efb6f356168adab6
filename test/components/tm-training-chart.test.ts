import { expect, fixture, html } from '@open-wc/testing';
import '../../components/tm-training-chart';
import type { TmTrainingChart } from '../../components/tm-training-chart';
import type { EpochReport } from '../../src/classifier/dense-head/dense-head';
import { accessibilityViolations } from '../helpers/axe';

const report = (epoch: number, loss: number, accuracy: number, validationLoss: number | null, validationAccuracy: number | null): EpochReport => ({
  epoch,
  epochs: 10,
  loss,
  accuracy,
  validationLoss,
  validationAccuracy,
});

const HISTORY = [report(1, 1.2, 0.5, 1.4, 0.25), report(2, 0.6, 0.75, 0.9, 0.5), report(3, 0.3, 1, 0.5, 0.75)];

describe('<tm-training-chart>', () => {
  it('says what it will show before the first epoch', async () => {
    const el = await fixture<TmTrainingChart>(html`<tm-training-chart></tm-training-chart>`);
    expect(el.shadowRoot!.textContent).to.contain('appear here while the head trains');
    expect(el.shadowRoot!.querySelector('svg')).to.equal(null);
  });

  it('draws training and validation lines for loss and accuracy, scaled to the planned epochs', async () => {
    const el = await fixture<TmTrainingChart>(html`<tm-training-chart .history=${HISTORY} .epochs=${10}></tm-training-chart>`);
    const charts = [...el.shadowRoot!.querySelectorAll('svg')];
    expect(charts).to.have.length(2);
    const [loss, accuracy] = charts.map((svg) => [...svg.querySelectorAll('polyline')].map((p) => p.getAttribute('points')!.split(' ')));
    expect(loss.map((points) => points.length)).to.deep.equal([3, 3]);
    expect(accuracy.map((points) => points.length)).to.deep.equal([3, 3]);
    const xs = (points: string[]) => points.map((p) => Number(p.split(',')[0]));
    const ys = (points: string[]) => points.map((p) => Number(p.split(',')[1]));
    // Epoch 3 of 10 is two ninths of the way along, not at the right edge.
    const [x1, , x3] = xs(loss[0]);
    expect((x3 - x1) / (300 - 8 - 34)).to.be.closeTo(2 / 9, 1e-3);
    // Falling loss goes down the screen (y grows); rising accuracy goes up; 100% accuracy touches the top.
    expect(ys(loss[0])).to.deep.equal([...ys(loss[0])].sort((a, b) => a - b));
    expect(ys(accuracy[0])).to.deep.equal([...ys(accuracy[0])].sort((a, b) => b - a));
    expect(ys(accuracy[0])[2]).to.equal(8);
    expect(charts[0].getAttribute('aria-label')).to.equal('Loss after epoch 3: training 0.300, validation 0.500.');
    expect(charts[1].getAttribute('aria-label')).to.equal('Accuracy after epoch 3: training 100%, validation 75%.');
  });

  it('gives every number in a table, and leaves the validation out when nothing was held out', async () => {
    const el = await fixture<TmTrainingChart>(html`<tm-training-chart .history=${HISTORY}></tm-training-chart>`);
    const rows = [...el.shadowRoot!.querySelectorAll('tbody tr')].map((tr) => [...tr.children].map((c) => c.textContent!.trim()));
    expect(rows[1]).to.deep.equal(['2', '0.600', '75%', '0.900', '50%']);
    el.history = [report(1, 0.7, 0.5, null, null)];
    await el.updateComplete;
    expect(el.shadowRoot!.querySelectorAll('polyline')).to.have.length(2);
    expect(el.shadowRoot!.querySelectorAll('thead th')).to.have.length(3);
    expect(el.shadowRoot!.textContent).not.to.contain('validation');
    expect(await accessibilityViolations(el)).to.deep.equal([]);
  });
});
