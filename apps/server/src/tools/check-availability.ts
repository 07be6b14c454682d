/**
 * check_availability {date, durationMinutes?}: free slots on a day, in the agent's time zone,
 * from business hours and every calendar. Past days are refused; a full or closed day comes with
 * the next free slot.
 */
import type { ToolDefinition } from '@switchboard/voice';
import { ToolFailure } from '@switchboard/voice';
import { z } from 'zod';
import { loadSchedule } from '../calendar/schedule.ts';
import { formatInZone, parseLocalDate } from '../calendar/zoned-time.ts';
import { spell } from '../services/book-appointment.ts';
import { findFreeSlots } from '../services/find-free-slots.ts';
import type { CallToolContext, ToolDeps } from './context.ts';
import { forModel, spoken } from './failures.ts';

const isoDateTime = z.iso.datetime({ offset: true });

export const checkAvailabilityParameters = z.object({
  date: z
    .string()
    .refine((v) => parseLocalDate(v) !== null || isoDateTime.safeParse(v).success, {
      message: 'must be a date, YYYY-MM-DD',
    })
    .describe('The day to check, YYYY-MM-DD (in the business time zone).'),
  durationMinutes: z
    .number()
    .int()
    .min(5)
    .max(480)
    .default(30)
    .describe('Meeting length in minutes (default 30).'),
});

export function checkAvailabilityTool(
  deps: ToolDeps,
): ToolDefinition<typeof checkAvailabilityParameters, CallToolContext> {
  return {
    name: 'check_availability',
    description:
      'Free appointment slots on a given day (business hours minus booked time). Call it before proposing times.',
    hint: 'Check the calendar before proposing times; offer at most two or three slots.',
    parameters: checkAvailabilityParameters,
    timeoutMs: 15_000,
    handler: async (args, ctx) => {
      const { timeZone } = await loadSchedule(deps.db, ctx);
      const date = parseLocalDate(args.date)
        ? args.date
        : formatInZone(new Date(args.date), timeZone).slice(0, 10);
      const today = formatInZone(deps.clock(), timeZone).slice(0, 10);
      if (date < today) throw new ToolFailure(`${date} is in the past; today is ${today}.`, { today });
      const result = await forModel(
        findFreeSlots(deps, {
          organizationId: ctx.organizationId,
          agentId: ctx.agentId,
          date,
          durationMinutes: args.durationMinutes,
          maxSlots: 8,
          signal: ctx.signal,
        }),
      );
      const next = result.nextAvailable;
      return {
        date,
        timeZone: result.timeZone,
        durationMinutes: result.durationMinutes,
        open: result.open,
        slots: result.slots.map((s) => spell(s, result.timeZone)),
        moreSlots: result.totalFree > result.slots.length,
        ...(result.slots.length === 0
          ? {
              note: result.open ? 'Fully booked that day.' : 'Closed that day.',
              nextAvailable: next
                ? { ...spell(next, result.timeZone), spoken: spoken(next.start, result.timeZone) }
                : null,
            }
          : {}),
      };
    },
  };
}
