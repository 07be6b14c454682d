import twilio from 'twilio';
import { describe, expect, it } from 'vitest';
import { encodeForm, parseForm, twilioSignature } from './signature.ts';

const vectorParams = {
  CallSid: 'CA1234567890ABCDE',
  Caller: '+14158675309',
  Digits: '1234',
  From: '+14158675309',
  To: '+18005551212',
};

const voiceParams = {
  AccountSid: 'AC00000000000000000000000000000000',
  ApiVersion: '2010-04-01',
  CallSid: 'CA11111111111111111111111111111111',
  CallStatus: 'ringing',
  Called: '+15005550006',
  Caller: '+14155550100',
  Direction: 'inbound',
  From: '+14155550100',
  To: '+15005550006',
};

describe('twilioSignature', () => {
  it('matches the reference values of docs/telephony.md#request-signatures', () => {
    expect(twilioSignature('12345', 'https://mycompany.com/myapp.php?foo=1&bar=2', vectorParams)).toBe(
      'RSOYDt4T1cUTdK1PDd93/VVr8B8=',
    );
    expect(twilioSignature('12345', 'https://mycompany.com:443/myapp.php?foo=1&bar=2', vectorParams)).toBe(
      'kvajT1Ptam85bY51eRf/AJRuM3w=',
    );
    expect(
      twilioSignature(
        '12345',
        'https://mycompany.com/myapp.php?foo=1&bar=2&bodySHA256=0a1ff7634d9ab3b95db5c9a2dfe9416e41502b283a80c7cf19632632f96e6620',
        {},
      ),
    ).toBe('a9nBmqA0ju/hNViExpshrM61xv4=');
    expect(twilioSignature('test_auth_token', 'https://bridge.example.com/twilio/voice', voiceParams)).toBe(
      '6DAcZwziNb5ctVrWbBprZ86MvjM=',
    );
    expect(twilioSignature('test_auth_token', 'wss://bridge.example.com/twilio/media', {})).toBe(
      'McRGZaC8IvrDLB1F1ZoXYUSmVL0=',
    );
  });

  it('is accepted by twilio.validateRequest, including repeated keys', () => {
    const url = 'https://bridge.example.com/twilio/status?x=1';
    const params = { ...voiceParams, StatusCallbackEvent: ['ringing', 'answered', 'ringing'] };
    const signature = twilioSignature('secret', url, params);
    expect(twilio.validateRequest('secret', signature, url, params)).toBe(true);
    expect(twilio.validateRequest('other', signature, url, params)).toBe(false);
    expect(twilio.getExpectedTwilioSignature('secret', url, params)).toBe(signature);
  });
});

describe('form helpers', () => {
  it('round-trips repeated keys and special characters', () => {
    const params = { To: '+1 415', StatusCallbackEvent: ['initiated', 'answered'], Twiml: '<Response/>' };
    const body = encodeForm(params);
    expect(body).toContain('StatusCallbackEvent=initiated&StatusCallbackEvent=answered');
    expect(parseForm(body)).toEqual(params);
  });
});
