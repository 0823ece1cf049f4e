// Audio worklet for live captions: hands each block of microphone samples (already at the
// AudioContext's 16 kHz) to captions.js, which turns them into 16-bit PCM messages.
class PcmCapture extends AudioWorkletProcessor {
  process(inputs) {
    const channel = inputs[0] && inputs[0][0];
    if (channel && channel.length) this.port.postMessage(channel.slice(0));
    return true;
  }
}

registerProcessor("pcm-capture", PcmCapture);
