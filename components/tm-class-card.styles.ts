import { css } from 'lit';
import { controlStyles } from './control-styles';

/** The styles of <tm-class-card>. */
export const classCardStyles = [
  controlStyles,
  css`
  :host {
    display: block;
    color: var(--tm-text, #111);
  }
  .card {
    display: grid;
    gap: 0.6rem;
    padding: 0.9rem;
    border: 2px solid var(--tm-border, #d0d4dc);
    /* The class's own colour, as its bars show it. */
    border-left: 0.5rem solid var(--tm-class-color, var(--tm-border, #d0d4dc));
    border-radius: 0.75rem;
    background: var(--tm-surface, #fff);
    transition:
      border-color 150ms ease,
      box-shadow 150ms ease;
  }
  :host([dropping]) .card {
    border-style: dashed;
    border-color: var(--tm-accent, #1f5fd6);
  }
  :host([active]) .card {
    border-color: var(--tm-accent, #1f5fd6);
    border-left-color: var(--tm-class-color, var(--tm-accent, #1f5fd6));
    box-shadow: 0 0 0 2px var(--tm-accent, #1f5fd6);
  }
  :host([off]) .card {
    border-left-style: dashed;
    background: var(--tm-surface-muted, #f3f4f6);
  }
  :host([off]) .thumbs {
    opacity: 0.5;
  }
  .badge.off {
    background: var(--tm-muted, #57606a);
  }
  .handle {
    min-width: 2rem;
    min-height: 2rem;
    padding: 0.2rem 0.45rem;
    cursor: grab;
    line-height: 1;
  }
  .handle[hidden] {
    display: none;
  }
  .announce {
    position: absolute;
    width: 1px;
    height: 1px;
    overflow: hidden;
    clip-path: inset(50%);
    white-space: nowrap;
  }
  .use {
    display: inline-flex;
    gap: 0.35rem;
    align-items: center;
    font-size: 0.9em;
  }
  .use input {
    flex: none;
  }
  .header {
    display: flex;
    flex-wrap: wrap;
    align-items: center;
    gap: 0.5rem;
  }
  input {
    flex: 1;
    min-width: 0;
    font: inherit;
    font-weight: 600;
    color: inherit;
    background: transparent;
    border: 1px solid transparent;
    border-radius: 0.35rem;
    padding: 0.25rem 0.4rem;
  }
  input:hover {
    border-color: var(--tm-border, #d0d4dc);
  }
  .badge {
    font-size: 0.8em;
    font-weight: 700;
    padding: 0.1rem 0.5rem;
    border-radius: 999px;
    background: var(--tm-accent, #1f5fd6);
    color: var(--tm-accent-text, #fff);
    white-space: nowrap;
  }
  .count {
    margin: 0;
    font-size: 0.9em;
  }
  /* Thumbnails of at most 48 px that shrink together on a narrow screen, rather than run past the card. */
  .thumbs {
    display: grid;
    grid-auto-flow: column;
    grid-auto-columns: minmax(0, 48px);
    justify-content: start;
    gap: 0.25rem;
    min-height: 48px;
    margin: 0;
    padding: 0;
    list-style: none;
  }
  .thumbs img {
    display: block;
    width: 100%;
    aspect-ratio: 1;
    border-radius: 0.3rem;
    object-fit: cover;
  }
  .actions {
    display: flex;
    flex-wrap: wrap;
    align-items: center;
    gap: 0.5rem;
  }
  .secondary {
    font: inherit;
    font-size: 0.9em;
    padding: 0.4rem 0.75rem;
    border: 1px solid var(--tm-border, #d0d4dc);
    border-radius: 0.4rem;
    background: transparent;
    color: inherit;
    cursor: pointer;
  }
  .secondary:disabled {
    cursor: not-allowed;
    opacity: 0.5;
  }
  input:focus-visible,
  .secondary:focus-visible {
    outline: 3px solid var(--tm-focus, var(--tm-accent, #1f5fd6));
    outline-offset: 2px;
  }
  .output {
    display: flex;
    flex-wrap: wrap;
    align-items: center;
    gap: 0.4rem;
    font-size: 0.9em;
  }
  .output select {
    max-width: 100%;
    font: inherit;
  }
  .problem {
    margin: 0;
    font-size: 0.9em;
    color: var(--tm-error, #b42318);
  }
  @media (prefers-reduced-motion: reduce) {
    .card {
      transition: none;
    }
  }
`,
];
