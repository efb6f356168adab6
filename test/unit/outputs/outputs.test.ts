import { expect, waitUntil } from '@open-wc/testing';
import { OUTPUT_CHANNEL, isClassChangeMessage, type ClassChangeMessage } from '../../../src/outputs/broadcast';
import { MAX_SOUND_DATA_URL_LENGTH, SOUND_LIMITS, parseClassOutput, type ClassOutput } from '../../../src/outputs/class-output';
import { OutputPlayer, browserDevices, type OutputCue, type OutputDevices } from '../../../src/outputs/player';
import { SoundFileError, readSoundFile } from '../../../src/outputs/sound-file';
import { wavFile } from '../../helpers/wav';

const decode = (bytes: ArrayBuffer) => new OfflineAudioContext(1, 1, 8000).decodeAudioData(bytes);

async function soundError(file: File): Promise<string> {
  try {
    await readSoundFile(file, decode);
  } catch (error) {
    expect(error).to.be.instanceOf(SoundFileError);
    return (error as Error).message;
  }
  throw new Error(`${file.name} was accepted`);
}

describe('sound files', () => {
  it('reads a short audio file into a saved-able output', async () => {
    const output = await readSoundFile(wavFile(0.5, 'ding.wav'), decode);
    expect(output.kind).to.equal('sound');
    expect(output.name).to.equal('ding.wav');
    expect(output.dataUrl.startsWith('data:audio/wav;base64,UklGR')).to.equal(true);
    expect(parseClassOutput(JSON.parse(JSON.stringify(output)))).to.deep.equal(output);
  });

  it('refuses a file that is not audio', async () => {
    const png = new File([new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13])], 'photo.png', { type: 'image/png' });
    expect(await soundError(png)).to.equal('"photo.png" is not a sound this browser can play. Pick an audio file (MP3, WAV, Ogg, M4A).');
    const text = new File(['not a sound at all'], 'notes.wav', { type: 'audio/wav' });
    expect(await soundError(text)).to.contain('"notes.wav" is not a sound');
  });

  it('refuses a sound longer than the limit, and an empty or too large file', async () => {
    expect(await soundError(wavFile(SOUND_LIMITS.maxSeconds + 1.5, 'long.wav'))).to.equal('"long.wav" lasts 11.5 s; a sound may last at most 10 s.');
    expect(await soundError(new File([], 'empty.mp3'))).to.equal('"empty.mp3" is empty.');
    const big = wavFile(SOUND_LIMITS.maxBytes / 8000 + 40, 'big.wav');
    expect(await soundError(big)).to.match(/^"big\.wav" is 1\.31 MB; a sound may be at most 1 MB\./);
  });

  it('a file of the largest size and length still fits its saved form', async () => {
    const output = await readSoundFile(wavFile(SOUND_LIMITS.maxSeconds, 'ten.wav', 24000), decode);
    expect(output.dataUrl.length).to.be.below(MAX_SOUND_DATA_URL_LENGTH);
  });
});

describe('parseClassOutput', () => {
  it('reads every kind, and nothing as none', () => {
    for (const output of [{ kind: 'none' }, { kind: 'speech' }, { kind: 'broadcast' }, { kind: 'tone', tone: 'chime' }] as ClassOutput[]) {
      expect(parseClassOutput(output)).to.deep.equal(output);
    }
    expect(parseClassOutput(undefined)).to.deep.equal({ kind: 'none' });
    expect(parseClassOutput({ kind: 'speech', extra: 1 })).to.deep.equal({ kind: 'speech' });
  });

  it('refuses what it does not know, with the reason', () => {
    expect(() => parseClassOutput({ kind: 'video' })).to.throw('"kind" must be');
    expect(() => parseClassOutput({ kind: 'tone', tone: 'siren' })).to.throw('"tone" must be one of high, low, chime');
    expect(() => parseClassOutput({ kind: 'sound', name: 'x', dataUrl: 'data:image/png;base64,AAAA' })).to.throw('base64 audio data URL');
    expect(() => parseClassOutput({ kind: 'sound', name: 'x', dataUrl: 'javascript:alert(1)' })).to.throw('base64 audio data URL');
    expect(() => parseClassOutput({ kind: 'sound', name: '', dataUrl: 'data:audio/wav;base64,AAAA' })).to.throw('"name"');
    expect(() => parseClassOutput([])).to.throw('an output must be an object');
  });
});

/** Records what a page would hear and see: utterances spoken and cancelled, messages posted. */
class FakeSpeech {
  spoken: string[] = [];
  cancels = 0;
  private current: SpeechSynthesisUtterance | null = null;
  speak(utterance: SpeechSynthesisUtterance): void {
    this.spoken.push(utterance.text);
    this.current = utterance;
  }
  cancel(): void {
    this.cancels++;
    const current = this.current;
    this.current = null;
    current?.onerror?.call(current, new SpeechSynthesisErrorEvent('error', { utterance: current, error: 'canceled' }));
  }
  finish(): void {
    const current = this.current;
    this.current = null;
    current?.onend?.call(current, new SpeechSynthesisEvent('end', { utterance: current! }));
  }
}

const cue = (classId: string, label: string, index = 0): OutputCue => ({
  classId,
  label,
  index,
  confidence: 0.9,
  previousClassId: null,
  previousLabel: null,
  time: 1,
});

describe('OutputPlayer', () => {
  let context: AudioContext;
  let speech: FakeSpeech;
  let posted: unknown[];
  let problems: string[];
  let player: OutputPlayer;

  beforeEach(() => {
    context = new AudioContext();
    speech = new FakeSpeech();
    posted = [];
    problems = [];
    const devices: OutputDevices = {
      audio: () => context,
      speech: speech as unknown as SpeechSynthesis,
      channel: { postMessage: (message: unknown) => posted.push(message) },
    };
    player = new OutputPlayer(devices, (message) => problems.push(message));
  });

  afterEach(() => context.close());

  it('plays one output at a time: the newest stops the one playing, with a message', () => {
    player.play({ kind: 'tone', tone: 'chime' }, cue('a', 'Apple'));
    expect(player.playingLabel).to.equal('Apple');
    player.play({ kind: 'speech' }, cue('b', 'Banana'));
    expect(player.playingLabel).to.equal('Banana');
    expect(speech.spoken).to.deep.equal(['Banana']);
    player.play({ kind: 'speech' }, cue('c', 'Cherry'));
    expect(speech.spoken).to.deep.equal(['Banana', 'Cherry']);
    expect(problems).to.deep.equal([
      '"Apple" was cut short by "Banana": one output plays at a time.',
      '"Banana" was cut short by "Cherry": one output plays at a time.',
    ]);
    speech.finish();
    expect(player.playingLabel).to.equal(null);
  });

  it('says nothing when the previous output had finished', () => {
    player.play({ kind: 'speech' }, cue('a', 'Apple'));
    speech.finish();
    player.play({ kind: 'speech' }, cue('b', 'Banana'));
    expect(problems).to.deep.equal([]);
  });

  it('stops the output of a class deleted while it plays, and only that class', () => {
    player.play({ kind: 'speech' }, cue('a', 'Apple'));
    player.stopClass('b');
    expect(player.playingLabel).to.equal('Apple');
    const cancels = speech.cancels;
    player.stopClass('a');
    expect(speech.cancels).to.equal(cancels + 1);
    expect(player.playingLabel).to.equal(null);
    expect(problems).to.deep.equal(['"Apple" was deleted, so its output stopped.']);
  });

  it('plays a sound file and stops it for the next output', async () => {
    const sound = await readSoundFile(wavFile(2), decode);
    player.play(sound, cue('a', 'Apple'));
    await waitUntil(() => player.playingLabel === 'Apple', 'the sound never started');
    player.play({ kind: 'tone', tone: 'high' }, cue('b', 'Banana'));
    expect(player.playingLabel).to.equal('Banana');
    expect(problems).to.deep.equal(['"Apple" was cut short by "Banana": one output plays at a time.']);
  });

  it('never starts a sound that was replaced while it decoded', async () => {
    const sound = await readSoundFile(wavFile(2), decode);
    player.play(sound, cue('a', 'Apple'));
    player.play({ kind: 'broadcast' }, cue('b', 'Banana'));
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(player.playingLabel).to.equal(null);
  });

  it('reports a saved sound that no longer decodes', async () => {
    player.play({ kind: 'sound', name: 'broken.mp3', dataUrl: 'data:audio/mpeg;base64,AAAAAAAA' }, cue('a', 'Apple'));
    await waitUntil(() => problems.length > 0, 'no message');
    expect(problems).to.deep.equal(['The sound "broken.mp3" of "Apple" could not be played: pick it again.']);
  });

  it('mute silences sounds and speech but not channel messages', () => {
    player.play({ kind: 'speech' }, cue('a', 'Apple'));
    player.muted = true;
    expect(player.playingLabel).to.equal(null);
    player.play({ kind: 'speech' }, cue('b', 'Banana'));
    player.play({ kind: 'tone', tone: 'low' }, cue('c', 'Cherry'));
    expect(speech.spoken).to.deep.equal(['Apple']);
    expect(player.playingLabel).to.equal(null);
    player.play({ kind: 'broadcast' }, cue('d', 'Date', 3));
    expect(posted).to.have.length(1);
    expect(problems).to.deep.equal([]);
  });

  it('posts a class-change message on the channel', () => {
    player.play({ kind: 'broadcast' }, { ...cue('b', 'Banana', 1), previousClassId: 'a', previousLabel: 'Apple' });
    const message = posted[0] as ClassChangeMessage;
    expect(isClassChangeMessage(message)).to.equal(true);
    expect(message).to.deep.equal({
      type: 'class-change',
      classId: 'b',
      label: 'Banana',
      index: 1,
      confidence: 0.9,
      previousClassId: 'a',
      previousLabel: 'Apple',
      time: 1,
    });
  });

  it('says so when speech or Web Audio is unavailable, and goes on', () => {
    const bare = new OutputPlayer({ audio: () => null, speech: null, channel: null }, (message) => problems.push(message));
    bare.play({ kind: 'speech' }, cue('a', 'Apple'));
    bare.play({ kind: 'tone', tone: 'high' }, cue('b', 'Banana'));
    bare.play({ kind: 'broadcast' }, cue('c', 'Cherry'));
    expect(problems).to.deep.equal([
      'Speech is not available in this browser, so "Apple" was not spoken.',
      'This browser cannot play sounds (no Web Audio), so "Banana" made none.',
      'This browser has no BroadcastChannel, so "Cherry" was not sent to other pages.',
    ]);
  });

  it("reaches another page's channel with the browser's devices", async () => {
    const devices = browserDevices(OUTPUT_CHANNEL);
    const listener = new BroadcastChannel(OUTPUT_CHANNEL);
    const received = new Promise<unknown>((resolve) => (listener.onmessage = (event) => resolve(event.data)));
    new OutputPlayer(devices, (message) => problems.push(message)).play({ kind: 'broadcast' }, cue('a', 'Apple'));
    expect(await received).to.deep.include({ type: 'class-change', label: 'Apple' });
    listener.close();
    devices.close();
  });
});
