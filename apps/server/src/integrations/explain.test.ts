import { describe, expect, it } from 'vitest';
import { explainFailure } from './explain.ts';

describe('explainFailure', () => {
  it('translates the usual failures into plain words and keeps the raw text as detail', () => {
    expect(explainFailure('twilio', 'getaddrinfo ENOTFOUND api.twilio.com')).toEqual({
      message: expect.stringMatching(/^This server could not reach Twilio/),
      detail: 'getaddrinfo ENOTFOUND api.twilio.com',
    });
    expect(
      explainFailure('openai', 'OpenAI Realtime refused the connection (HTTP 401): Incorrect API key')
        .message,
    ).toMatch(/^OpenAI did not accept the API key/);
    expect(explainFailure('google_calendar', 'HTTP 403 forbidden').message).toMatch(/Share the calendar/);
    expect(explainFailure('twilio', 'The requested resource was not found (20404)').message).toMatch(
      /same account/,
    );
    expect(explainFailure('gemini', 'something odd').message).toBe(
      'Google Gemini could not be used with these credentials.',
    );
  });
});
