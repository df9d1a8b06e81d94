package io.flyover.dataplane.protocol;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;

/**
 * jqwik generators for random, valid tunnel header fields.
 */
final class RoundTripArbitraries
{
    /** Random valid tunnel header fields (key id and keys are left to the caller). */
    record Headers(
        int outerSrc,
        int outerDst,
        int flowHash,
        int vni,
        boolean oam,
        boolean returnPath,
        long route,
        int hopIndex,
        int hopLimit,
        long sendTimeUs)
    {
        TunnelPacketBuilder apply(final TunnelPacketBuilder builder)
        {
            return builder
                .outerAddresses(outerSrc, outerDst)
                .flowHash(flowHash)
                .vni(vni)
                .oam(oam)
                .returnPath(returnPath)
                .route(route)
                .hopIndex(hopIndex)
                .hopLimit(hopLimit)
                .sendTimeUs(sendTimeUs);
        }
    }

    private RoundTripArbitraries()
    {
    }

    static Arbitrary<Long> routes()
    {
        final Arbitrary<Integer> pop = Arbitraries.integers().between(1, FlyoverRoute.MAX_POP_ID);
        return Combinators.combine(pop, pop, pop, pop, Arbitraries.integers().between(1, 3))
            .as((ingress, hop1, hop2, hop3, lastSlot) -> FlyoverRoute.pack(
                ingress, hop1, lastSlot >= 2 ? hop2 : 0, lastSlot >= 3 ? hop3 : 0));
    }

    static Arbitrary<Headers> headers()
    {
        final Arbitrary<Integer> anyInt = Arbitraries.integers();
        final Arbitrary<long[]> routeAndHop = Combinators.combine(routes(), Arbitraries.of(false, true),
                Arbitraries.integers().between(0, 2))
            .as((route, returnPath, step) ->
            {
                final int last = FlyoverRoute.lastSlot(route);
                final int hops = last; // forward: 1..last, return: 0..last-1
                final int offset = step % hops;
                final int hopIndex = returnPath ? offset : 1 + offset;
                return new long[] {route, returnPath ? 1 : 0, hopIndex};
            });
        return Combinators.combine(
                anyInt,
                anyInt,
                anyInt,
                Arbitraries.integers().between(0, GeneveFlyweight.MAX_VNI),
                Arbitraries.of(false, true),
                routeAndHop,
                Arbitraries.integers().between(0, 255),
                Arbitraries.longs())
            .as((src, dst, flowHash, vni, oam, rh, hopLimit, sendTimeUs) ->
                new Headers(src, dst, flowHash, vni, oam, rh[1] == 1, rh[0], (int)rh[2], hopLimit, sendTimeUs));
    }
}
