import type { ToolName, VadType } from '@switchboard/shared';

/** Turn detection kinds, as the agent studio names them. */
export const VAD_LABELS: Record<VadType, string> = {
  server_vad: 'Silence-based (server VAD)',
  semantic_vad: 'Semantic (model decides)',
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
};
