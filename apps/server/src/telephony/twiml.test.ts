/** Every TwiML document the server writes, read back by the test kit's TwiML parser (Twilio's rules). */
import { findTwiml, parseTwiml } from '@switchboard/testkit';
import { describe, expect, it } from 'vitest';
import {
  apologyTwiml,
  callStreamTwiml,
  hangupTwiml,
  sayAndHangupTwiml,
  transferTwiml,
  whisperTwiml,
} from './twiml.ts';

const BASE = 'https://bridge.example.com';

describe('TwiML', () => {
  it('connects the media stream with its parameters, then redirects to stream-ended', () => {
    const twiml = parseTwiml(
      callStreamTwiml({
        publicUrl: BASE,
        callId: 'c1',
        parameters: { token: 'a.b', resume: 'transfer_failed' },
      }),
    );
    expect(twiml.problems).toEqual([]);
    expect(twiml.verbs.map((v) => v.name)).toEqual(['Connect', 'Redirect']);
    expect(twiml.stream).toMatchObject({
      url: 'wss://bridge.example.com/api/audiostream',
      parameters: { token: 'a.b', resume: 'transfer_failed' },
    });
    expect(twiml.verbs[1]).toMatchObject({
      attributes: { method: 'POST' },
      text: `${BASE}/api/twiml/stream-ended?callId=c1`,
    });
  });

  it('says goodbye, hangs up and apologises with a recorded message', () => {
    expect(parseTwiml(hangupTwiml()).verbs.map((v) => v.name)).toEqual(['Hangup']);
    const goodbye = parseTwiml(sayAndHangupTwiml('Fish & chips <3'));
    expect(goodbye.verbs.map((v) => [v.name, v.text])).toEqual([
      ['Say', 'Fish & chips <3'],
      ['Hangup', ''],
    ]);
    const apology = parseTwiml(apologyTwiml(`${BASE}/api/twiml/recording?callId=c1`));
    expect(apology.problems).toEqual([]);
    expect(apology.verbs.map((v) => v.name)).toEqual(['Say', 'Record', 'Say', 'Hangup']);
    expect(apology.verbs[1]?.attributes).toMatchObject({
      maxLength: '120',
      recordingStatusCallback: `${BASE}/api/twiml/recording?callId=c1`,
    });
  });

  it('dials a transfer with its action and whisper URLs', () => {
    const twiml = parseTwiml(
      transferTwiml({
        number: '+14155550999',
        actionUrl: `${BASE}/api/twiml/transfer-done?callId=c1`,
        whisperUrl: `${BASE}/api/twiml/transfer-whisper?callId=c1`,
      }),
    );
    expect(twiml.problems).toEqual([]);
    expect(findTwiml(twiml.root, 'Dial')?.attributes).toMatchObject({
      timeout: '20',
      answerOnBridge: 'true',
      action: `${BASE}/api/twiml/transfer-done?callId=c1`,
    });
    expect(findTwiml(twiml.root, 'Number')).toMatchObject({
      text: '+14155550999',
      attributes: { url: `${BASE}/api/twiml/transfer-whisper?callId=c1` },
    });
    expect(parseTwiml(whisperTwiml('Dana asks about insurance.')).verbs[0]?.text).toContain('insurance');
  });
});
