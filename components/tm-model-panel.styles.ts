import { css } from 'lit';
import { buttonStyles, controlStyles } from './control-styles';

/** The styles of <tm-model-panel>. */
export const modelPanelStyles = [
  buttonStyles,
  controlStyles,
  css`
  :host {
    display: block;
    color: var(--tm-text, #1f1f1f);
  }
  :host([hidden]) {
    display: none;
  }
  .panel {
    display: grid;
    gap: 0.5rem;
    padding: 0.75rem 1rem;
    border-radius: 12px;
    background: var(--tm-surface, #f1f3f4);
  }
  p {
    margin: 0;
  }
  .muted {
    opacity: 0.8;
    font-size: 0.9em;
  }
  label {
    font-weight: 600;
  }
  select,
  button {
    font: inherit;
  }
  select {
    max-width: 100%;
    min-width: 0;
  }
  select:disabled {
    cursor: progress;
  }
  button {
    justify-self: start;
  }
  select:focus-visible {
    outline: 3px solid var(--tm-accent, #1a73e8);
    outline-offset: 2px;
  }
  .track {
    position: relative;
    height: 0.5rem;
    overflow: hidden;
    border-radius: 999px;
    background: color-mix(in srgb, var(--tm-text, #1f1f1f) 15%, transparent);
  }
  .fill {
    height: 100%;
    background: var(--tm-accent, #1a73e8);
    transition: width 0.2s ease-out;
  }
  .indeterminate .fill {
    width: 30%;
    animation: slide 1.2s ease-in-out infinite;
  }
  @keyframes slide {
    from {
      transform: translateX(-100%);
    }
    to {
      transform: translateX(340%);
    }
  }
  .error {
    color: var(--tm-danger, #b3261e);
  }
  @media (prefers-reduced-motion: reduce) {
    .fill {
      transition: none;
    }
    /* A still, half-filled bar still says "busy" without moving. */
    .indeterminate .fill {
      width: 50%;
      animation: none;
      opacity: 0.6;
    }
  }
`,
];
