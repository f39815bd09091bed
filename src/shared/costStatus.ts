import { z } from 'zod';

const micros = z.number().int().min(0).max(Number.MAX_SAFE_INTEGER);
const line = z.string().max(500);

/**
 * One budget that covers this machine, with what its period spent so far. `scope` is the host's words for whose
 * spending it counts (a provider's name, "SSH hosts"), absent for the global budget. `reachedPercent` is the highest
 * alert threshold reached (80, 100, ...), absent below the first; the webview marks the row from it and the amounts.
 */
export const budgetRowSchema = z
  .object({
    period: z.enum(['daily', 'monthly']),
    scope: z.string().min(1).max(100).optional(),
    spentMicros: micros,
    limitMicros: micros.min(1),
    reachedPercent: z.number().int().min(1).max(1000).optional(),
  })
  .strict();

export type BudgetRow = z.infer<typeof budgetRowSchema>;

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
    /** The budgets that apply to this machine (global, then its provider's); absent or empty when none is set. */
    budgets: z.array(budgetRowSchema).max(12).optional(),
    /** Undefined when auto-stop does not watch this machine. */
    autoStop: z.object({ status: z.enum(['busy', 'idle', 'warning', 'kept', 'stopped']), explanation: line }).strict().optional(),
    audit: z.array(line).max(20),
  })
  .strict();

export type CostStatus = z.infer<typeof costStatusSchema>;
