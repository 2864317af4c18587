package eu.tessera.server.migration;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What an import did (or, in a dry run, would do): per kind of thing, how many were created, updated, unchanged and
 * refused, a few examples of each, and every refusal with its reason.
 */
public class ImportReport {

    /** A refusal: what, which one, why. */
    public record Refusal(String kind, String key, String reason) {
    }

    private static final int SAMPLES = 5;

    private final String source;
    private final boolean dryRun;
    private final Instant started;
    private final Map<String, Map<String, Integer>> counts = new LinkedHashMap<>();
    private final Map<String, Map<String, List<String>>> samples = new LinkedHashMap<>();
    private final List<Refusal> refused = new ArrayList<>();
    private Instant finished;
    private final Map<String, String> secrets = new LinkedHashMap<>();

    /** A client secret generated because the source could not give it: in the JSON report only, never printed. */
    public synchronized void secret(String clientId, String secret) {
        secrets.put(clientId, secret);
    }

    public synchronized Map<String, String> secrets() {
        return Map.copyOf(secrets);
    }

    public ImportReport(String source, boolean dryRun, Instant started) {
        this.source = source;
        this.dryRun = dryRun;
        this.started = started;
    }

    public synchronized void count(String kind, String outcome, String key) {
        counts.computeIfAbsent(kind, k -> new LinkedHashMap<>()).merge(outcome, 1, Integer::sum);
        List<String> list = samples.computeIfAbsent(kind, k -> new LinkedHashMap<>())
                .computeIfAbsent(outcome, k -> new ArrayList<>());
        if (list.size() < SAMPLES) {
            list.add(key);
        }
    }

    public void created(String kind, String key) {
        count(kind, "created", key);
    }

    public void updated(String kind, String key) {
        count(kind, "updated", key);
    }

    public void unchanged(String kind, String key) {
        count(kind, "unchanged", key);
    }

    public void removed(String kind, String key) {
        count(kind, "removed", key);
    }

    public synchronized void refused(String kind, String key, String reason) {
        count(kind, "refused", key);
        refused.add(new Refusal(kind, key, reason));
    }

    public synchronized int count(String kind, String outcome) {
        return counts.getOrDefault(kind, Map.of()).getOrDefault(outcome, 0);
    }

    /** How many things were written (created, updated or removed) over all kinds. */
    public synchronized int writes() {
        return counts.values().stream().mapToInt(m -> m.getOrDefault("created", 0) + m.getOrDefault("updated", 0)
                + m.getOrDefault("removed", 0)).sum();
    }

    public List<Refusal> refusals() {
        return List.copyOf(refused);
    }

    public void finish(Instant at) {
        this.finished = at;
    }

    /** The report as JSON-friendly maps. */
    public synchronized Map<String, Object> json() {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("source", source);
        out.put("dryRun", dryRun);
        out.put("started", started.toString());
        out.put("finished", finished == null ? null : finished.toString());
        out.put("writes", writes());
        out.put("counts", counts);
        out.put("samples", samples);
        List<Map<String, String>> refusals = new ArrayList<>();
        refused.forEach(r -> refusals.add(Map.of("kind", r.kind(), "key", r.key(), "reason", r.reason())));
        out.put("refused", refusals);
        out.put("newClientSecrets", secrets);
        return out;
    }

    /** A summary for the terminal: one line per kind, then the refusals. */
    public synchronized String summary() {
        StringBuilder text = new StringBuilder(dryRun ? "Dry run (nothing written) of the import from "
                : "Import from ").append(source).append('\n');
        counts.forEach((kind, outcomes) -> {
            text.append(String.format("  %-13s", kind));
            outcomes.forEach((outcome, n) -> text.append(' ').append(outcome).append(' ').append(n));
            List<String> created = samples.getOrDefault(kind, Map.of()).get("created");
            if (dryRun && created != null) {
                text.append("  e.g. ").append(String.join(", ", created));
            }
            text.append('\n');
        });
        refused.forEach(r -> text.append("  refused ").append(r.kind()).append(' ').append(r.key()).append(": ")
                .append(r.reason()).append('\n'));
        if (!secrets.isEmpty()) {
            text.append("  ").append(secrets.size()).append(" client(s) got a new secret (the source did not give "
                    + "theirs): see newClientSecrets in the report and give each to its client's owner\n");
        }
        return text.toString();
    }
}
