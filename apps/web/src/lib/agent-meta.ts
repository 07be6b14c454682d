import type { Provider, ToolName } from '@switchboard/shared';

export const PROVIDER_LABELS: Record<Provider, string> = {
  openai: 'OpenAI Realtime',
  gemini: 'Google Gemini Live',
};

/** What each in-call tool does, in the words a business owner would use. */
export const TOOL_INFO: Record<ToolName, { label: string; help: string }> = {
  create_lead: {
    label: 'Save a lead',
    help: "Saves the caller's name, company and contact details as a prospect.",
  },
  check_availability: {
    label: 'Check the calendar',
    help: 'Looks up free meeting slots before offering times.',
  },
  book_appointment: { label: 'Book a meeting', help: 'Books the chosen slot and records the appointment.' },
  send_sms: { label: 'Send a text message', help: 'Texts the caller a confirmation, link or address.' },
  transfer_call: { label: 'Transfer to a person', help: 'Hands the call to the transfer number below.' },
  end_call: { label: 'Hang up', help: 'Ends the call politely once the conversation is over.' },
  leave_voicemail: {
    label: 'Leave a voicemail',
    help: 'When an answering machine picks up, leaves the voicemail message below and hangs up.',
  },
  search_knowledge: {
    label: 'Search the knowledge base',
    help: 'Looks up passages in the documents on the Knowledge tab (and the part of the company brief that does not fit the instructions).',
  },
  ask_supervisor: {
    label: 'Ask a supervisor model',
    help: 'Hands hard questions to a text model with the knowledge base, calendar and MCP tools; the agent says “Let me check” while it works.',
  },
};
