import { css } from 'lit';

/** The styles of <tm-webcam>. */
export const webcamStyles = css`
  :host {
    display: block;
    color: var(--tm-text, #1f1f1f);
  }
  :host([hidden]) {
    display: none;
  }
  .viewport {
    position: relative;
    width: 100%;
    aspect-ratio: 1 / 1;
    overflow: hidden;
    border-radius: 12px;
    background: var(--tm-surface, #f1f3f4);
  }
  video {
    display: block;
    width: 100%;
    height: 100%;
    object-fit: cover;
  }
  video.mirrored {
    transform: scaleX(-1);
  }
  .overlay {
    position: absolute;
    inset: 0;
    display: flex;
    flex-direction: column;
    align-items: center;
    justify-content: center;
    gap: 0.75rem;
    padding: 1rem;
    text-align: center;
    background: var(--tm-surface, #f1f3f4);
  }
  /* Kept in the tree (not display: none) so its live region still announces later changes. */
  .overlay.clear {
    background: transparent;
    pointer-events: none;
  }
  .starting::before {
    content: '';
    width: 1.5rem;
    height: 1.5rem;
    border: 3px solid currentColor;
    border-right-color: transparent;
    border-radius: 50%;
    animation: spin 0.9s linear infinite;
  }
  @keyframes spin {
    to {
      transform: rotate(360deg);
    }
  }
  .error {
    margin: 0;
    color: var(--tm-danger, #b3261e);
  }
  p {
    margin: 0;
  }
  button,
  select {
    font: inherit;
  }
  button {
    padding: 0.4rem 1rem;
    border: none;
    border-radius: 999px;
    color: #fff;
    background: var(--tm-accent, #1a73e8);
    cursor: pointer;
  }
  button:focus-visible,
  select:focus-visible {
    outline: 3px solid var(--tm-accent, #1a73e8);
    outline-offset: 2px;
  }
  .picker {
    display: flex;
    align-items: center;
    gap: 0.5rem;
    margin-top: 0.5rem;
  }
  select {
    flex: 1;
    min-width: 0;
  }
  @media (prefers-reduced-motion: reduce) {
    .starting::before {
      animation: none;
      border-right-color: currentColor;
    }
  }
`;
