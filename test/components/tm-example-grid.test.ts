import { expect, fixture, html, oneEvent } from '@open-wc/testing';
import '../../components/tm-example-grid';
import type { TmExampleGrid } from '../../components/tm-example-grid';
import { CELL_PX } from '../../components/tm-example-grid.styles';

const frame = () => new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve)));

describe('<tm-example-grid>', () => {
  async function grid(count: number, thumbnails: readonly string[] = []) {
    const el = await fixture<TmExampleGrid>(
      html`<tm-example-grid style="width: 500px" class-id="class-1" label="Palm" .count=${count} .thumbnails=${thumbnails}></tm-example-grid>`,
    );
    await frame();
    await el.updateComplete;
    return el;
  }
  const cells = (el: TmExampleGrid) => [...el.shadowRoot!.querySelectorAll<HTMLButtonElement>('.pick')];
  const button = (el: TmExampleGrid, text: string) =>
    [...el.shadowRoot!.querySelectorAll<HTMLButtonElement>('.toolbar button')].find((b) => b.textContent!.trim().startsWith(text))!;

  it('renders only the cells in view of 5,000 examples, and the last ones once scrolled to the end', async () => {
    const el = await grid(5000);
    const shown = cells(el);
    expect(shown.length).to.be.greaterThan(0);
    expect(shown.length, 'a few rows of cells, not 5,000').to.be.lessThan(200);
    expect(shown[0].getAttribute('aria-label')).to.equal('Example 1');
    const viewport = el.shadowRoot!.querySelector<HTMLElement>('.viewport')!;
    const columns = Math.floor(viewport.clientWidth / CELL_PX);
    expect(viewport.scrollHeight).to.be.at.least(Math.ceil(5000 / columns) * CELL_PX);
    viewport.scrollTop = viewport.scrollHeight;
    viewport.dispatchEvent(new Event('scroll'));
    await el.updateComplete;
    const labels = cells(el).map((c) => c.getAttribute('aria-label'));
    expect(labels).to.include('Example 5000');
    expect(labels).to.not.include('Example 1');
    expect(cells(el).length).to.be.lessThan(200);
  });

  it('shows the kept thumbnails on the newest examples and numbers on the others', async () => {
    const el = await grid(3, ['data:image/png;base64,AAAA']);
    const [first, , last] = cells(el);
    expect(first.querySelector('img')).to.equal(null);
    expect(first.textContent!.trim()).to.equal('#1');
    expect(last.querySelector('img')!.getAttribute('src')).to.equal('data:image/png;base64,AAAA');
  });

  it('deletes one example, or several picked together, by their positions', async () => {
    const el = await grid(6);
    const remove = el.shadowRoot!.querySelectorAll<HTMLButtonElement>('.remove')[2];
    expect(remove.getAttribute('aria-label')).to.equal('Delete example 3');
    setTimeout(() => remove.click());
    expect((await oneEvent(el, 'tm-examples-delete')).detail).to.deep.equal({ classId: 'class-1', rows: [2] });
    expect(button(el, 'Delete').disabled).to.equal(true);
    cells(el)[4].click();
    cells(el)[1].click();
    await el.updateComplete;
    expect(cells(el)[4].getAttribute('aria-checked')).to.equal('true');
    expect(button(el, 'Delete').textContent!.trim()).to.equal('Delete 2 selected');
    setTimeout(() => button(el, 'Delete').click());
    expect((await oneEvent(el, 'tm-examples-delete')).detail).to.deep.equal({ classId: 'class-1', rows: [1, 4] });
    el.count = 4;
    await el.updateComplete;
    expect(cells(el).every((c) => c.getAttribute('aria-checked') === 'false'), 'positions moved: the selection is cleared').to.equal(true);
    button(el, 'Select all').click();
    await el.updateComplete;
    expect(button(el, 'Delete').textContent!.trim()).to.equal('Delete 4 selected');
    await expect(el).to.be.accessible();
  });
});
