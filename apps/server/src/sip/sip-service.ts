/**
 * The server's SIP side (docs/sip.md), started when SIP_PORT is set: one user agent on UDP and
 * TCP, inbound INVITEs routed to their organization's agent (trunk by dialled number, source
 * address checked), and outbound calls placed through a trunk. Each answered call runs under
 * its own CallSession (run-sip-call.ts). Refusals are logged once per source address.
 */
import { promises as dns } from 'node:dns';
import { BlockList, isIP } from 'node:net';
import { networkInterfaces } from 'node:os';
import { sipTrunks } from '@switchboard/db';
import { type CallStatus, type FinalCallStatus, isFinalCallStatus } from '@switchboard/shared';
import { type IncomingInvite, LogOnce, type OutboundResult, SipUserAgent } from '@switchboard/sip';
import type { ToolRegistry } from '@switchboard/voice';
import { endCall } from '../call-record/end-call.ts';
import { type CallValues, loadCall, updateCall } from '../call-record/update-call.ts';
import type { AppContext, Logger } from '../context.ts';
import type { CallRow } from '../mappers/calls.ts';
import type { SipTrunkRecord } from '../mappers/sip-trunks.ts';
import { startInboundCall } from '../services/start-inbound-call.ts';
import type { CallToolContext } from '../tools/context.ts';
import { addToBlockList, dialledNumber, routeSipInvite } from './route-invite.ts';
import { runSipCall } from './run-sip-call.ts';

/** Places outbound calls through a trunk (what place-outbound-call.ts needs). */
export interface SipDialer {
  place(input: { call: CallRow; trunk: SipTrunkRecord; from: string }): Promise<CallRow>;
}

/** How often the trusted sources (trunks' addresses) are reloaded, ms. */
const TRUNK_SOURCES_REFRESH_MS = 30_000;

const STATUS_FOR: Record<Exclude<OutboundResult['outcome'], 'answered'>, FinalCallStatus> = {
  busy: 'busy',
  no_answer: 'no-answer',
  failed: 'failed',
  cancelled: 'canceled',
};

export class SipService implements SipDialer {
  #ctx: AppContext;
  #ua!: SipUserAgent;
  #tools: ToolRegistry<CallToolContext>;
  #log: Logger;
  #refusals = new LogOnce();
  /** Every trunk's inbound addresses (all organizations), for the INVITE rate limit's trust. */
  #trunkSources = new BlockList();
  #refreshTimer: ReturnType<typeof setInterval> | undefined;

  private constructor(ctx: AppContext, tools: ToolRegistry<CallToolContext>) {
    this.#ctx = ctx;
    this.#tools = tools;
    this.#log = ctx.log.child({ component: 'sip' });
  }

  /** Listens on SIP_PORT (tests pass `port: 0` and a loopback `host`). */
  static async start(
    ctx: AppContext,
    tools: ToolRegistry<CallToolContext>,
    listen: { port?: number; host?: string } = {},
  ): Promise<SipService> {
    const service = new SipService(ctx, tools);
    const { config } = ctx;
    const host = listen.host ?? (config.host === '0.0.0.0' || config.host === '::' ? '0.0.0.0' : config.host);
    const publicAddress = config.sip.publicAddress ?? defaultPublicAddress(host);
    service.#ua = await SipUserAgent.start({
      host,
      port: listen.port ?? config.sip.port ?? 5060,
      publicAddress,
      media: { ports: config.sip.rtpPorts, address: publicAddress },
      logger: service.#log,
      trustedSource: (address) => service.#trusted(address),
      onInvite: (invite) => void service.#onInvite(invite),
    });
    await service.#refreshTrunkSources();
    service.#refreshTimer = setInterval(() => void service.#refreshTrunkSources(), TRUNK_SOURCES_REFRESH_MS);
    service.#refreshTimer.unref();
    service.#log.info(
      { port: service.#ua.port, publicAddress, rtpPorts: config.sip.rtpPorts },
      'SIP listening (UDP and TCP)',
    );
    return service;
  }

  get port(): number {
    return this.#ua.port;
  }

  get activeCalls(): number {
    return this.#ua.activeCalls;
  }

  /** Hangs up every SIP call (their sessions then write their records) and stops listening. */
  close(): Promise<void> {
    clearInterval(this.#refreshTimer);
    return this.#ua.close();
  }

  /** Trunk addresses may send INVITEs at a carrier's pace; strangers are held to the strict limit. */
  #trusted(address: string): boolean {
    const family = isIP(address);
    return family !== 0 && this.#trunkSources.check(address, family === 6 ? 'ipv6' : 'ipv4');
  }

  async #refreshTrunkSources(): Promise<void> {
    try {
      const rows = await this.#ctx.db.select({ addresses: sipTrunks.inboundAddresses }).from(sipTrunks);
      const list = new BlockList();
      for (const entry of rows.flatMap((r) => r.addresses)) addToBlockList(list, entry);
      this.#trunkSources = list;
    } catch (error) {
      this.#log.warn({ err: error }, 'sip: could not load the trunks’ addresses');
    }
  }

  async place(input: { call: CallRow; trunk: SipTrunkRecord; from: string }): Promise<CallRow> {
    const { call, trunk, from } = input;
    const ctx = this.#ctx;
    const [host = '', portText = '5060'] = trunk.outboundProxy.split(/:(?=\d+$)/);
    const address = isIP(host) ? host : (await dns.lookup(host, { family: 4 })).address;
    const password = trunk.passwordEncrypted ? ctx.secrets.decrypt(trunk.passwordEncrypted) : '';
    const outgoing = this.#ua.call({
      uri: `sip:${call.to}@${host}`,
      proxy: { protocol: trunk.transport, address, port: Number(portText) },
      from,
      fromHost: host,
      ...(trunk.username && password ? { credentials: { username: trunk.username, password } } : {}),
    });
    const row =
      (await updateCall(ctx, call, { providerCallSid: outgoing.callId, status: 'initiated' })) ?? call;
    let ringing = false;
    outgoing.on('progress', () => {
      if (ringing) return;
      ringing = true;
      void this.#progress(row, 'ringing');
    });
    void outgoing.result.then(
      (result) => this.#outboundDone(row, trunk, result),
      (error: unknown) => this.#log.error({ err: error, callId: row.id }, 'sip: outbound call failed'),
    );
    return row;
  }

  async #outboundDone(call: CallRow, trunk: SipTrunkRecord, result: OutboundResult): Promise<void> {
    const log = this.#log.child({ callId: call.id });
    if (result.outcome !== 'answered') {
      log.info({ outcome: result.outcome, status: result.status }, 'sip: outbound call not answered');
      if (result.outcome === 'failed') {
        await this.#progress(call, null, {
          endReason: 'sip_failed',
          error: `SIP ${result.status} ${result.reason}`,
        });
      }
      await endCall(this.#ctx, call, { kind: 'twilio', status: STATUS_FOR[result.outcome], durationS: 0 });
      return;
    }
    const answered = (await this.#progress(call, 'in-progress')) ?? call;
    await runSipCall(this.#ctx, {
      call: answered,
      sipCall: result.call,
      tools: this.#tools,
      trunk: { id: trunk.id, host: trunk.outboundProxy },
      log,
    });
  }

  async #onInvite(invite: IncomingInvite): Promise<void> {
    const source = invite.flow.address;
    try {
      const route = await routeSipInvite(this.#ctx.db, { to: invite.to, sourceAddress: source });
      if (!route.ok) {
        this.#refuse(source, route.reason);
        invite.reject(route.status);
        return;
      }
      // A trunk's address: its further INVITEs get the carrier-sized rate at once.
      addToBlockList(this.#trunkSources, source);
      if (!invite.negotiated) {
        this.#refuse(source, 'no common codec');
        invite.reject(488);
        return;
      }
      invite.ringing();
      const call = await startInboundCall(this.#ctx, {
        callSid: invite.callId,
        from: dialledNumber(invite.from) ?? invite.from.slice(0, 64),
        to: route.number,
        callStatus: 'ringing',
        organizationId: route.organizationId,
        agentId: route.agentId,
      });
      const log = this.#log.child({ callId: call.id });
      invite.onCancel(
        () => void endCall(this.#ctx, call, { kind: 'twilio', status: 'canceled', durationS: 0 }),
      );
      const sipCall = await invite.accept().catch((error: unknown) => {
        log.warn({ err: error }, 'sip: the call could not be answered');
        return null;
      });
      if (!sipCall) {
        if (invite.state !== 'cancelled') {
          const message = 'the call could not be answered';
          await endCall(this.#ctx, call, { kind: 'failed', reason: 'setup_failed', message });
        }
        return;
      }
      await runSipCall(this.#ctx, {
        call: (await this.#progress(call, 'in-progress')) ?? call,
        sipCall,
        tools: this.#tools,
        trunk: { id: route.trunkId, host: route.trunkHost },
        log,
      });
    } catch (error) {
      this.#log.error({ err: error }, 'sip: inbound call failed');
      invite.reject(500);
    }
  }

  #refuse(source: string, reason: string): void {
    if (this.#refusals.first(source, reason)) {
      this.#log.warn({ source, reason }, 'sip: INVITE refused (logged once per source)');
    }
  }

  /** A non-final status (and other values) on the call row, unless the call already ended. */
  async #progress(call: CallRow, status: CallStatus | null, also: CallValues = {}): Promise<CallRow | null> {
    const current = await loadCall(this.#ctx.db, call);
    if (!current || isFinalCallStatus(current.status)) return current;
    return updateCall(this.#ctx, current, { ...also, ...(status ? { status } : {}) });
  }
}

/** HOST when it is a specific IPv4 address, else this machine's first external IPv4, else loopback. */
function defaultPublicAddress(host: string): string {
  if (isIP(host) === 4 && host !== '0.0.0.0') return host;
  for (const addresses of Object.values(networkInterfaces())) {
    for (const a of addresses ?? []) if (a.family === 'IPv4' && !a.internal) return a.address;
  }
  return '127.0.0.1';
}
