/** A problem with what the user asked for: the bin prints its message alone, without a stack trace. */
export class UsageError extends Error {
  override name = 'UsageError';
}
