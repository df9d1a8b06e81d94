package io.flyover.dataplane.engine;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.flyover.dataplane.flow.FlowKey;
import io.flyover.dataplane.flow.FlowKind;
import io.flyover.dataplane.flow.FlowState;
import io.flyover.dataplane.flow.FlowTable;
import io.flyover.dataplane.protocol.IpProtocol;
import io.flyover.dataplane.protocol.TcpFlyweight;

import static io.flyover.dataplane.engine.PipelineFuzzFixture.BACKEND_1;
import static io.flyover.dataplane.engine.PipelineFuzzFixture.BACKEND_TCP_PORT;
import static io.flyover.dataplane.engine.PipelineFuzzFixture.C;
import static io.flyover.dataplane.engine.PipelineFuzzFixture.CLIENT;
import static io.flyover.dataplane.engine.PipelineFuzzFixture.CLIENT_TCP_PORT;
import static io.flyover.dataplane.engine.PipelineFuzzFixture.HEADROOM;
import static io.flyover.dataplane.engine.PipelineFuzzFixture.VIP;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The egress POP's two entries of a TCP flow leave the embryonic state together when the client
 * completes the handshake: the reverse entry (backend → client) is the one a SYN flood would
 * otherwise evict before the backend sends its first packet without SYN (found by
 * {@code SynFloodTest}: replies of established flows were dropped as {@code no_reverse_flow}).
 */
class EgressReverseEntryTest
{
    private final PipelineFuzzFixture fixture = new PipelineFuzzFixture();
    private final FlowKey key = new FlowKey();

    @BeforeEach
    void open()
    {
        fixture.reset(); // the SYN of client:40000 → VIP:80 reached C: forward and reverse entries, embryonic
    }

    private int state(final int kind)
    {
        final FlowTable flows = fixture.flows(C);
        if (FlowKind.EGRESS_REVERSE == kind)
        {
            key.ipv4(kind, IpProtocol.TCP, BACKEND_1, BACKEND_TCP_PORT, CLIENT, CLIENT_TCP_PORT);
        }
        else
        {
            key.ipv4(kind, IpProtocol.TCP, CLIENT, CLIENT_TCP_PORT, VIP, 80);
        }
        final int entry = flows.lookup(key, flows.hash(key));
        return entry < 0 ? FlowState.NONE : flows.state(entry);
    }

    private int clientAck()
    {
        final int length = fixture.tunnelToEgress(
            TrafficSamples.tcp4(CLIENT, CLIENT_TCP_PORT, VIP, 80, TcpFlyweight.FLAG_ACK, 0, 0));
        return fixture.pipeline(C).onBackbone(fixture.work(), HEADROOM, length, fixture.nowNs());
    }

    @Test
    void shouldEstablishTheReverseEntryWhenTheClientCompletesTheHandshake()
    {
        assertEquals(FlowState.TCP_EMBRYONIC, state(FlowKind.EGRESS_FORWARD));
        assertEquals(FlowState.TCP_EMBRYONIC, state(FlowKind.EGRESS_REVERSE));

        assertEquals(Pipeline.TO_ORIGIN, clientAck());

        assertEquals(FlowState.TCP_ESTABLISHED, state(FlowKind.EGRESS_FORWARD));
        assertEquals(FlowState.TCP_ESTABLISHED, state(FlowKind.EGRESS_REVERSE));
    }

    @Test
    void shouldEstablishTheReverseEntryWhenAnEvictedForwardEntryReturnsEstablished()
    {
        final FlowTable flows = fixture.flows(C);
        key.ipv4(FlowKind.EGRESS_FORWARD, IpProtocol.TCP, CLIENT, CLIENT_TCP_PORT, VIP, 80);
        assertTrue(flows.remove(key, flows.hash(key)), "forward entry gone, as if evicted");

        assertEquals(Pipeline.TO_ORIGIN, clientAck());

        assertEquals(FlowState.TCP_ESTABLISHED, state(FlowKind.EGRESS_FORWARD));
        assertEquals(FlowState.TCP_ESTABLISHED, state(FlowKind.EGRESS_REVERSE));
    }

    @Test
    void shouldLeaveTheReverseEntryEmbryonicWhileTheHandshakeIsOpen()
    {
        final int length = fixture.tunnelToEgress(
            TrafficSamples.tcp4(CLIENT, CLIENT_TCP_PORT, VIP, 80, TcpFlyweight.FLAG_SYN, 0, 0));
        assertEquals(Pipeline.TO_ORIGIN, fixture.pipeline(C).onBackbone(fixture.work(), HEADROOM, length, fixture.nowNs()));
        assertEquals(FlowState.TCP_EMBRYONIC, state(FlowKind.EGRESS_REVERSE), "a repeated SYN proves nothing");
    }
}
