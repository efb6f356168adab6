/** A camera stand-in: a canvas repainted on every animation frame, so its captured stream keeps delivering frames. */
export function canvasStream(): MediaStream {
  const canvas = Object.assign(document.createElement('canvas'), { width: 64, height: 48 });
  const context = canvas.getContext('2d')!;
  let frame = 0;
  const stream = canvas.captureStream(30);
  const paint = () => {
    context.fillStyle = frame++ % 2 ? '#345' : '#354';
    context.fillRect(0, 0, 64, 48);
    if (stream.active) requestAnimationFrame(paint);
  };
  paint();
  return stream;
}
