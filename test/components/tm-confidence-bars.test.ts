import { expect, fixture, html } from '@open-wc/testing';
import '../../components/tm-confidence-bars';
import {
  confidencePercent,
  UNKNOWN_TEXT,
  type BarValue,
  type TmConfidenceBars,
} from '../../components/tm-confidence-bars';
import { CLASS_COLORS } from '../../src/app/labels';
import { expectNoAxeViolations } from '../helpers/axe';

const BARS: BarValue[] = [
  { classId: 'class-1', label: 'Cats', confidence: 0.123, color: CLASS_COLORS[0] },
  { classId: 'class-2', label: 'Dogs', confidence: 0.8, color: '#123456' },
  { classId: 'class-3', label: 'Empty', confidence: 0.077, color: CLASS_COLORS[2] },
];

async function barsFixture(bars: readonly BarValue[], topClassId: string | null = null) {
  return fixture<TmConfidenceBars>(
    html`<tm-confidence-bars .bars=${bars} .topClassId=${topClassId}></tm-confidence-bars>`,
  );
}

const rows = (element: TmConfidenceBars) => [...element.shadowRoot!.querySelectorAll('li')];
const progressbars = (element: TmConfidenceBars) => [...element.shadowRoot!.querySelectorAll('[role="progressbar"]')];
const fill = (row: Element) => row.querySelector<HTMLElement>('.fill')!;

describe('tm-confidence-bars', () => {
  it('renders one labelled row per class with progressbar semantics and the percentage as text', async () => {
    const element = await barsFixture(BARS);
    expect(rows(element).map((row) => row.querySelector('.label')!.textContent)).to.deep.equal(['Cats', 'Dogs', 'Empty']);
    expect(rows(element).map((row) => row.querySelector('.percent')!.textContent)).to.deep.equal(['12%', '80%', '8%']);
    const bars = progressbars(element);
    expect(bars.length).to.equal(3);
    for (const [index, bar] of bars.entries()) {
      expect(bar.getAttribute('aria-valuemin')).to.equal('0');
      expect(bar.getAttribute('aria-valuemax')).to.equal('100');
      expect(bar.getAttribute('aria-label')).to.equal(BARS[index].label);
    }
    expect(bars.map((bar) => bar.getAttribute('aria-valuenow'))).to.deep.equal(['12', '80', '8']);
  });

  it('has no axe violations with bars, a top class, and no bars', async () => {
    await expectNoAxeViolations(await barsFixture(BARS), 'bars');
    await expectNoAxeViolations(await barsFixture(BARS, 'class-2'), 'bars with a top class');
    await expectNoAxeViolations(await barsFixture([]), 'no bars');
  });

  it('sizes each bar to its confidence', async () => {
    const element = await barsFixture(BARS);
    const [cats, dogs] = rows(element);
    const track = cats.querySelector('.track')!.getBoundingClientRect().width;
    expect(track).to.be.greaterThan(0);
    expect(fill(cats).getBoundingClientRect().width / track).to.be.closeTo(0.12, 0.01);
    expect(fill(dogs).getBoundingClientRect().width / track).to.be.closeTo(0.8, 0.01);
  });

  it('updates values in place as confidences change', async () => {
    const element = await barsFixture(BARS);
    const firstRow = rows(element)[0];
    element.bars = [{ ...BARS[0], confidence: 0.5 }, BARS[1], BARS[2]];
    await element.updateComplete;
    expect(rows(element)[0]).to.equal(firstRow);
    expect(progressbars(element)[0].getAttribute('aria-valuenow')).to.equal('50');
    expect(firstRow.querySelector('.percent')!.textContent).to.equal('50%');
  });

  it('skips a frame that changes nothing it shows (the same whole percentages)', async () => {
    const element = await barsFixture(BARS, 'class-2');
    let updates = 0;
    element.addController({ hostUpdated: () => void updates++ });
    element.bars = BARS.map((bar) => ({ ...bar, confidence: bar.confidence + 0.001 }));
    await element.updateComplete;
    expect(updates, 'the same percentages').to.equal(0);
    element.topClassId = 'class-1';
    await element.updateComplete;
    expect(updates, 'another top class').to.equal(1);
    expect(rows(element)[0].classList.contains('top')).to.equal(true);
  });

  it('marks the top class with bold text and a marker, not only colour', async () => {
    const element = await barsFixture(BARS, 'class-2');
    const [cats, dogs] = rows(element);
    expect(dogs.classList.contains('top')).to.equal(true);
    expect(cats.classList.contains('top')).to.equal(false);
    expect(Number(getComputedStyle(dogs.querySelector('.label')!).fontWeight)).to.be.at.least(700);
    expect(Number(getComputedStyle(cats.querySelector('.label')!).fontWeight)).to.be.below(700);
    expect(getComputedStyle(dogs.querySelector('.marker')!).visibility).to.equal('visible');
    expect(getComputedStyle(cats.querySelector('.marker')!).visibility).to.equal('hidden');
    expect(dogs.querySelector('.label')!.textContent).to.contain('top match');
  });

  it('marks nothing when there is no top class', async () => {
    const element = await barsFixture(BARS, null);
    expect(rows(element).filter((row) => row.classList.contains('top'))).to.deep.equal([]);
  });

  describe('unknown', () => {
    const status = (element: TmConfidenceBars) => element.shadowRoot!.querySelector('[role="status"]')!;

    it('announces "none of your classes" in a live region and marks no class while unknown', async () => {
      const element = await barsFixture(BARS, 'class-2');
      expect(status(element).getAttribute('aria-live')).to.equal('polite');
      expect(status(element).textContent!.trim(), 'the live region is there, empty, before it is needed').to.equal('');
      element.unknown = true;
      await element.updateComplete;
      expect(status(element).textContent!.trim()).to.equal(UNKNOWN_TEXT);
      expect(rows(element).filter((row) => row.classList.contains('top'))).to.deep.equal([]);
      expect(element.shadowRoot!.textContent).to.not.contain('top match');
      // The bars stay, so the user still sees how close each class was.
      expect(progressbars(element).map((bar) => bar.getAttribute('aria-valuenow'))).to.deep.equal(['12', '80', '8']);
      element.unknown = false;
      await element.updateComplete;
      expect(status(element).textContent!.trim()).to.equal('');
      expect(rows(element)[1].classList.contains('top')).to.equal(true);
    });
  });

  it("colours each bar with its class's stored colour", async () => {
    const element = await barsFixture(BARS);
    const colours = rows(element).map((row) => getComputedStyle(fill(row)).backgroundColor);
    const probe = document.createElement('div');
    document.body.append(probe);
    const computed = BARS.map((bar) => {
      probe.style.color = bar.color;
      return getComputedStyle(probe).color;
    });
    probe.remove();
    expect(colours).to.deep.equal(computed);
    expect(new Set(colours).size).to.equal(3);
  });

  it('clamps and rounds confidences to whole percentages', () => {
    expect(confidencePercent(0.994)).to.equal(99);
    expect(confidencePercent(0.995)).to.equal(100);
    expect(confidencePercent(1.7)).to.equal(100);
    expect(confidencePercent(-0.2)).to.equal(0);
    expect(confidencePercent(Number.NaN)).to.equal(0);
  });

  it('shows a hint when there is nothing to show', async () => {
    const element = await barsFixture([]);
    expect(element.shadowRoot!.textContent!.trim()).to.equal('Record some examples to see predictions');
    expect(progressbars(element).length).to.equal(0);
  });

  it('shows a label containing HTML as text', async () => {
    const label = '<img src=x onerror=alert(1)>';
    const element = await barsFixture([{ classId: 'x', label, confidence: 1, color: CLASS_COLORS[0] }], 'x');
    expect(element.shadowRoot!.querySelector('img')).to.equal(null);
    expect(element.shadowRoot!.querySelector('.label')!.textContent).to.contain(label);
    expect(progressbars(element)[0].getAttribute('aria-label')).to.equal(label);
  });

  it('moves each bar straight to its value, without a transition', async () => {
    const element = await barsFixture(BARS);
    const [cats] = rows(element);
    // A running transition would have the page restyled and committed on every display frame.
    expect(getComputedStyle(fill(cats)).transitionDuration).to.equal('0s');
    element.bars = [{ ...BARS[0], confidence: 0.5 }, BARS[1], BARS[2]];
    await element.updateComplete;
    const track = cats.querySelector('.track')!.getBoundingClientRect().width;
    expect(fill(cats).getBoundingClientRect().width / track).to.be.closeTo(0.5, 0.01);
  });
});
