// AudioWorklet for the dashboard's "Test in browser" call: forwards microphone samples to the
// page in ~20 ms blocks (the render quantum is only 128 samples). Plain JS: worklets load as-is.
class SwitchboardCapture extends AudioWorkletProcessor {
  constructor() {
    super();
    this.size = Math.round(sampleRate / 50);
    this.buf = new Float32Array(this.size);
    this.len = 0;
  }

  process(inputs) {
    const channel = inputs[0]?.[0];
    if (!channel) return true;
    let offset = 0;
    while (offset < channel.length) {
      const take = Math.min(this.size - this.len, channel.length - offset);
      this.buf.set(channel.subarray(offset, offset + take), this.len);
      this.len += take;
      offset += take;
      if (this.len === this.size) {
        this.port.postMessage(this.buf, [this.buf.buffer]);
        this.buf = new Float32Array(this.size);
        this.len = 0;
      }
    }
    return true;
  }
}

registerProcessor('switchboard-capture', SwitchboardCapture);
