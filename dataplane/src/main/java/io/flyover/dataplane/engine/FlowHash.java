package io.flyover.dataplane.engine;

/**
 * The keyed flow hash every POP computes the same way: the ingress POP picks a route bucket with
 * it and the egress POP picks a backend with it, so a client whose anycast catchment moves still
 * reaches the same backend. The key is shared by all POPs of a deployment (configuration), which
 * keeps outsiders from aiming flows at one bucket without knowing it. Stateless; any thread.
 * <p>
 * The hash is a multiply-rotate mix of 64-bit words with a strong final avalanche. It is not a
 * MAC: tunnel integrity is the SipHash tag's job.
 */
public final class FlowHash
{
    private static final long P1 = 0x9E3779B185EBCA87L;
    private static final long P2 = 0xC2B2AE3D27D4EB4FL;
    private static final long P3 = 0x165667B19E3779F9L;

    private FlowHash()
    {
    }

    private static long mix(final long accumulator, final long word)
    {
        return Long.rotateLeft(accumulator ^ (word * P1), 31) * P2;
    }

    private static long avalanche(final long value)
    {
        long h = value;
        h ^= h >>> 33;
        h *= P2;
        h ^= h >>> 29;
        h *= P3;
        h ^= h >>> 32;
        return h;
    }

    private static long portsAndProtocol(final int clientPort, final int vipPort, final int protocol)
    {
        return ((long)(clientPort & 0xFFFF) << 32) | ((long)(vipPort & 0xFFFF) << 16) | (protocol & 0xFF);
    }

    /**
     * Hash of an IPv4 flow, named from the client's side.
     *
     * @param key        the deployment's flow-hash key.
     * @param client     client address.
     * @param clientPort client port (ICMP: echo identifier).
     * @param vip        VIP address.
     * @param vipPort    VIP port (ICMP: 0).
     * @param protocol   IP protocol number.
     * @return the hash.
     */
    public static long ipv4(
        final long key, final int client, final int clientPort, final int vip, final int vipPort, final int protocol)
    {
        long h = key ^ P3;
        h = mix(h, ((long)client << 32) | (vip & 0xFFFF_FFFFL));
        h = mix(h, portsAndProtocol(clientPort, vipPort, protocol));
        return avalanche(h);
    }

    /**
     * Hash of an IPv6 flow, named from the client's side.
     *
     * @param key        the deployment's flow-hash key.
     * @param clientHigh client address, first 8 bytes.
     * @param clientLow  client address, last 8 bytes.
     * @param clientPort client port (ICMP: echo identifier).
     * @param vipHigh    VIP address, first 8 bytes.
     * @param vipLow     VIP address, last 8 bytes.
     * @param vipPort    VIP port (ICMP: 0).
     * @param protocol   IP protocol number.
     * @return the hash.
     */
    public static long ipv6(
        final long key,
        final long clientHigh,
        final long clientLow,
        final int clientPort,
        final long vipHigh,
        final long vipLow,
        final int vipPort,
        final int protocol)
    {
        long h = key ^ P1;
        h = mix(h, clientHigh);
        h = mix(h, clientLow);
        h = mix(h, vipHigh);
        h = mix(h, vipLow);
        h = mix(h, portsAndProtocol(clientPort, vipPort, protocol));
        return avalanche(h);
    }

    /**
     * Shard of a flow: a hash of the client's address, port and protocol only, which NAT never
     * changes, so both directions of a flow meet one worker.
     *
     * @param key        the engine's shard key.
     * @param clientHigh client address, first 8 bytes (IPv4: 0).
     * @param clientLow  client address, last 8 bytes (IPv4: the address).
     * @param clientPort client port (ICMP: echo identifier).
     * @param protocol   IP protocol number.
     * @param shardCount number of worker shards, at least 1.
     * @return the shard, {@code 0..shardCount-1}.
     */
    public static int shard(
        final long key,
        final long clientHigh,
        final long clientLow,
        final int clientPort,
        final int protocol,
        final int shardCount)
    {
        long h = key ^ P2;
        h = mix(h, clientHigh);
        h = mix(h, clientLow);
        h = mix(h, portsAndProtocol(clientPort, 0, protocol));
        return (int)(((avalanche(h) >>> 32) * shardCount) >>> 32);
    }
}
