import { type Agent, DEFAULT_MODELS, DEFAULT_TUNING, DEFAULT_VOICES } from '@switchboard/shared';
import { describe, expect, it } from 'vitest';
import { isDirty, switchProvider, toDraft, toPatch } from './agent-draft.ts';

const agent: Agent = {
  id: 'a1',
  name: 'Front desk',
  isDefault: true,
  isDefaultOutbound: false,
  provider: 'openai',
  model: 'gpt-realtime',
  voice: 'marin',
  language: 'en-US',
  timezone: null,
  businessHours: null,
  instructions: 'Be nice',
  greeting: 'Hello!',
  companyBrief: '',
  tools: ['end_call', 'create_lead'],
  transferNumber: null,
  transferMode: 'cold',
  voicemailMessage: '',
  tuning: { ...DEFAULT_TUNING, vadType: 'semantic_vad' },
  dtmfActions: {},
  postCall: { summary: true, extraction: [] },
  recording: 'off',
  callerContext: 'limited',
  smsRecipients: 'caller',
  createdAt: '2025-01-01T00:00:00Z',
  updatedAt: '2025-01-01T00:00:00Z',
};

describe('agent draft', () => {
  it('round-trips an agent without being dirty, whatever the tool order', () => {
    const d = toDraft(agent);
    expect(isDirty(d, agent)).toBe(false);
    expect(isDirty({ ...d, tools: ['create_lead', 'end_call'] }, agent)).toBe(false);
    expect(isDirty({ ...d, greeting: 'Hi' }, agent)).toBe(true);
  });
  it('sends null for empty optional fields', () => {
    const patch = toPatch({ ...toDraft(agent), transferNumber: '  ', timezone: '' });
    expect(patch.transferNumber).toBeNull();
    expect(patch.timezone).toBeNull();
  });
  it('switches provider defaults and drops semantic VAD for Gemini', () => {
    const g = switchProvider(toDraft(agent), 'gemini');
    expect(g.model).toBe(DEFAULT_MODELS.gemini);
    expect(g.voice).toBe(DEFAULT_VOICES.gemini);
    expect(g.tuning.vadType).toBe('server_vad');
    const custom = switchProvider({ ...toDraft(agent), model: 'my-model' }, 'gemini');
    expect(custom.model).toBe('my-model');
  });
});
