package io.flyover.dataplane.protocol;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;

import java.util.Arrays;
import java.util.List;

/**
 * jqwik generators of random, valid packet descriptions. Each record turns into a fresh
 * {@link TestPacketBuilder}; the records are immutable so jqwik can shrink and print them.
 */
final class PacketSpecs
{
    static final int UDP = 0;
    static final int TCP = 1;
    static final int ECHO = 2;
    static final int ERROR = 3;

    record L2(boolean ethernet, int vlanTags, boolean serviceTag, int outerTci, int innerTci)
    {
    }

    record Ip4(int tos, int ttl, int identification, boolean dontFragment, int src, int dst, List<Integer> options)
    {
        byte[] optionBytes()
        {
            final byte[] bytes = new byte[40];
            int length = 0;
            for (final int optionLength : options)
            {
                if (length + optionLength > 40)
                {
                    break;
                }
                if (1 == optionLength)
                {
                    bytes[length] = Ipv4Flyweight.OPTION_NOP;
                }
                else
                {
                    bytes[length] = (byte)0x88; // stream id's type, any length will do for the parser
                    bytes[length + 1] = (byte)optionLength;
                }
                length += optionLength;
            }
            return Arrays.copyOf(bytes, length);
        }
    }

    record Ip6(
        int trafficClass, int flowLabel, int hopLimit, long srcHigh, long srcLow, long dstHigh, long dstLow,
        boolean hopByHop, List<Integer> extensionHeaders, int extensionHeaderLength)
    {
        int[] chain()
        {
            final int[] chain = new int[extensionHeaders.size() + (hopByHop ? 1 : 0)];
            int i = 0;
            if (hopByHop)
            {
                chain[i++] = IpProtocol.HOP_BY_HOP;
            }
            for (final int type : extensionHeaders)
            {
                chain[i++] = type;
            }
            return chain;
        }
    }

    record Tcp(
        int sequence, int acknowledgment, int flags, int window, int mss, boolean sackPermitted, boolean timestamps,
        int windowScale, boolean leadingNop)
    {
    }

    record L4(
        int kind, int srcPort, int dstPort, Tcp tcp, boolean echoReply, int icmpRest, int quoteExtra,
        boolean innerTcp, boolean innerFirstFragment, byte[] payload)
    {
        public String toString()
        {
            return "L4[kind=" + kind + ", ports=" + srcPort + "/" + dstPort + ", tcp=" + tcp + ", echoReply=" +
                echoReply + ", icmpRest=" + Integer.toHexString(icmpRest) + ", quoteExtra=" + quoteExtra +
                ", innerTcp=" + innerTcp + ", innerFirstFragment=" + innerFirstFragment + ", payload=" + payload.length + " bytes]";
        }
    }

    record Spec(L2 l2, int ipVersion, Ip4 ip4, Ip6 ip6, L4 l4)
    {
        TestPacketBuilder builder()
        {
            final TestPacketBuilder builder = new TestPacketBuilder();
            builder.ethernet = l2.ethernet();
            builder.vlanTags = l2.vlanTags();
            builder.outerTpid = l2.serviceTag() ? EthernetFlyweight.TPID_8021AD : EthernetFlyweight.TPID_8021Q;
            builder.outerTci = l2.outerTci();
            builder.innerTci = l2.innerTci();

            builder.ipVersion = ipVersion;
            if (4 == ipVersion)
            {
                builder.tos = ip4.tos();
                builder.ttl = ip4.ttl();
                builder.identification = ip4.identification();
                builder.ipv4FlagsAndFragmentOffset = ip4.dontFragment() ? Ipv4Flyweight.FLAG_DONT_FRAGMENT : 0;
                builder.src4 = ip4.src();
                builder.dst4 = ip4.dst();
                builder.ipv4Options = ip4.optionBytes();
            }
            else
            {
                builder.tos = ip6.trafficClass();
                builder.flowLabel = ip6.flowLabel();
                builder.ttl = ip6.hopLimit();
                builder.src6High = ip6.srcHigh();
                builder.src6Low = ip6.srcLow();
                builder.dst6High = ip6.dstHigh();
                builder.dst6Low = ip6.dstLow();
                builder.extensionHeaders = ip6.chain();
                builder.extensionHeaderLength = ip6.extensionHeaderLength();
            }

            builder.srcPort = l4.srcPort();
            builder.dstPort = l4.dstPort();
            builder.payload = l4.payload();
            switch (l4.kind())
            {
                case UDP -> builder.protocol = IpProtocol.UDP;
                case TCP ->
                {
                    builder.protocol = IpProtocol.TCP;
                    builder.tcpSequence = l4.tcp().sequence();
                    builder.tcpAcknowledgment = l4.tcp().acknowledgment();
                    builder.tcpFlags = l4.tcp().flags();
                    builder.tcpWindow = l4.tcp().window();
                    builder.mss = l4.tcp().mss();
                    builder.sackPermitted = l4.tcp().sackPermitted();
                    builder.timestamps = l4.tcp().timestamps();
                    builder.windowScale = l4.tcp().windowScale();
                    builder.tcpLeadingNop = l4.tcp().leadingNop();
                }
                case ECHO ->
                {
                    builder.protocol = 4 == ipVersion ? IpProtocol.ICMP : IpProtocol.ICMPV6;
                    builder.icmpType = 4 == ipVersion ?
                        (l4.echoReply() ? Icmpv4Flyweight.TYPE_ECHO_REPLY : Icmpv4Flyweight.TYPE_ECHO_REQUEST) :
                        (l4.echoReply() ? Icmpv6Flyweight.TYPE_ECHO_REPLY : Icmpv6Flyweight.TYPE_ECHO_REQUEST);
                    builder.icmpRestOfHeader = l4.icmpRest();
                }
                default ->
                {
                    builder.protocol = 4 == ipVersion ? IpProtocol.ICMP : IpProtocol.ICMPV6;
                    builder.icmpType = 4 == ipVersion ?
                        Icmpv4Flyweight.TYPE_DESTINATION_UNREACHABLE : Icmpv6Flyweight.TYPE_PACKET_TOO_BIG;
                    builder.icmpCode = 4 == ipVersion ? Icmpv4Flyweight.CODE_FRAGMENTATION_NEEDED : 0;
                    builder.icmpRestOfHeader = 4 == ipVersion ? l4.icmpRest() & 0xFFFF : l4.icmpRest();
                    builder.quote = quote();
                }
            }
            return builder;
        }

        /**
         * The packet an ICMP error quotes: same IP version, the ports of this spec swapped (the original
         * went the other way), cut after its transport header's first 8 bytes plus {@code quoteExtra}.
         */
        byte[] quote()
        {
            final TestPacketBuilder inner = 4 == ipVersion ? TestPacketBuilder.udp4() : TestPacketBuilder.udp6();
            inner.ethernet = false;
            inner.protocol = l4.innerTcp() ? IpProtocol.TCP : IpProtocol.UDP;
            inner.srcPort = l4.dstPort();
            inner.dstPort = l4.srcPort();
            inner.payload = l4.payload();
            if (l4.innerFirstFragment())
            {
                inner.ipv4FlagsAndFragmentOffset = Ipv4Flyweight.FLAG_MORE_FRAGMENTS;
                inner.extensionHeaders = new int[]{ IpProtocol.IPV6_FRAGMENT };
                inner.ipv6MoreFragments = true;
            }
            final byte[] full = inner.build();
            return Arrays.copyOf(full, Math.min(full.length, inner.l4Offset + 8 + l4.quoteExtra()));
        }

        int expectedL3HeaderLength(final TestPacketBuilder builder)
        {
            if (4 == ipVersion)
            {
                return Ipv4Flyweight.MIN_HEADER_LENGTH + ((builder.ipv4Options.length + 3) & ~3);
            }

            int length = Ipv6Flyweight.HEADER_LENGTH;
            for (final int type : builder.extensionHeaders)
            {
                length += builder.extensionHeaderBytes(type);
            }
            return length;
        }
    }

    private PacketSpecs()
    {
    }

    static Arbitrary<Spec> specs()
    {
        return specs(Arbitraries.of(4, 6), Arbitraries.integers().between(UDP, ERROR));
    }

    /**
     * @param versions IP versions to draw from.
     * @param kinds    L4 kinds to draw from ({@link #UDP}, {@link #TCP}, {@link #ECHO}, {@link #ERROR}).
     * @return random packet descriptions of those versions and kinds.
     */
    static Arbitrary<Spec> specs(final Arbitrary<Integer> versions, final Arbitrary<Integer> kinds)
    {
        return Combinators.combine(l2(), versions, ip4(), ip6(), l4(kinds)).as(Spec::new);
    }

    static Arbitrary<L2> l2()
    {
        final Arbitrary<Integer> tci = Arbitraries.integers().between(0, 0xFFFF);
        return Combinators.combine(
            Arbitraries.of(true, false), Arbitraries.integers().between(0, 2), Arbitraries.of(true, false), tci, tci)
            .as(L2::new);
    }

    static Arbitrary<Ip4> ip4()
    {
        return Combinators.combine(
            Arbitraries.integers().between(0, 255),
            Arbitraries.integers().between(1, 255),
            Arbitraries.integers().between(0, 0xFFFF),
            Arbitraries.of(true, false),
            Arbitraries.integers(),
            Arbitraries.integers(),
            Arbitraries.integers().between(1, 12).list().ofMaxSize(8))
            .as(Ip4::new);
    }

    static Arbitrary<Ip6> ip6()
    {
        final Arbitrary<Long> word = Arbitraries.longs();
        final Arbitrary<List<Integer>> chain = Arbitraries.of(
                IpProtocol.IPV6_DESTINATION_OPTIONS, IpProtocol.IPV6_ROUTING, IpProtocol.IPV6_FRAGMENT, IpProtocol.AH)
            .list().ofMaxSize(PacketParser.MAX_IPV6_EXTENSION_HEADERS - 1);
        return Combinators.combine(
            Combinators.combine(
                Arbitraries.integers().between(0, 255),
                Arbitraries.integers().between(0, Ipv6Flyweight.FLOW_LABEL_MASK),
                Arbitraries.integers().between(0, 255)).as(List::of),
            Combinators.combine(word, word, word, word).as(List::of),
            Arbitraries.of(true, false),
            chain,
            Arbitraries.of(8, 16, 24, 32, 64))
            .as((header, addresses, hopByHop, extensionHeaders, extensionHeaderLength) -> new Ip6(
                header.get(0), header.get(1), header.get(2),
                addresses.get(0), addresses.get(1), addresses.get(2), addresses.get(3),
                hopByHop, extensionHeaders, extensionHeaderLength));
    }

    static Arbitrary<Tcp> tcp()
    {
        return Combinators.combine(
            Arbitraries.integers(),
            Arbitraries.integers(),
            Arbitraries.integers().between(0, 255),
            Arbitraries.integers().between(0, 0xFFFF),
            Arbitraries.oneOf(Arbitraries.just(-1), Arbitraries.integers().between(0, 0xFFFF)),
            Arbitraries.of(true, false),
            Arbitraries.of(true, false),
            Combinators.combine(Arbitraries.integers().between(-1, 14), Arbitraries.of(true, false)).as(TcpExtras::new))
            .as((sequence, acknowledgment, flags, window, mss, sack, timestamps, extras) -> new Tcp(
                sequence, acknowledgment, flags, window, mss, sack, timestamps, extras.windowScale(),
                extras.leadingNop()));
    }

    private record TcpExtras(int windowScale, boolean leadingNop)
    {
    }

    static Arbitrary<L4> l4(final Arbitrary<Integer> kinds)
    {
        final Arbitrary<Integer> port = Arbitraries.integers().between(0, 0xFFFF);
        return Combinators.combine(
            kinds,
            port,
            port,
            tcp(),
            Arbitraries.of(true, false),
            Arbitraries.integers(),
            Combinators.combine(
                Arbitraries.integers().between(0, 64), Arbitraries.of(true, false), Arbitraries.of(true, false))
                .as(Quote::new),
            Arbitraries.bytes().array(byte[].class).ofMaxSize(96))
            .as((kind, srcPort, dstPort, tcp, echoReply, icmpRest, quote, payload) -> new L4(
                kind, srcPort, dstPort, tcp, echoReply, icmpRest, quote.extra(), quote.innerTcp(),
                quote.innerFirstFragment(), payload));
    }

    private record Quote(int extra, boolean innerTcp, boolean innerFirstFragment)
    {
    }
}
