import { describe, expect, it } from 'vitest';
import { fieldErrorsFromDetails, unshownFieldErrors } from './error-details.ts';

describe('field errors from API error details', () => {
  it('reads zod issues', () => {
    expect(
      fieldErrorsFromDetails([
        { path: ['phone'], message: 'must be a valid phone number' },
        { path: ['tuning', 'vadThreshold'], message: 'too big' },
        { path: ['phone'], message: 'second message is ignored' },
      ]),
    ).toEqual({ phone: 'must be a valid phone number', 'tuning.vadThreshold': 'too big' });
    expect(fieldErrorsFromDetails({ issues: [{ path: ['email'], message: 'bad' }] })).toEqual({
      email: 'bad',
    });
  });
  it('reads flattened zod errors and plain records', () => {
    expect(fieldErrorsFromDetails({ fieldErrors: { phone: ['required'] } })).toEqual({ phone: 'required' });
    expect(fieldErrorsFromDetails({ email: 'taken' })).toEqual({ email: 'taken' });
  });
  it('reads AJV errors', () => {
    expect(
      fieldErrorsFromDetails([
        { instancePath: '/email', message: 'must match format' },
        {
          instancePath: '',
          params: { missingProperty: 'phone' },
          message: "must have required property 'phone'",
        },
      ]),
    ).toEqual({ email: 'must match format', phone: "must have required property 'phone'" });
  });
  it("reads the server's validation_failed details (dotted string paths)", () => {
    expect(
      fieldErrorsFromDetails({
        issues: [
          { path: 'tuning.vadThreshold', message: 'Too big' },
          { path: '', message: 'whole input' },
        ],
      }),
    ).toEqual({ 'tuning.vadThreshold': 'Too big' });
  });
  it('ignores junk', () => {
    expect(fieldErrorsFromDetails(undefined)).toEqual({});
    expect(fieldErrorsFromDetails('oops')).toEqual({});
    expect(fieldErrorsFromDetails([null, 3, { message: 'no path' }])).toEqual({});
  });
  it('lists errors for fields a form does not show', () => {
    expect(unshownFieldErrors({ phone: 'bad', 'tuning.x': 'y', other: 'z' }, ['phone', 'tuning'])).toEqual([
      'other: z',
    ]);
  });
});
