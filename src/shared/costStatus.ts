import { z } from 'zod';

const micros = z.number().int().min(0).max(Number.MAX_SAFE_INTEGER);
const line = z.string().max(500);

/**
 * The dashboard's cost and auto-stop section (issue 5): counters in integer micro-dollars, the auto-stop verdict as
 * words, and the newest audit lines (every warning, keep and stop with its reason). A full status every snapshot.
 */
export const costStatusSchema = z
  .object({
    /** This machine's cost so far; absent when it left no ledger lines (a free SSH host). */
    machineMicros: micros.optional(),
    todayMicros: micros,
    monthMicros: micros,
    projectedMonthMicros: micros,
    burnMicrosPerHour: micros,
    /** Undefined when auto-stop does not watch this machine. */
    autoStop: z.object({ status: z.enum(['busy', 'idle', 'warning', 'kept', 'stopped']), explanation: line }).strict().optional(),
    audit: z.array(line).max(20),
  })
  .strict();

export type CostStatus = z.infer<typeof costStatusSchema>;
