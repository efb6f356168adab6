/**
 * An example page that listens to the app's BroadcastChannel (src/outputs/broadcast.ts) and moves a dot one
 * step each time a class with the "Send to other pages" output becomes the best match.
 */
import { OUTPUT_CHANNEL, isClassChangeMessage, type ClassChangeMessage } from '../src/outputs/broadcast';

type Direction = 'up' | 'right' | 'down' | 'left';

/** In the order given to classes without a direction for a name: the first class goes up, and so on. */
const DIRECTIONS: readonly Direction[] = ['up', 'right', 'down', 'left'];
const MOVES: Record<Direction, readonly [number, number]> = { up: [0, -1], right: [1, 0], down: [0, 1], left: [-1, 0] };
const STEP = 40;
const SIZE = 280;

/** A class named after a direction goes that way; else the first four classes take them in order. */
function directionOf(message: ClassChangeMessage): Direction | null {
  const named = message.label.trim().toLowerCase();
  if ((DIRECTIONS as readonly string[]).includes(named)) return named as Direction;
  return DIRECTIONS[message.index] ?? null;
}

const field = document.querySelector<HTMLElement>('#field')!;
const dot = document.querySelector<HTMLElement>('#dot')!;
const last = document.querySelector<HTMLElement>('#last')!;
let x = SIZE / 2;
let y = SIZE / 2;

function place(): void {
  dot.style.left = `${x}px`;
  dot.style.top = `${y}px`;
  dot.dataset.x = String(x);
  dot.dataset.y = String(y);
  const across = x - SIZE / 2;
  const down = y - SIZE / 2;
  const where = [across && `${Math.abs(across)} px ${across > 0 ? 'right' : 'left'}`, down && `${Math.abs(down)} px ${down > 0 ? 'down' : 'up'}`];
  const offset = where.filter(Boolean).join(' and ');
  field.setAttribute('aria-label', offset ? `The dot, ${offset} from the middle` : 'The dot, in the middle');
}

const clamp = (value: number) => Math.max(0, Math.min(SIZE, value));

new BroadcastChannel(OUTPUT_CHANNEL).onmessage = (event: MessageEvent<unknown>) => {
  if (!isClassChangeMessage(event.data)) return;
  const message = event.data;
  const direction = directionOf(message);
  if (direction) {
    const [dx, dy] = MOVES[direction];
    x = clamp(x + dx * STEP);
    y = clamp(y + dy * STEP);
    place();
  }
  const confidence = Math.round(message.confidence * 100);
  last.textContent = `"${message.label}" (${confidence}%): ${direction ? `moved ${direction}` : 'no direction for a fifth class'}.`;
};

place();
