#!/usr/bin/env python3
"""Independent encoder of the golden packets in GoldenPackets.java.

A deliberately naive, separate implementation of the headers and of the RFC 1071 checksum, sharing no
code with Flyover's Java codecs. It prints one "NAME hex" line per packet; --pcap FILE also writes them
(IP packets wrapped in Ethernet) to a pcap for checking with Wireshark's dissectors, e.g.

    python3 golden_packets.py --pcap /tmp/golden.pcap
    tshark -r /tmp/golden.pcap -o ip.check_checksum:TRUE -o udp.check_checksum:TRUE \
        -o tcp.check_checksum:TRUE -T fields -e frame.number -e ip.checksum.status \
        -e udp.checksum.status -e tcp.checksum.status -e icmp.checksum.status -e icmpv6.checksum.status

(status 1 = Good). Quoted, truncated inner headers of ICMP errors may show as unverified or bad:
their checksums cover bytes the quote leaves out.
"""
import ipaddress
import struct
import sys
def csum(data):
    if len(data) % 2: data += b'\0'
    s = sum(struct.unpack('!%dH' % (len(data)//2), data))
    while s >> 16: s = (s & 0xffff) + (s >> 16)
    return (~s) & 0xffff
def ip4(src, dst, proto, payload, ident=0x1c46, flags=0x4000, ttl=64, tos=0, options=b''):
    ihl = 5 + len(options)//4
    h = struct.pack('!BBHHHBBH4s4s', 0x40|ihl, tos, ihl*4+len(payload), ident, flags, ttl, proto, 0,
                    ipaddress.IPv4Address(src).packed, ipaddress.IPv4Address(dst).packed) + options
    c = csum(h)
    return h[:10] + struct.pack('!H', c) + h[12:] + payload
def pseudo4(src, dst, proto, ln):
    return ipaddress.IPv4Address(src).packed + ipaddress.IPv4Address(dst).packed + struct.pack('!BBH', 0, proto, ln)
def pseudo6(src, dst, proto, ln):
    return ipaddress.IPv6Address(src).packed + ipaddress.IPv6Address(dst).packed + struct.pack('!IxxxB', ln, proto)
def udp(sport, dport, payload, pseudo):
    h = struct.pack('!HHHH', sport, dport, 8+len(payload), 0) + payload
    c = csum(pseudo(8+len(payload)) + h)
    if c == 0: c = 0xffff
    return h[:6] + struct.pack('!H', c) + h[8:]
def tcp(sport, dport, seq, ack, flags, win, options, payload, pseudo):
    off = (20+len(options))//4
    h = struct.pack('!HHIIBBHHH', sport, dport, seq, ack, off<<4, flags, win, 0, 0) + options + payload
    c = csum(pseudo(len(h)) + h)
    return h[:16] + struct.pack('!H', c) + h[18:]
def icmp4(t, code, rest, payload):
    h = struct.pack('!BBHI', t, code, 0, rest) + payload
    return h[:2] + struct.pack('!H', csum(h)) + h[4:]
def icmp6(t, code, rest, payload, src, dst):
    h = struct.pack('!BBHI', t, code, 0, rest) + payload
    c = csum(pseudo6(src, dst, 58, len(h)) + h)
    return h[:2] + struct.pack('!H', c) + h[4:]
def ip6(src, dst, nh, payload, tc=0, flow=0x12345, hop=64):
    return struct.pack('!IHBB', (6<<28)|(tc<<20)|flow, len(payload), nh, hop) + ipaddress.IPv6Address(src).packed + ipaddress.IPv6Address(dst).packed + payload
def eth(payload, etype, tags=()):
    h = bytes.fromhex('020000000001') + bytes.fromhex('020000000002')
    for tpid, tci in tags: h += struct.pack('!HH', tpid, tci)
    return h + struct.pack('!H', etype) + payload

out = {}
S4, D4 = '192.168.0.1', '192.168.0.199'
u = udp(12345, 53, b'flyover!', lambda n: pseudo4(S4, D4, 17, n))
out['IPV4_UDP'] = ip4(S4, D4, 17, u)
tcpopts = bytes.fromhex('020405b4') + bytes.fromhex('0402') + bytes.fromhex('080a') + struct.pack('!II', 0x01020304, 0) + bytes.fromhex('01') + bytes.fromhex('030307')
t = tcp(40000, 443, 0x11223344, 0, 0x02, 64240, tcpopts, b'', lambda n: pseudo4('10.0.0.1', '10.0.0.2', 6, n))
out['IPV4_TCP_SYN'] = ip4('10.0.0.1', '10.0.0.2', 6, t, ident=0xbeef)
out['IPV4_ICMP_ECHO'] = ip4('10.0.0.1', '10.0.0.2', 1, icmp4(8, 0, 0x12340001, b'abcdefgh'), ident=0x0102, flags=0)
quoted = out['IPV4_UDP'][:28]
out['IPV4_ICMP_FRAG_NEEDED'] = ip4('192.0.2.1', S4, 1, icmp4(3, 4, 1400, quoted), ident=0x0001, flags=0, ttl=255, tos=0xc0)
opts = bytes.fromhex('01') + bytes.fromhex('0707') + b'\x04' + b'\0'*4 + bytes.fromhex('00')  # NOP, record route (len 7, ptr 4), EOL -> 9 bytes, pad to 12
opts += b'\0' * (12 - len(opts))
u2 = udp(5000, 6081, b'geneve..', lambda n: pseudo4('10.1.0.1', '10.2.0.1', 17, n))
out['IPV4_OPTIONS_UDP'] = ip4('10.1.0.1', '10.2.0.1', 17, u2, ident=0x4242, flags=0, options=opts)
S6, D6 = '2001:db8::1', '2001:db8::2'
u6 = udp(12345, 53, b'flyover!', lambda n: pseudo6(S6, D6, 17, n))
out['IPV6_UDP'] = ip6(S6, D6, 17, u6)
t6 = tcp(40000, 443, 0x11223344, 0, 0x02, 64240, bytes.fromhex('020405a0') + bytes.fromhex('01010402'), b'', lambda n: pseudo6(S6, D6, 6, n))
hbh = bytes([60, 0, 1, 4, 0, 0, 0, 0])         # next=dest opts, len 0, PadN(4)
dst = bytes([43, 0, 1, 4, 0, 0, 0, 0])         # next=routing
rt = bytes([44, 0, 253, 0, 0, 0, 0, 0])          # next=fragment, routing type 4 (SRH-shaped, but just header), segments left 0
frag = bytes([6, 0, 0, 0]) + struct.pack('!I', 0xcafebabe)   # atomic fragment
out['IPV6_EXT_TCP'] = ip6(S6, D6, 0, hbh + dst + rt + frag + t6)
out['IPV6_ICMPV6_ECHO'] = ip6(S6, D6, 58, icmp6(128, 0, 0x12340001, b'abcdefgh', S6, D6))
q6 = ip6(S6, D6, 6, t6)[:40+20]
out['IPV6_ICMPV6_PTB'] = ip6('2001:db8::ff', S6, 58, icmp6(2, 0, 1280, q6, '2001:db8::ff', S6), flow=0)
ah = bytes([17, 4, 0, 0]) + struct.pack('!II', 0x00000100, 7) + b'\0'*12   # AH payload len 4 -> (4+2)*4 = 24 bytes
out['IPV6_AH_UDP'] = ip6(S6, D6, 51, ah + u6)
out['ETH_IPV4_UDP'] = eth(out['IPV4_UDP'], 0x0800)
out['ETH_DOT1Q_IPV4_UDP'] = eth(out['IPV4_UDP'], 0x0800, [(0x8100, (5<<13)|100)])
out['ETH_QINQ_IPV6_UDP'] = eth(out['IPV6_UDP'], 0x86dd, [(0x88a8, (3<<13)|0x1000|200), (0x8100, 300)])

if __name__ == '__main__':
    for name, packet in out.items():
        print(name, packet.hex())
    if len(sys.argv) == 3 and sys.argv[1] == '--pcap':
        with open(sys.argv[2], 'wb') as f:
            f.write(struct.pack('<IHHiIII', 0xa1b2c3d4, 2, 4, 0, 0, 65535, 1))
            for name, packet in out.items():
                if not name.startswith('ETH'):
                    packet = bytes.fromhex('020000000001020000000002') + \
                        (b'\x08\x00' if packet[0] >> 4 == 4 else b'\x86\xdd') + packet
                f.write(struct.pack('<IIII', 0, 0, len(packet), len(packet)) + packet)
