/**
 * Plays class outputs. One output at a time: a new one stops the one still playing (sound stopped, speech
 * cancelled), so outputs never pile up. Muting silences sounds and speech; channel messages still go.
 * Every problem is reported through `onProblem` as a sentence, and stops nothing else.
 */
import { capabilities } from '../platform/capabilities';
import type { ClassChangeMessage } from './broadcast';
import { TONES, type ClassOutput, type ToneName } from './class-output';

/** What the player plays on; tests pass their own, the app passes the browser's (browserDevices). */
export interface OutputDevices {
  /** Made on first use; null when the browser has no Web Audio. */
  readonly audio: () => AudioContext | null;
  readonly speech: SpeechSynthesis | null;
  readonly channel: Pick<BroadcastChannel, 'postMessage'> | null;
}

/** A class became the stable top class: what its output needs to know. */
export type OutputCue = Omit<ClassChangeMessage, 'type'>;

interface Playing {
  readonly classId: string;
  readonly label: string;
  readonly stop: () => void;
}

const TONE_NOTE_SECONDS = 0.18;
/** Decoded sounds kept for replay; a class list rarely has more. */
const DECODED_KEPT = 16;

export class OutputPlayer {
  private playing: Playing | null = null;
  private mutedNow = false;
  /** Bumped by every play and stop, so a sound still decoding when it is replaced never starts. */
  private generation = 0;
  private readonly decoded = new Map<string, Promise<AudioBuffer>>();

  constructor(
    private readonly devices: OutputDevices,
    private readonly onProblem: (message: string) => void,
  ) {}

  get muted(): boolean {
    return this.mutedNow;
  }

  set muted(muted: boolean) {
    this.mutedNow = muted;
    if (muted) this.stop();
  }

  /** The label of the class whose sound or speech is playing, or null. */
  get playingLabel(): string | null {
    return this.playing?.label ?? null;
  }

  /** Plays `output` for the class that just became the stable top class. */
  play(output: ClassOutput, cue: OutputCue): void {
    const audible = output.kind === 'tone' || output.kind === 'sound' || output.kind === 'speech';
    const cut = this.playing;
    this.stop();
    if (cut && audible && !this.mutedNow && cut.classId !== cue.classId) {
      this.onProblem(`"${cut.label}" was cut short by "${cue.label}": one output plays at a time.`);
    }
    const generation = this.generation;
    switch (output.kind) {
      case 'none':
        return;
      case 'broadcast':
        this.broadcast(cue);
        return;
      case 'tone':
        if (!this.mutedNow) this.playTone(output.tone, cue);
        return;
      case 'sound':
        if (!this.mutedNow) void this.playSound(output.dataUrl, output.name, cue, generation);
        return;
      case 'speech':
        if (!this.mutedNow) this.speak(cue);
        return;
    }
  }

  /** Stops the output of a class that is being deleted, if it is playing. */
  stopClass(classId: string): void {
    const playing = this.playing;
    if (playing?.classId !== classId) return;
    this.stop();
    this.onProblem(`"${playing.label}" was deleted, so its output stopped.`);
  }

  stop(): void {
    this.generation++;
    const playing = this.playing;
    this.playing = null;
    playing?.stop();
  }

  private broadcast(cue: OutputCue): void {
    if (!this.devices.channel) {
      this.onProblem(`This browser has no BroadcastChannel, so "${cue.label}" was not sent to other pages.`);
      return;
    }
    const message: ClassChangeMessage = { type: 'class-change', ...cue };
    this.devices.channel.postMessage(message);
  }

  private audio(label: string): AudioContext | null {
    const context = this.devices.audio();
    if (!context) {
      this.onProblem(`This browser cannot play sounds (no Web Audio), so "${label}" made none.`);
      return null;
    }
    // Browsers start audio suspended until the page has been used; choosing an output is such a use.
    if (context.state === 'suspended') void context.resume();
    return context;
  }

  private playTone(tone: ToneName, cue: OutputCue): void {
    const context = this.audio(cue.label);
    if (!context) return;
    const start = context.currentTime;
    const notes = TONES[tone].notes;
    const gain = context.createGain();
    gain.connect(context.destination);
    const oscillators = notes.map((frequency, i) => {
      const oscillator = new OscillatorNode(context, { type: 'sine', frequency });
      const at = start + i * TONE_NOTE_SECONDS;
      // A short fade in and out: a sine cut off mid-wave clicks.
      gain.gain.setValueAtTime(0, at);
      gain.gain.linearRampToValueAtTime(0.25, at + 0.01);
      gain.gain.linearRampToValueAtTime(0, at + TONE_NOTE_SECONDS);
      oscillator.connect(gain);
      oscillator.start(at);
      oscillator.stop(at + TONE_NOTE_SECONDS);
      return oscillator;
    });
    const playing: Playing = {
      classId: cue.classId,
      label: cue.label,
      stop: () => {
        for (const oscillator of oscillators) oscillator.stop();
        gain.disconnect();
      },
    };
    oscillators[oscillators.length - 1].onended = () => this.ended(playing);
    this.playing = playing;
  }

  private async playSound(dataUrl: string, name: string, cue: OutputCue, generation: number): Promise<void> {
    const context = this.audio(cue.label);
    if (!context) return;
    let buffer: AudioBuffer;
    try {
      buffer = await this.decode(context, dataUrl);
    } catch {
      this.decoded.delete(dataUrl);
      this.onProblem(`The sound "${name}" of "${cue.label}" could not be played: pick it again.`);
      return;
    }
    if (generation !== this.generation) return; // replaced or stopped while decoding
    const source = new AudioBufferSourceNode(context, { buffer });
    source.connect(context.destination);
    const playing: Playing = {
      classId: cue.classId,
      label: cue.label,
      stop: () => {
        source.stop();
        source.disconnect();
      },
    };
    source.onended = () => this.ended(playing);
    source.start();
    this.playing = playing;
  }

  private decode(context: AudioContext, dataUrl: string): Promise<AudioBuffer> {
    let buffer = this.decoded.get(dataUrl);
    if (!buffer) {
      if (this.decoded.size >= DECODED_KEPT) this.decoded.clear();
      buffer = fetch(dataUrl)
        .then((response) => response.arrayBuffer())
        .then((bytes) => context.decodeAudioData(bytes));
      this.decoded.set(dataUrl, buffer);
    }
    return buffer;
  }

  private speak(cue: OutputCue): void {
    const speech = this.devices.speech;
    if (!speech || typeof SpeechSynthesisUtterance === 'undefined') {
      this.onProblem(`Speech is not available in this browser, so "${cue.label}" was not spoken.`);
      return;
    }
    const utterance = new SpeechSynthesisUtterance(cue.label);
    const playing: Playing = { classId: cue.classId, label: cue.label, stop: () => speech.cancel() };
    utterance.onend = () => this.ended(playing);
    utterance.onerror = (event) => {
      this.ended(playing);
      // Cancelling (a newer output, mute, a deletion) is not a problem.
      if (event.error !== 'canceled' && event.error !== 'interrupted') {
        this.onProblem(`"${cue.label}" could not be spoken (${event.error}).`);
      }
    };
    speech.cancel(); // anything another page of ours queued
    speech.speak(utterance);
    this.playing = playing;
  }

  private ended(playing: Playing): void {
    if (this.playing === playing) this.playing = null;
  }
}

/** The browser's own devices; the audio context is made on the first sound. */
export function browserDevices(channelName: string): OutputDevices & { close(): void } {
  let context: AudioContext | null = null;
  const channel = capabilities().broadcastChannel ? new BroadcastChannel(channelName) : null;
  return {
    audio: () => (context ??= typeof AudioContext === 'undefined' ? null : new AudioContext()),
    speech: typeof speechSynthesis === 'undefined' ? null : speechSynthesis,
    channel,
    close: () => {
      channel?.close();
      void context?.close();
    },
  };
}
