/** A playing <video> of Chromium's synthetic camera (--use-fake-device-for-media-stream), as the app gets one. */
export interface FakeCamera {
  readonly video: HTMLVideoElement;
  stop(): void;
}

export async function startFakeCamera(width = 640, height = 480): Promise<FakeCamera> {
  const stream = await navigator.mediaDevices.getUserMedia({ video: { width, height }, audio: false });
  const video = Object.assign(document.createElement('video'), { muted: true, playsInline: true });
  video.srcObject = stream;
  document.body.append(video);
  const stop = () => {
    for (const track of stream.getTracks()) track.stop();
    video.remove();
  };
  try {
    await video.play();
    for (let i = 0; i < 100 && video.readyState < HTMLMediaElement.HAVE_CURRENT_DATA; i++) {
      await new Promise((done) => setTimeout(done, 50));
    }
    if (!video.videoWidth) throw new Error('the fake camera gave no frame in 5 s');
  } catch (error) {
    stop();
    throw error;
  }
  return { video, stop };
}
