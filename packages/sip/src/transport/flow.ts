/** Where a message came from or goes to: the protocol and the peer's address and port. */
export interface Flow {
  protocol: 'udp' | 'tcp';
  address: string;
  port: number;
}

export function flowKey(flow: Flow): string {
  return `${flow.protocol}:${flow.address}:${flow.port}`;
}

export function sameFlow(a: Flow, b: Flow): boolean {
  return a.protocol === b.protocol && a.address === b.address && a.port === b.port;
}
