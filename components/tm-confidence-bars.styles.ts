import { css } from 'lit';
import { controlStyles, visuallyHiddenStyles } from './control-styles';

/** The styles of <tm-confidence-bars>. */
export const confidenceBarsStyles = [
  controlStyles,
  visuallyHiddenStyles,
  css`
  :host {
    display: block;
    container-type: inline-size;
    color: var(--tm-text, #111);
  }
  ul {
    display: grid;
    gap: 0.5rem;
    margin: 0;
    padding: 0;
    list-style: none;
  }
  li {
    display: grid;
    grid-template-columns: 1.2em minmax(3em, 10em) minmax(3em, 1fr) 3.5em;
    align-items: center;
    gap: 0.5rem;
  }
  .marker {
    visibility: hidden;
    color: var(--tm-accent, #1f5fd6);
  }
  li.top .marker {
    visibility: visible;
  }
  li.top .label,
  li.top .percent {
    font-weight: 700;
  }
  .label {
    overflow: hidden;
    text-overflow: ellipsis;
    white-space: nowrap;
  }
  .track {
    height: var(--tm-bar-height, 1rem);
    border-radius: 999px;
    background: var(--tm-bar-track, #e5e7eb);
    overflow: hidden;
  }
  .fill {
    height: 100%;
    background: var(--tm-bar-color, var(--tm-class-color, #1f5fd6));
    /*
     * Scaled, not sized: a new value repaints the bar without laying out the page. No transition: the values come
     * smoothed, a camera frame apart, and a running transition made Chromium restyle and commit the page on every
     * display frame, a third of the page's work per camera frame (docs/frame-path.md).
     */
    transform: scaleX(var(--tm-bar-fill, 0));
    transform-origin: left center;
  }
  li.top .track {
    outline: 2px solid var(--tm-class-color, #1f5fd6);
    outline-offset: 1px;
  }
  li.off {
    color: var(--tm-muted, #57606a);
  }
  li.off .off-note {
    grid-column: 3 / span 2;
    font-style: italic;
  }
  .percent {
    text-align: end;
    font-variant-numeric: tabular-nums;
  }
  .hint {
    margin: 0;
    opacity: 0.8;
  }
  .unknown {
    min-height: 1.5em;
    margin: 0 0 0.5rem;
    font-weight: 700;
  }
  /* Only the bars fade: the labels and percentages keep their contrast. */
  ul.is-unknown .track {
    opacity: 0.55;
  }
  /* Narrow (the phone strip): the name and percentage on one line, the bar under them. */
  @container (max-width: 15rem) {
    ul {
      gap: 0.3rem;
    }
    li {
      grid-template-columns: minmax(0, 1fr) auto;
      gap: 0.1rem 0.4rem;
      font-size: var(--tm-text-sm, 0.875rem);
    }
    .marker {
      display: none;
    }
    .track {
      grid-column: 1 / -1;
      grid-row: 2;
      height: 0.6rem;
    }
    .unknown {
      min-height: 0;
      margin: 0;
    }
  }
`,
];
