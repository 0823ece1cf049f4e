// Audio worklet for live captions: hands each block of microphone samples (already at the
// AudioContext's 16 kHz) to caption-audio.js, which encodes them (Opus, or 16-bit PCM).
class PcmCapture extends AudioWorkletProcessor {
  process(inputs) {
    const channel = inputs[0] && inputs[0][0];
    if (channel && channel.length) this.port.postMessage(channel.slice(0));
    return true;
  }
}

registerProcessor("pcm-capture", PcmCapture);
