import { LitElement, css, html } from 'lit';
import { customElement, property } from 'lit/decorators.js';
import { visuallyHiddenStyles } from './control-styles';

/** The steps, each with what shows it done. */
const STEPS = [
  {
    title: 'Show the camera',
    text: 'Allow the camera: it is the input. Nothing you show it leaves this browser.',
    done: (frames: boolean) => frames,
  },
  {
    title: 'Teach a class',
    text: 'Hold “Hold to record” while you show one thing, from a few angles: 20 to 30 examples are plenty. Type over “Class 1” to name it.',
    done: (_frames: boolean, taught: number) => taught >= 1,
  },
  {
    title: 'Teach another, and watch',
    text: 'Do the same for a second class. The bars under the camera then name what it sees, live: there is no training step.',
    done: (_frames: boolean, taught: number) => taught >= 2,
  },
] as const;

/**
 * What a first-time user sees above everything: the three steps from an empty page to a live prediction (input,
 * classes, preview), each ticked off as it is done. The app shows it until two classes have examples.
 */
@customElement('tm-first-run')
export class TmFirstRun extends LitElement {
  static override styles = [
    visuallyHiddenStyles,
    css`
    :host {
      display: block;
    }
    h2 {
      margin: 0 0 var(--tm-space-2, 0.5rem);
      font-size: var(--tm-text-lg, 1.125rem);
    }
    ol {
      display: grid;
      grid-template-columns: repeat(auto-fit, minmax(min(100%, 14rem), 1fr));
      gap: var(--tm-space-3, 0.75rem);
      margin: 0;
      padding: 0;
      list-style: none;
      counter-reset: step;
    }
    li {
      display: grid;
      grid-template-columns: 2rem minmax(0, 1fr);
      gap: 0 var(--tm-space-2, 0.5rem);
      align-items: start;
      counter-increment: step;
    }
    li::before {
      content: counter(step);
      grid-row: span 2;
      display: grid;
      place-items: center;
      width: 2rem;
      height: 2rem;
      border-radius: 50%;
      font-weight: 700;
      background: var(--tm-accent-soft, #e8f0fd);
      color: var(--tm-accent, #1f5fd6);
    }
    li.done::before {
      content: '✓';
      background: var(--tm-accent, #1f5fd6);
      color: var(--tm-accent-text, #fff);
    }
    strong {
      font-size: var(--tm-text-md, 1rem);
    }
    p {
      margin: var(--tm-space-1, 0.25rem) 0 0;
      font-size: var(--tm-text-sm, 0.875rem);
      color: var(--tm-muted, #57606a);
    }
  `,
  ];

  /** Camera frames are being classified. */
  @property({ type: Boolean }) frames = false;
  /** How many classes have examples. */
  @property({ type: Number }) taught = 0;

  protected override render() {
    return html`<h2 id="first-run">Three steps to a classifier</h2>
      <ol aria-labelledby="first-run">
        ${STEPS.map((step) => {
          const done = step.done(this.frames, this.taught);
          return html`<li class=${done ? 'done' : ''}>
            <strong>${step.title}${done ? html`<span class="visually-hidden"> (done)</span>` : null}</strong>
            <p>${step.text}</p>
          </li>`;
        })}
      </ol>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'tm-first-run': TmFirstRun;
  }
}
