import { css } from 'lit';
import { visuallyHiddenStyles } from './control-styles';

/** The styles of <tm-training-chart>. */
export const trainingChartStyles = [
  visuallyHiddenStyles,
  css`
  :host {
    display: block;
    color: var(--tm-text, #1b1f24);
  }
  .charts {
    display: grid;
    grid-template-columns: repeat(auto-fit, minmax(13rem, 1fr));
    gap: 0.5rem;
  }
  figure {
    margin: 0;
  }
  figcaption {
    font-size: 0.9rem;
    font-weight: 600;
  }
  svg {
    width: 100%;
    height: auto;
    display: block;
  }
  .axis {
    stroke: var(--tm-chart-grid, #8c959f);
    stroke-width: 1;
  }
  .tick {
    fill: currentColor;
    font-size: 10px;
  }
  polyline {
    fill: none;
    stroke-width: 2;
  }
  .train {
    stroke: var(--tm-chart-train, #1f5fd6);
  }
  .validation {
    stroke: var(--tm-chart-validation, #c2410c);
    stroke-dasharray: 5 3;
  }
  .legend {
    display: flex;
    gap: 1rem;
    font-size: 0.85rem;
    margin: 0.25rem 0;
  }
  .swatch {
    display: inline-block;
    width: 1.5em;
    vertical-align: middle;
    border-top: 3px solid var(--tm-chart-train, #1f5fd6);
  }
  .swatch.validation {
    border-top: 3px dashed var(--tm-chart-validation, #c2410c);
  }
  table {
    border-collapse: collapse;
    font-variant-numeric: tabular-nums;
    font-size: 0.85rem;
  }
  th,
  td {
    padding: 0.1rem 0.5rem;
    text-align: end;
  }
  summary {
    cursor: pointer;
  }
  .table-wrap {
    overflow-x: auto;
  }
  summary:focus-visible {
    outline: 3px solid var(--tm-focus, #0969da);
    outline-offset: 2px;
  }
  .empty {
    margin: 0;
    opacity: 0.8;
  }
`,
];
