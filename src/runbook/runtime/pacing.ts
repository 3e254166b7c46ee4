// Pacing lives with the providers (every HTTP request to PagerDuty waits for the limiter, in apply,
// plan and init alike); re-exported here for the runbook's callers.
export { PAGERDUTY_RATE_LIMIT, type RateLimit, SlidingWindowLimiter } from '../../providers/pacing.js';
