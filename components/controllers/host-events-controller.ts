import type { ReactiveController, ReactiveControllerHost } from 'lit';

/** A handler for each of some events, typed by HTMLElementEventMap. */
export type HostEventHandlers<K extends keyof HTMLElementEventMap> = { readonly [T in K]: (event: HTMLElementEventMap[T]) => void };

/**
 * Listens on its host, while it is connected, to the events the elements in its shadow tree fire (they bubble and are
 * composed), so the host's template binds data alone.
 */
export class HostEventsController<K extends keyof HTMLElementEventMap> implements ReactiveController {
  constructor(
    private readonly host: ReactiveControllerHost & HTMLElement,
    private readonly handlers: HostEventHandlers<K>,
  ) {
    host.addController(this);
  }

  hostConnected(): void {
    for (const [type, handler] of Object.entries(this.handlers)) this.host.addEventListener(type, handler as EventListener);
  }

  hostDisconnected(): void {
    for (const [type, handler] of Object.entries(this.handlers)) this.host.removeEventListener(type, handler as EventListener);
  }
}
