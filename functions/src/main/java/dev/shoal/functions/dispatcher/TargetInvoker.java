package dev.shoal.functions.dispatcher;

import dev.shoal.storage.api.PushTarget;

/**
 * Invokes a push target with an event and reports what happened.
 *
 * <p>Contract: implementations MUST return within about {@link PushTarget#timeout()} (a target
 * that does not answer in time is {@link InvocationOutcome.Failed}); MUST report
 * {@link InvocationOutcome.NotDelivered} only when the target certainly did not run, because
 * those deliveries are not counted; SHOULD NOT throw (a thrown exception is taken as a failed
 * invocation). Thread-safe: the dispatcher calls them concurrently.
 */
@FunctionalInterface
public interface TargetInvoker {

    InvocationOutcome invoke(PushTarget target, byte[] event);
}
