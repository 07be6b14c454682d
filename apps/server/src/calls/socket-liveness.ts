/**
 * Liveness of every call socket (media streams, browser calls): a WebSocket ping every
 * SOCKET_PING_INTERVAL_S; a peer that has not answered the previous ping by the next one is
 * gone (a dropped network, a half-open TCP connection) and its socket is terminated, so its call
 * ends and its resources are freed instead of waiting for the operating system's timeouts.
 */

/** The part of a `ws` WebSocket this needs. */
export interface PingableSocket {
  ping(): void;
  terminate(): void;
  on(event: 'pong', listener: () => void): unknown;
  once(event: 'close', listener: () => void): unknown;
}

export function keepAlive(socket: PingableSocket, intervalMs: number, onDead?: () => void): void {
  let answered = true;
  socket.on('pong', () => {
    answered = true;
  });
  const timer = setInterval(() => {
    if (!answered) {
      clearInterval(timer);
      onDead?.();
      socket.terminate();
      return;
    }
    answered = false;
    try {
      socket.ping();
    } catch {
      // Closing already: the close listener stops the timer.
    }
  }, intervalMs);
  timer.unref();
  socket.once('close', () => clearInterval(timer));
}
