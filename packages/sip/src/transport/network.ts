/**
 * The SIP network layer: one UDP socket and one TCP listener on the same port. Inbound
 * datagrams and stream frames are parsed (strict limits) and handed up with their {@link Flow};
 * anything unparseable or oversized is dropped and reported through `onDrop`, never thrown.
 * Outbound messages go back on the flow they name: UDP to address:port, TCP over an existing
 * connection to that peer or a new one.
 */
import dgram from 'node:dgram';
import net from 'node:net';
import {
  DEFAULT_PARSE_LIMITS,
  type ParseLimits,
  parseMessage,
  type SipMessage,
  serialize,
} from '../message/message.ts';
import { type Flow, flowKey } from './flow.ts';
import { StreamFramer } from './stream-framer.ts';

export interface SipNetworkOptions {
  /** Listen address (default 0.0.0.0). */
  host?: string;
  /** Listen port for UDP and TCP; 0 picks a free port (the same for both). */
  port: number;
  /** Also listen on TCP (default true). */
  tcp?: boolean;
  limits?: Partial<ParseLimits>;
  /** Open TCP connections at most, in and out (default 1 000). */
  maxConnections?: number;
  /** A TCP connection with no traffic for this long is closed, ms (default 300 000). */
  idleTimeoutMs?: number;
  onMessage(message: SipMessage, flow: Flow): void;
  /** A datagram or stream frame was refused (`reason` says why). */
  onDrop(reason: string, flow: Flow): void;
  /** Sending on `flow` failed (TCP connect refused, reset). */
  onFlowError?(flow: Flow, error: Error): void;
}

export class SipNetwork {
  #o: SipNetworkOptions;
  #limits: ParseLimits;
  #udp: dgram.Socket;
  #tcp: net.Server | undefined;
  #connections = new Map<string, net.Socket>();
  #port = 0;
  #closed = false;

  private constructor(options: SipNetworkOptions) {
    this.#o = options;
    this.#limits = { ...DEFAULT_PARSE_LIMITS, ...options.limits };
    this.#udp = dgram.createSocket({ type: 'udp4' });
  }

  /** Binds UDP and TCP on the same port (retrying a few times when port 0 collides on TCP). */
  static async listen(options: SipNetworkOptions): Promise<SipNetwork> {
    for (let attempt = 0; ; attempt++) {
      const network = new SipNetwork(options);
      try {
        await network.#bind();
        return network;
      } catch (error) {
        network.close();
        if (options.port !== 0 || attempt >= 5) throw error;
      }
    }
  }

  get port(): number {
    return this.#port;
  }

  get connectionCount(): number {
    return this.#connections.size;
  }

  send(message: SipMessage, flow: Flow): void {
    if (this.#closed) return;
    const data = serialize(message);
    if (flow.protocol === 'udp') {
      this.#udp.send(data, flow.port, flow.address, (error) => {
        if (error) this.#o.onFlowError?.(flow, error);
      });
      return;
    }
    const socket = this.#connections.get(flowKey(flow)) ?? this.#connect(flow);
    if (socket) socket.write(data);
  }

  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    try {
      this.#udp.close();
    } catch {
      // not bound yet
    }
    this.#tcp?.close();
    for (const socket of this.#connections.values()) socket.destroy();
    this.#connections.clear();
  }

  async #bind(): Promise<void> {
    const host = this.#o.host ?? '0.0.0.0';
    await new Promise<void>((resolve, reject) => {
      this.#udp.once('error', reject);
      this.#udp.bind(this.#o.port, host, () => {
        this.#udp.off('error', reject);
        resolve();
      });
    });
    this.#port = this.#udp.address().port;
    this.#udp.on('message', (data, rinfo) => this.#onDatagram(data, rinfo));
    this.#udp.on('error', () => {}); // ICMP errors on send; the transaction layer times out
    if (this.#o.tcp === false) return;
    const server = net.createServer((socket) => this.#accept(socket));
    this.#tcp = server;
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(this.#port, host, () => {
        server.off('error', reject);
        resolve();
      });
    });
    server.on('error', () => {});
  }

  #onDatagram(data: Buffer, rinfo: dgram.RemoteInfo): void {
    const flow: Flow = { protocol: 'udp', address: rinfo.address, port: rinfo.port };
    if (data.length > this.#limits.maxMessageBytes) {
      this.#o.onDrop('datagram too large', flow);
      return;
    }
    if (data.length <= 4 && data.every((b) => b === 13 || b === 10)) return; // keep-alive
    this.#deliver(data, flow);
  }

  #deliver(data: Buffer, flow: Flow): void {
    const parsed = parseMessage(data, this.#limits);
    if (!parsed.ok) {
      this.#o.onDrop(`malformed: ${parsed.reason}`, flow);
      return;
    }
    try {
      this.#o.onMessage(parsed.message, flow);
    } catch (error) {
      this.#o.onDrop(`handler failed: ${error instanceof Error ? error.message : String(error)}`, flow);
    }
  }

  #accept(socket: net.Socket): void {
    const address = normalizeAddress(socket.remoteAddress ?? '');
    const flow: Flow = { protocol: 'tcp', address, port: socket.remotePort ?? 0 };
    if (this.#connections.size >= (this.#o.maxConnections ?? 1000)) {
      this.#o.onDrop('too many TCP connections', flow);
      socket.destroy();
      return;
    }
    this.#track(socket, flow);
  }

  #connect(flow: Flow): net.Socket | undefined {
    if (this.#connections.size >= (this.#o.maxConnections ?? 1000)) {
      this.#o.onFlowError?.(flow, new Error('too many TCP connections'));
      return undefined;
    }
    const socket = net.connect({ host: flow.address, port: flow.port });
    this.#track(socket, flow);
    return socket;
  }

  #track(socket: net.Socket, flow: Flow): void {
    const key = flowKey(flow);
    this.#connections.set(key, socket);
    const framer = new StreamFramer(this.#limits.maxMessageBytes);
    socket.setNoDelay(true);
    socket.setTimeout(this.#o.idleTimeoutMs ?? 300_000, () => socket.destroy());
    socket.on('data', (chunk: Buffer) => {
      for (const frame of framer.push(chunk)) {
        if (frame.kind === 'ping') socket.write('\r\n');
        else if (frame.kind === 'message') this.#deliver(frame.data, flow);
        else {
          this.#o.onDrop(`stream: ${frame.reason}`, flow);
          socket.destroy();
          return;
        }
      }
    });
    socket.on('error', (error) => this.#o.onFlowError?.(flow, error));
    socket.on('close', () => {
      if (this.#connections.get(key) === socket) this.#connections.delete(key);
    });
  }
}

/** `::ffff:1.2.3.4` (an IPv4 peer on a dual-stack socket) → `1.2.3.4`. */
export function normalizeAddress(address: string): string {
  return address.startsWith('::ffff:') ? address.slice(7) : address;
}
