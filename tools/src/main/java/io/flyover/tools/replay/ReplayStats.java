package io.flyover.tools.replay;

import java.util.List;
import java.util.Map;
import java.util.SortedMap;

/**
 * What a replay did: the counts of the POP whose outputs are the replay's outputs (the last of
 * the chain), and of every POP of the chain. For each POP, {@code packetsIn == forwarded +
 * consumed + dropped}, the drops by reason sum to {@code dropped}, and the frames out per port sum
 * to {@code forwarded + generated}.
 *
 * @param capturePath    the capture replayed.
 * @param captureFormat  {@code pcap} or {@code pcapng}.
 * @param capturePackets packets in the capture.
 * @param port           the port the capture entered.
 * @param chain          every POP's counts, in chain order (one for a plain replay).
 * @param chained        whether a chain was asked for.
 */
public record ReplayStats(
    String capturePath,
    String captureFormat,
    long capturePackets,
    String port,
    List<PopStats> chain,
    boolean chained)
{
    /**
     * One POP's counts.
     *
     * @param id            its id.
     * @param name          its name.
     * @param packetsIn     frames that arrived at it (for the first POP: every packet of the capture).
     * @param forwarded     frames it sent on.
     * @param consumed      frames addressed to itself (probes, OAM).
     * @param generated     frames it made (ICMP errors).
     * @param generatedLost frames it made that found the output ring full (not in {@code out}).
     * @param dropped       frames it dropped.
     * @param drops         drops by stable reason label.
     * @param out           frames out per port name ({@code edge}, {@code backbone}, {@code origin}).
     */
    public record PopStats(
        int id,
        String name,
        long packetsIn,
        long forwarded,
        long consumed,
        long generated,
        long generatedLost,
        long dropped,
        SortedMap<String, Long> drops,
        Map<String, Long> out)
    {
        /**
         * @return whether the three accounting invariants hold.
         */
        public boolean balanced()
        {
            long dropSum = 0;
            for (final long n : drops.values())
            {
                dropSum += n;
            }
            long outSum = 0;
            for (final long n : out.values())
            {
                outSum += n;
            }
            return packetsIn == forwarded + consumed + dropped && dropSum == dropped && outSum == forwarded + generated;
        }

        private void appendFields(final StringBuilder sb)
        {
            sb.append("\"packets_in\":").append(packetsIn)
                .append(",\"forwarded\":").append(forwarded)
                .append(",\"consumed\":").append(consumed)
                .append(",\"generated\":").append(generated)
                .append(",\"dropped\":").append(dropped)
                .append(",\"drops\":");
            appendMap(sb, drops);
            sb.append(",\"out\":");
            appendMap(sb, out);
            sb.append(",\"generated_lost\":").append(generatedLost);
        }
    }

    /**
     * @return the last POP of the chain, whose outputs are the replay's.
     */
    public PopStats last()
    {
        return chain.get(chain.size() - 1);
    }

    /**
     * @return one JSON object on one line: the last POP's counts at the top level, then the
     *     capture, the POP, and with a chain every POP's counts.
     */
    public String toJson()
    {
        final PopStats last = last();
        final StringBuilder sb = new StringBuilder(512).append('{');
        last.appendFields(sb);
        sb.append(",\"pop\":").append(quote(last.name()))
            .append(",\"port\":").append(quote(port))
            .append(",\"capture\":{\"path\":").append(quote(capturePath))
            .append(",\"format\":").append(quote(captureFormat))
            .append(",\"packets\":").append(capturePackets).append('}');
        if (chained)
        {
            sb.append(",\"chain\":[");
            for (int i = 0; i < chain.size(); i++)
            {
                final PopStats pop = chain.get(i);
                sb.append(0 == i ? "" : ",").append("{\"pop\":").append(quote(pop.name())).append(',');
                pop.appendFields(sb);
                sb.append('}');
            }
            sb.append(']');
        }
        return sb.append('}').toString();
    }

    /**
     * @return the counts as aligned text, a block per POP.
     */
    public String toText()
    {
        final StringBuilder sb = new StringBuilder(512);
        sb.append(String.format("capture    %s (%s, %d packets), into %s of %s%n",
            capturePath, captureFormat, capturePackets, port, chain.get(0).name()));
        for (final PopStats pop : chain)
        {
            sb.append(String.format("pop %s (%d)%s%n", pop.name(), pop.id(), pop == last() ? "" : ", internal"));
            sb.append(String.format("  packets in %12d%n", pop.packetsIn()));
            sb.append(String.format("  forwarded  %12d%n", pop.forwarded()));
            sb.append(String.format("  consumed   %12d%n", pop.consumed()));
            sb.append(String.format("  dropped    %12d%n", pop.dropped()));
            for (final Map.Entry<String, Long> e : pop.drops().entrySet())
            {
                sb.append(String.format("    %-28s %12d%n", e.getKey(), e.getValue()));
            }
            sb.append(String.format("  generated  %12d%n", pop.generated()));
            for (final Map.Entry<String, Long> e : pop.out().entrySet())
            {
                sb.append(String.format("  out %-8s %10d%n", e.getKey(), e.getValue()));
            }
        }
        return sb.toString();
    }

    private static void appendMap(final StringBuilder sb, final Map<String, Long> map)
    {
        sb.append('{');
        boolean first = true;
        for (final Map.Entry<String, Long> e : map.entrySet())
        {
            sb.append(first ? "" : ",").append(quote(e.getKey())).append(':').append(e.getValue());
            first = false;
        }
        sb.append('}');
    }

    static String quote(final String value)
    {
        final StringBuilder sb = new StringBuilder(value.length() + 2).append('"');
        for (int i = 0; i < value.length(); i++)
        {
            final char c = value.charAt(i);
            if ('"' == c || '\\' == c)
            {
                sb.append('\\').append(c);
            }
            else if (c < 0x20)
            {
                sb.append(String.format("\\u%04x", (int)c));
            }
            else
            {
                sb.append(c);
            }
        }
        return sb.append('"').toString();
    }
}
