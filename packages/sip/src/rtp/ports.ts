/**
 * RTP port allocation from the configured range (`RTP_PORTS`): an even port for RTP and the
 * next odd one for RTCP (RFC 3550 §11). Ports in use by this process are tracked; a port some
 * other program holds is skipped after a failed bind. A full range is an error the caller
 * answers with 503.
 */
import dgram from 'node:dgram';

export interface RtpSockets {
  port: number;
  rtp: dgram.Socket;
  rtcp: dgram.Socket;
}

export class RtpPortPool {
  readonly min: number;
  readonly max: number;
  #host: string;
  #used = new Set<number>();

  /** `min`..`max` inclusive; `min` is rounded up to even. */
  constructor(options: { min: number; max: number; host?: string }) {
    this.min = options.min + (options.min % 2);
    this.max = options.max;
    this.#host = options.host ?? '0.0.0.0';
    if (this.max - this.min < 1) throw new Error('RTP port range holds no even/odd pair');
  }

  /** Pairs free in the range (by this process's count). */
  get available(): number {
    return Math.floor((this.max - this.min + 1) / 2) - this.#used.size;
  }

  get inUse(): number {
    return this.#used.size;
  }

  async allocate(): Promise<RtpSockets> {
    const pairs = Math.floor((this.max - this.min + 1) / 2);
    const start = Math.floor(Math.random() * pairs);
    for (let i = 0; i < pairs; i++) {
      const port = this.min + ((start + i) % pairs) * 2;
      if (this.#used.has(port)) continue;
      this.#used.add(port);
      const sockets = await this.#bindPair(port);
      if (sockets) return sockets;
      this.#used.delete(port);
    }
    throw new Error('no free RTP port in the configured range');
  }

  release(port: number): void {
    this.#used.delete(port);
  }

  async #bindPair(port: number): Promise<RtpSockets | undefined> {
    const rtp = await bind(port, this.#host);
    if (!rtp) return undefined;
    const rtcp = await bind(port + 1, this.#host);
    if (!rtcp) {
      rtp.close();
      return undefined;
    }
    return { port, rtp, rtcp };
  }
}

function bind(port: number, host: string): Promise<dgram.Socket | undefined> {
  return new Promise((resolve) => {
    const socket = dgram.createSocket({ type: 'udp4' });
    socket.once('error', () => {
      socket.close();
      resolve(undefined);
    });
    socket.bind(port, host, () => {
      socket.removeAllListeners('error');
      resolve(socket);
    });
  });
}
