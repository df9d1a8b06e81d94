package io.flyover.optimizer.control;

/**
 * What the control plane knows of one probed route at one moment: state, estimates and the share
 * of new flows it gets. Immutable; read by the admin thread.
 *
 * @param route          packed route (ingress first).
 * @param dstPop         its last POP.
 * @param up             the failure detector's state.
 * @param srttNs         smoothed RTT (EWMA), ns; NaN before the first sample.
 * @param rttVarNs       RTT mean deviation, ns.
 * @param p50Ns          median of the recent probe RTTs, ns; -1 before the first.
 * @param p95Ns          95th percentile of the recent probe RTTs, ns; -1 before the first.
 * @param jitterNs       interarrival jitter (RFC 3550 style), ns.
 * @param loss           probe loss over the window, 0..1.
 * @param probeSamples   answered probes ever.
 * @param passiveSamples passive (TCP handshake) samples ever.
 * @param stalenessNs    age of the newest sample, ns; -1 before the first.
 * @param weight         share of new flows to its destination, 0..1.
 * @param preferred      whether the policy prefers it for its destination.
 * @param flowsCreated   new flows pinned to it (ingress) or arriving along it (egress) since start.
 */
public record RouteStatus(
    long route,
    int dstPop,
    boolean up,
    double srttNs,
    double rttVarNs,
    long p50Ns,
    long p95Ns,
    double jitterNs,
    double loss,
    long probeSamples,
    long passiveSamples,
    long stalenessNs,
    double weight,
    boolean preferred,
    long flowsCreated)
{
    /**
     * @return the route as POP ids joined by {@code >}, e.g. {@code 1>7>3}.
     */
    public String path()
    {
        return io.flyover.optimizer.path.Route.toString(route);
    }
}
