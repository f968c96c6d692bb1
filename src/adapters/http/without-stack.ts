/**
 * Builds an error without capturing a stack trace. The endpoint's own errors (WireError, WireSerializationError)
 * are answers to the client, never reported, so their stack is never read; capturing it is most of what an error
 * answer costs (V8 walks the whole async call stack). Synchronous, so no other code runs with the limit at 0.
 */
export function withoutStack<E extends Error>(make: () => E): E {
  const limit = Error.stackTraceLimit;
  Error.stackTraceLimit = 0;
  try {
    return make();
  } finally {
    Error.stackTraceLimit = limit;
  }
}
