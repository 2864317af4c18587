package eu.tessera.server.voms;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;

/**
 * Addresses (IPs or CIDR blocks) of TLS-terminating proxies whose client-certificate headers are believed. Only
 * literal addresses are accepted, so that no DNS lookup decides trust.
 */
public final class TrustedProxies {

    private record Block(byte[] network, int prefix) {
    }

    private final List<Block> blocks;

    public TrustedProxies(List<String> entries) {
        List<Block> parsed = new ArrayList<>();
        for (String entry : entries) {
            String text = entry.strip();
            if (text.isEmpty()) {
                continue;
            }
            int slash = text.indexOf('/');
            byte[] address = literal(slash < 0 ? text : text.substring(0, slash), entry);
            int prefix = slash < 0 ? address.length * 8 : Integer.parseInt(text.substring(slash + 1));
            if (prefix < 0 || prefix > address.length * 8) {
                throw new IllegalArgumentException("tessera.voms.trusted-proxies: bad prefix in " + entry);
            }
            parsed.add(new Block(address, prefix));
        }
        this.blocks = List.copyOf(parsed);
    }

    /** Whether the request's remote address is a trusted proxy. */
    public boolean trusts(String remoteAddress) {
        if (blocks.isEmpty() || remoteAddress == null) {
            return false;
        }
        byte[] address;
        try {
            address = literal(remoteAddress, remoteAddress);
        } catch (IllegalArgumentException e) {
            return false;
        }
        for (Block block : blocks) {
            if (block.network().length == address.length && matches(block, address)) {
                return true;
            }
        }
        return false;
    }

    private static boolean matches(Block block, byte[] address) {
        int bits = block.prefix();
        for (int i = 0; i < address.length && bits > 0; i++, bits -= 8) {
            int mask = bits >= 8 ? 0xff : (0xff << (8 - bits)) & 0xff;
            if ((address[i] & mask) != (block.network()[i] & mask)) {
                return false;
            }
        }
        return true;
    }

    private static byte[] literal(String text, String entry) {
        if (!text.matches("[0-9.]+|[0-9a-fA-F:.]*:[0-9a-fA-F:.]*")) {
            throw new IllegalArgumentException("tessera.voms.trusted-proxies: not an IP address: " + entry);
        }
        try {
            return InetAddress.getByName(text).getAddress();
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("tessera.voms.trusted-proxies: not an IP address: " + entry);
        }
    }
}
