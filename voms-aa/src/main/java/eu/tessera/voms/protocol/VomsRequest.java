package eu.tessera.voms.protocol;

import eu.tessera.voms.VomsError;
import eu.tessera.voms.VomsException;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The query of a VOMS REST request, {@code GET /generate-ac?fqans=...&lifetime=...&targets=...&order=...}, as the
 * Java client (voms-proxy-init3: raw, unencoded {@code / = ,}, order merged into fqans, a trailing comma in
 * targets) and the C++ client (voms-proxy-init2: {@code order} parameter, {@code fqans=all}) send it.
 *
 * @param fqans    requested FQANs, {@code order} ones first, without duplicates or empties
 * @param lifetime requested AC lifetime; empty for the server default
 * @param targets  target host names, empty for none
 * @param unknown  names of parameters the server does not know (answered with a warning)
 */
public record VomsRequest(List<String> fqans, Optional<Duration> lifetime, List<String> targets, List<String> unknown) {

    /** Longest value of {@code fqans}, {@code targets} or {@code order}, as INDIGO IAM limits it. */
    public static final int MAX_VALUE_LENGTH = 512;
    /** Longest query accepted. */
    public static final int MAX_QUERY_LENGTH = 4096;

    public VomsRequest {
        fqans = List.copyOf(fqans);
        targets = List.copyOf(targets);
        unknown = List.copyOf(unknown);
    }

    /**
     * Parses a raw query string (percent-encoding is decoded where present; {@code +} is literal).
     *
     * @throws VomsException BadRequest naming the malformed parameter
     */
    public static VomsRequest parse(String query) throws VomsException {
        List<String> fqans = new ArrayList<>();
        List<String> order = new ArrayList<>();
        List<String> targets = new ArrayList<>();
        List<String> unknown = new ArrayList<>();
        Optional<Duration> lifetime = Optional.empty();
        if (query != null && query.length() > MAX_QUERY_LENGTH) {
            throw bad("The request is longer than " + MAX_QUERY_LENGTH + " characters.");
        }
        if (query != null && !query.isEmpty()) {
            for (String pair : query.split("&")) {
                if (pair.isEmpty()) {
                    continue;
                }
                int eq = pair.indexOf('=');
                String name = decode(eq < 0 ? pair : pair.substring(0, eq));
                String value = eq < 0 ? "" : decode(pair.substring(eq + 1));
                switch (name) {
                    case "fqans" -> fqans.addAll(list(name, value));
                    case "order" -> order.addAll(list(name, value));
                    case "targets" -> targets.addAll(list(name, value));
                    case "lifetime" -> {
                        if (lifetime.isPresent()) {
                            throw bad("lifetime given twice.");
                        }
                        lifetime = Optional.of(lifetime(value));
                    }
                    default -> unknown.add(name.length() > 64 ? name.substring(0, 64) : name);
                }
            }
        }
        Set<String> ordered = new LinkedHashSet<>(order);
        ordered.addAll(fqans);
        return new VomsRequest(new ArrayList<>(ordered), lifetime, targets, unknown);
    }

    private static List<String> list(String name, String value) throws VomsException {
        if (value.length() > MAX_VALUE_LENGTH) {
            throw bad(name + " is longer than " + MAX_VALUE_LENGTH + " characters.");
        }
        List<String> out = new ArrayList<>();
        for (String item : value.split(",")) {
            String trimmed = item.strip();
            if (!trimmed.isEmpty() && !out.contains(trimmed)) {
                out.add(trimmed);
            }
        }
        return out;
    }

    private static Duration lifetime(String value) throws VomsException {
        try {
            long seconds = Long.parseLong(value.strip());
            if (seconds <= 0) {
                throw bad("lifetime must be a positive number of seconds, not " + seconds + ".");
            }
            return Duration.ofSeconds(seconds);
        } catch (NumberFormatException e) {
            throw bad("lifetime must be a positive number of seconds.");
        }
    }

    private static String decode(String raw) throws VomsException {
        if (raw.indexOf('%') < 0) {
            return raw;
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (int i = 0; i < raw.length(); i++) {
            char c = raw.charAt(i);
            if (c == '%') {
                if (i + 2 >= raw.length()) {
                    throw bad("Malformed percent-encoding in the query.");
                }
                int hi = Character.digit(raw.charAt(i + 1), 16);
                int lo = Character.digit(raw.charAt(i + 2), 16);
                if (hi < 0 || lo < 0) {
                    throw bad("Malformed percent-encoding in the query.");
                }
                out.write(hi * 16 + lo);
                i += 2;
            } else {
                byte[] bytes = String.valueOf(c).getBytes(StandardCharsets.UTF_8);
                out.write(bytes, 0, bytes.length);
            }
        }
        return out.toString(StandardCharsets.UTF_8);
    }

    private static VomsException bad(String message) {
        return new VomsException(VomsError.BadRequest, message);
    }

    /** The query string a client sends for this request (Java client style: FQANs in order, nothing encoded). */
    public String toQueryString() {
        StringBuilder out = new StringBuilder();
        if (!fqans.isEmpty()) {
            out.append("fqans=").append(String.join(",", fqans));
        }
        lifetime.ifPresent(l -> out.append(out.isEmpty() ? "" : "&").append("lifetime=").append(l.toSeconds()));
        if (!targets.isEmpty()) {
            out.append(out.isEmpty() ? "" : "&").append("targets=").append(String.join(",", targets));
        }
        return out.toString();
    }
}
