/**
 * Requests the peer sends inside an established call: BYE; re-INVITE and UPDATE (hold, resume,
 * address change, session refresh); INFO DTMF; NOTIFY progress of our REFER; OPTIONS. A REFER
 * from the peer is declined: the agent decides where calls go.
 */
import { createResponse, type SipRequest } from '../message/message.ts';
import {
  answerDirection,
  buildSdp,
  type Direction,
  negotiate,
  parseSdp,
  type SdpDescription,
} from '../sdp.ts';
import type { ServerTransaction } from '../transaction/server.ts';
import type { SipCall } from './call.ts';
import { parseSessionExpires } from './session-timer.ts';

export interface InDialogHooks {
  bye(): void;
  refreshed(): void;
  setHeld(held: boolean): void;
  setSdp(sdp: SdpDescription): void;
}

export const ALLOW = 'INVITE, ACK, CANCEL, BYE, OPTIONS, INFO, UPDATE, REFER, NOTIFY';

export function handleInDialog(
  call: SipCall,
  request: SipRequest,
  tx: ServerTransaction,
  hooks: InDialogHooks,
): void {
  const respond = (status: number, headers: Array<[string, string]> = [], body?: Buffer) =>
    tx.respond(
      createResponse(request, status, {
        headers,
        ...(body ? { body } : {}),
      }),
    );
  switch (request.method) {
    case 'BYE':
      respond(200);
      hooks.bye();
      return;
    case 'INVITE':
    case 'UPDATE': {
      const timerHeaders: Array<[string, string]> = [];
      const se = parseSessionExpires(request);
      if (se) {
        timerHeaders.push(['session-expires', `${se.intervalS};refresher=${se.refresher ?? 'uac'}`]);
        timerHeaders.push(['require', 'timer']);
      }
      hooks.refreshed();
      const contact: Array<[string, string]> = [['contact', call.dialog.contactHeader]];
      if (request.body.length === 0) {
        // Offerless re-INVITE: we offer our current SDP in the 200 (the answer comes in the ACK).
        const body = request.method === 'INVITE' ? Buffer.from(buildSdp(call.sdp)) : undefined;
        respond(
          200,
          [
            ...contact,
            ...timerHeaders,
            ...(body ? ([['content-type', 'application/sdp']] as Array<[string, string]>) : []),
          ],
          body,
        );
        return;
      }
      const offer = parseSdp(request.body.toString('utf8'));
      const negotiated = offer.ok ? negotiate(offer.audio, [call.rtp.encoding]) : undefined;
      if (!offer.ok || !negotiated) {
        respond(488);
        return;
      }
      const held =
        offer.audio.direction === 'sendonly' ||
        offer.audio.direction === 'inactive' ||
        offer.audio.address === '0.0.0.0';
      const direction: Direction =
        offer.audio.address === '0.0.0.0' ? 'inactive' : answerDirection(offer.audio.direction);
      if (!held) call.rtp.update({ remote: { address: offer.audio.address, port: offer.audio.port } });
      hooks.setHeld(held);
      const sdp: SdpDescription = { ...call.sdp, version: call.sdp.version + 1, direction };
      hooks.setSdp(sdp);
      respond(
        200,
        [...contact, ...timerHeaders, ['content-type', 'application/sdp']],
        Buffer.from(buildSdp(sdp)),
      );
      return;
    }
    case 'INFO': {
      const digit = infoDigit(request);
      respond(200);
      if (digit) call.emit('dtmf', digit, 'info');
      return;
    }
    case 'NOTIFY': {
      respond(200);
      const status = /^SIP\/2\.0 (\d{3}) ?(.*)$/m.exec(request.body.toString('utf8'));
      if (status && /refer/i.test(request.headers.get('event') ?? '')) {
        const code = Number(status[1]);
        call.emit('transfer', { status: code, reason: status[2]?.trim() ?? '', final: code >= 200 });
      }
      return;
    }
    case 'OPTIONS':
      respond(200, [['allow', ALLOW]]);
      return;
    case 'REFER':
      respond(603);
      return;
    case 'ACK':
      return;
    default:
      respond(405, [['allow', ALLOW]]);
  }
}

/** `Signal=5` (application/dtmf-relay) or a bare digit (application/dtmf). */
function infoDigit(request: SipRequest): string | undefined {
  const type = (request.headers.get('content-type') ?? '').toLowerCase();
  const body = request.body.toString('utf8').slice(0, 200);
  let digit: string | undefined;
  if (type.startsWith('application/dtmf-relay')) digit = /Signal\s*=\s*([0-9*#A-Da-d])/.exec(body)?.[1];
  else if (type.startsWith('application/dtmf')) digit = /^\s*([0-9*#A-Da-d])\s*$/.exec(body)?.[1];
  return digit?.toUpperCase();
}
