/** A paused <video> showing a canvas through its captured stream, so that every read of it sees the same frame. */
export async function pausedVideoOf(canvas: HTMLCanvasElement): Promise<{ video: HTMLVideoElement; stop: () => void }> {
  const stream = canvas.captureStream();
  const video = Object.assign(document.createElement('video'), { muted: true, srcObject: stream });
  document.body.append(video);
  const stop = () => {
    for (const track of stream.getTracks()) track.stop();
    video.remove();
  };
  // A captured canvas sends a frame when it is drawn on: once before playing (or play() waits), then until one shows.
  const context = canvas.getContext('2d')!;
  context.drawImage(canvas, 0, 0);
  await video.play();
  for (let i = 0; i < 100 && video.readyState < HTMLMediaElement.HAVE_CURRENT_DATA; i++) {
    context.drawImage(canvas, 0, 0);
    await new Promise((done) => setTimeout(done, 20));
  }
  video.pause();
  return { video, stop };
}
