package io.flyover.optimizer.control;

import java.util.List;

/**
 * A snapshot of the control plane for the admin thread (metrics, status). Immutable.
 *
 * @param localPop        this POP.
 * @param atNs            when it was taken, engine clock.
 * @param routes          every probed route, sorted by destination then route.
 * @param probesSent      probe requests handed to the transport.
 * @param repliesSent     probe replies (reflections) handed to the transport.
 * @param probesMalformed probe events that were not a valid probe for this POP.
 * @param probesRejected  valid probe messages the prober refused (late, unknown path, not for us).
 * @param passiveSamples  TCP handshake RTT samples taken.
 * @param flowsEnded      flow-end events seen.
 * @param tablePublishes  path-table sets handed to the sink (only when a table changed).
 * @param tablesBuilt     path tables built (a Maglev fill each) because a destination's weights changed.
 * @param tablesReused    destinations whose weights changed but whose integer bucket counts did
 *                        not, so their table was kept as it was.
 * @param tablesDeferred  share-only changes deferred to the next allowed rebuild of their destination.
 * @param journalCyclesDeleted journal files (whole roll cycles) deleted as older than the retention.
 * @param sendFailures    probes the transport could not send (unknown POP, IPv6 underlay, full ring).
 */
public record ControlPlaneStatus(
    int localPop,
    long atNs,
    List<RouteStatus> routes,
    long probesSent,
    long repliesSent,
    long probesMalformed,
    long probesRejected,
    long passiveSamples,
    long flowsEnded,
    long tablePublishes,
    long tablesBuilt,
    long tablesReused,
    long tablesDeferred,
    long journalCyclesDeleted,
    long sendFailures)
{
    /**
     * @param route a packed route.
     * @return its status, or null if it is not probed.
     */
    public RouteStatus route(final long route)
    {
        for (final RouteStatus status : routes)
        {
            if (status.route() == route)
            {
                return status;
            }
        }
        return null;
    }
}
