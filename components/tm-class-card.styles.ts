import { css } from 'lit';
import { buttonStyles, controlStyles, visuallyHiddenStyles } from './control-styles';

/** The styles of <tm-class-card>. */
export const classCardStyles = [
  visuallyHiddenStyles,
  controlStyles,
  buttonStyles,
  css`
  :host {
    display: block;
    color: var(--tm-text, #111);
    /* The card lays itself out by its own width, not the window's (it sits in a column beside the camera). */
    container-type: inline-size;
  }
  .card {
    position: relative;
    display: grid;
    gap: var(--tm-space-2, 0.5rem);
    min-width: 0;
    padding: var(--tm-space-3, 0.75rem) var(--tm-space-4, 1rem);
    border: 1px solid var(--tm-border, #d0d4dc);
    /* The class's own colour, as its bars show it. */
    border-left: 0.4rem solid var(--tm-class-color, var(--tm-border, #d0d4dc));
    border-radius: var(--tm-radius-lg, 14px);
    background: var(--tm-surface, #fff);
    box-shadow: var(--tm-shadow, none);
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
  @media (max-width: 759px) {
    .handle {
      min-width: 2.75rem;
      min-height: 2.75rem;
    }
  }
  .handle[hidden] {
    display: none;
  }
  .header {
    display: flex;
    flex-wrap: wrap;
    align-items: center;
    gap: 0.5rem;
  }
  /* The name is a text field, and looks like one: a sunken box with a pencil, solid on hover and focus. */
  .name {
    position: relative;
    flex: 1 1 8rem;
    min-width: 0;
  }
  .name input {
    box-sizing: border-box;
    width: 100%;
    font: inherit;
    font-size: var(--tm-text-lg, 1.125rem);
    font-weight: 650;
    color: inherit;
    background: var(--tm-surface-sunken, #f3f5f8);
    border: 1px solid transparent;
    border-bottom: 2px dashed var(--tm-border, #d0d4dc);
    border-radius: var(--tm-radius-sm, 6px) var(--tm-radius-sm, 6px) 0 0;
    padding: 0.3rem 2rem 0.3rem 0.5rem;
    cursor: text;
  }
  .name input:hover {
    border-bottom-style: solid;
    border-bottom-color: var(--tm-muted, #57606a);
  }
  .name input:focus {
    border-bottom: 2px solid var(--tm-accent, #1f5fd6);
    background: var(--tm-surface, #fff);
  }
  .name .pencil {
    position: absolute;
    right: 0.55rem;
    top: 50%;
    transform: translateY(-50%);
    color: var(--tm-muted, #57606a);
    pointer-events: none;
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
  /* On the card's top edge, out of the flow: a card that becomes the best match moves nothing (its record button
     stays under the finger holding it). */
  .badge.best {
    position: absolute;
    top: -0.75rem;
    right: var(--tm-space-4, 1rem);
  }
  /* The count and the latest thumbnails share one row. */
  .examples {
    display: flex;
    align-items: center;
    gap: var(--tm-space-3, 0.75rem);
    min-width: 0;
  }
  .count {
    flex: none;
    margin: 0;
    font-size: var(--tm-text-sm, 0.875rem);
    color: var(--tm-muted, #57606a);
  }
  .empty {
    flex: 1 1 auto;
    display: flex;
    align-items: center;
    min-height: 48px;
    margin: 0;
    padding: 0 var(--tm-space-3, 0.75rem);
    border: 1px dashed var(--tm-border, #d0d4dc);
    border-radius: var(--tm-radius, 10px);
    font-size: var(--tm-text-sm, 0.875rem);
    color: var(--tm-muted, #57606a);
  }
  /* As many 48 px thumbnails as the row has room for, newest first; the rest are under "See examples". */
  .thumbs {
    flex: 1 1 auto;
    display: flex;
    flex-wrap: wrap;
    gap: 0.25rem;
    height: 48px;
    min-width: 0;
    overflow: hidden;
    margin: 0;
    padding: 0;
    list-style: none;
  }
  .thumbs li {
    flex: none;
  }
  .thumbs img {
    display: block;
    width: 48px;
    height: 48px;
    border-radius: 0.3rem;
    object-fit: cover;
  }
  .actions {
    display: flex;
    flex-wrap: wrap;
    align-items: center;
    gap: 0.5rem;
  }
  /* The "more" menu's items: a list of rows, not a row of pills. */
  .more {
    flex: none;
    margin-inline-start: auto;
  }
  .more button {
    display: flex;
    align-items: center;
    gap: 0.5rem;
    width: 100%;
    min-height: 2.75rem;
    padding: 0.5rem 0.75rem;
    border: 0;
    border-radius: var(--tm-radius-sm, 6px);
    background: transparent;
    font-weight: 500;
    text-align: start;
  }
  .more button:hover:not(:disabled),
  .more button:focus-visible {
    background: var(--tm-accent-soft, #e8f0fd);
  }
  .more button:focus-visible {
    outline-offset: -3px;
  }
  .more button:disabled {
    background: transparent;
  }
  .more .check {
    display: inline-block;
    width: 1em;
    font-weight: 700;
    color: var(--tm-accent, #1f5fd6);
  }
  /* A narrow card (a phone, or the column beside the camera): the name, then the examples, then the record button
     across the whole row, the one thing to find and hold. */
  .card {
    grid-template-areas: 'header' 'examples' 'actions';
  }
  .header {
    grid-area: header;
  }
  .examples {
    grid-area: examples;
  }
  .actions {
    grid-area: actions;
  }
  /* Rows of their own, after the rest, only when they are there (an empty area would still take its gaps). */
  .output,
  .problem {
    grid-column: 1 / -1;
  }
  .actions tm-record-button {
    flex: 1 1 auto;
  }
  /* A 320 px phone's card: room for a two-word name between the handle and the menu. */
  @container (max-width: 20rem) {
    .card {
      padding-inline: var(--tm-space-3, 0.75rem);
    }
    .header {
      gap: var(--tm-space-1, 0.25rem);
    }
    .name input {
      font-size: var(--tm-text-md, 1rem);
      padding-right: 1.6rem;
    }
    .name .pencil {
      right: 0.4rem;
    }
  }
  /* A wide card: the record button, then what it recorded, in one row. */
  @container (min-width: 32rem) {
    .card {
      grid-template-columns: auto minmax(0, 1fr);
      grid-template-areas: 'header header' 'actions examples';
      align-items: center;
      column-gap: var(--tm-space-4, 1rem);
    }
    .actions tm-record-button {
      flex: none;
    }
  }
  .output[hidden] {
    display: none;
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
