import { css } from 'lit';
import { buttonStyles } from './control-styles';
import { panelStyles } from './panel-styles';

/** The styles of <tm-evaluation-panel>. */
export const evaluationPanelStyles = [
  buttonStyles,
  panelStyles,
  css`
  h3 {
    font-size: 1rem;
    margin: 0.75rem 0 0.25rem;
  }
  .modes {
    display: grid;
    grid-template-columns: repeat(auto-fit, minmax(16rem, 1fr));
    gap: 0 1.5rem;
  }
  table {
    border-collapse: collapse;
    font-variant-numeric: tabular-nums;
    font-size: 0.9rem;
    margin: 0.25rem 0 0.5rem;
  }
  caption {
    text-align: start;
    font-size: 0.85rem;
    opacity: 0.85;
  }
  th,
  td {
    border: 1px solid var(--tm-border, #d0d7de);
    padding: 0.15rem 0.45rem;
    text-align: end;
  }
  th[scope='row'] {
    text-align: start;
  }
  .matrix td {
    background: color-mix(in srgb, var(--tm-matrix-hit, #1f5fd6) var(--share, 0%), transparent);
  }
  .matrix td.diagonal {
    font-weight: 700;
  }
  button:focus-visible {
    outline: 3px solid var(--tm-focus, #0969da);
    outline-offset: 2px;
  }
  .method,
  .problem,
  .outdated {
    margin: 0.25rem 0;
  }
  .method {
    font-size: 0.85rem;
    opacity: 0.85;
  }
  .table-wrap {
    overflow-x: auto;
  }
`,
];
