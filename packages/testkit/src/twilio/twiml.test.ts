import twilio from 'twilio';
import { describe, expect, it } from 'vitest';
import { findAllTwiml, findTwiml, parseTwiml } from './twiml.ts';
import { parseXml } from './xml.ts';

const bridge = `<?xml version="1.0" encoding="UTF-8"?>
<Response>
  <!-- bidirectional -->
  <Connect>
    <Stream url="wss://bridge.example.com/twilio/media" statusCallback="https://bridge.example.com/twilio/stream-status">
      <Parameter name="callerNumber" value="+14155550100"/>
      <Parameter name='token' value="a&amp;b&quot;c"/>
    </Stream>
  </Connect>
  <Say voice="alice">This is only reached &lt;after&gt; the server closes the WebSocket.</Say>
</Response>`;

describe('parseTwiml', () => {
  it('parses <Connect><Stream><Parameter> into a verb tree and a stream summary', () => {
    const t = parseTwiml(bridge);
    expect(t.verbs.map((v) => v.name)).toEqual(['Connect', 'Say']);
    expect(t.stream).toEqual({
      url: 'wss://bridge.example.com/twilio/media',
      bidirectional: true,
      attributes: {
        url: 'wss://bridge.example.com/twilio/media',
        statusCallback: 'https://bridge.example.com/twilio/stream-status',
      },
      parameters: { callerNumber: '+14155550100', token: 'a&b"c' },
    });
    expect(t.verbs[1]?.text).toBe('This is only reached <after> the server closes the WebSocket.');
    expect(t.verbs[1]?.attributes.voice).toBe('alice');
    expect(t.problems).toEqual([]);
  });

  it('parses what the twilio SDK generates, including Dial/Number/Conference, Gather, Record', () => {
    const vr = new twilio.twiml.VoiceResponse();
    vr.say('Transferring you now.');
    vr.pause({ length: 1 });
    const dial = vr.dial({ callerId: '+15005550006', timeout: 20, action: 'https://x.example/dial-done' });
    dial.number({ statusCallbackEvent: ['initiated', 'answered'] }, '+14155550199');
    vr.dial().conference('room-1');
    const gather = vr.gather({ input: ['dtmf'], numDigits: 1 });
    gather.say('Press 1');
    vr.record({ maxLength: 30 });
    vr.play('https://x.example/beep.mp3');
    vr.redirect('https://x.example/next');
    vr.hangup();
    const t = parseTwiml(vr.toString());
    expect(t.verbs.map((v) => v.name)).toEqual([
      'Say',
      'Pause',
      'Dial',
      'Dial',
      'Gather',
      'Record',
      'Play',
      'Redirect',
      'Hangup',
    ]);
    expect(findTwiml(t.root, 'Number')).toMatchObject({
      text: '+14155550199',
      attributes: { statusCallbackEvent: 'initiated answered' },
    });
    expect(findTwiml(t.root, 'Conference')?.text).toBe('room-1');
    expect(t.verbs[2]?.attributes).toMatchObject({ callerId: '+15005550006', timeout: '20' });
    expect(findAllTwiml(t.root, 'Say').map((s) => s.text)).toEqual(['Transferring you now.', 'Press 1']);
    expect(t.stream).toBeNull();
  });

  it('reports what Twilio would reject on <Stream>', () => {
    const t = parseTwiml(
      '<Response><Connect><Stream url="ws://x/media?token=1" track="both_tracks"/></Connect><Foo/></Response>',
    );
    expect(t.problems.map((p) => p.code).sort()).toEqual([12200, 31922, 31922, 31941]);
    const start = parseTwiml(
      '<Response><Start><Stream url="wss://x/a" track="both_tracks"/></Start></Response>',
    );
    expect(start.stream?.bidirectional).toBe(false);
    expect(start.problems).toEqual([]);
  });

  it('rejects malformed documents', () => {
    expect(() => parseTwiml('<Response><Say>hi</Response>')).toThrow(SyntaxError);
    expect(() => parseTwiml('<Response>')).toThrow(/unclosed/);
    expect(() => parseTwiml('<Other/>')).toThrow(/Response/);
    expect(() => parseTwiml('<Response/><Response/>')).toThrow(/root/);
    expect(() => parseTwiml('<Response a="1" a="2"/>')).toThrow(/duplicate/);
    expect(() => parseTwiml('<Response>&nbsp;</Response>')).toThrow(/entity/);
  });

  it('handles CDATA and numeric entities', () => {
    expect(parseXml('<a><![CDATA[<x> & y]]> &#65;&#x42;</a>').text).toBe('<x> & y AB');
  });
});
