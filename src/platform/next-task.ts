/** Resolves on a fresh task, so rendering and input get a turn; a MessageChannel is not clamped as nested timeouts are, nor throttled in hidden tabs as timers are. */
export function nextTask(): Promise<void> {
  return new Promise((resolve) => {
    const channel = new MessageChannel();
    channel.port1.onmessage = () => {
      channel.port1.close();
      resolve();
    };
    channel.port2.postMessage(null);
  });
}
