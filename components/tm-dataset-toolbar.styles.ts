import { css } from 'lit';
import { buttonStyles, controlStyles } from './control-styles';

/** The styles of <tm-dataset-toolbar>. */
export const datasetToolbarStyles = [
  controlStyles,
  buttonStyles,
  css`
  :host {
    display: block;
  }
  .row {
    display: flex;
    flex-wrap: wrap;
    gap: 0.5rem;
    align-items: center;
  }
  select {
    font: inherit;
    font-size: var(--tm-text-sm, 0.875rem);
    max-width: 100%;
    padding: 0.3rem 0.5rem;
    border-radius: var(--tm-radius-sm, 6px);
    border: 1px solid var(--tm-border, #d0d7de);
    background: var(--tm-surface, #fff);
    color: inherit;
  }
  label {
    display: inline-flex;
    flex-wrap: wrap;
    align-items: center;
    gap: var(--tm-space-2, 0.5rem);
    font-size: var(--tm-text-sm, 0.875rem);
  }
  .status {
    margin: var(--tm-space-2, 0.5rem) 0 0;
    font-size: var(--tm-text-sm, 0.875rem);
    overflow-wrap: anywhere;
  }
  .status.error {
    color: var(--tm-danger, #c9252f);
  }
`,
];
