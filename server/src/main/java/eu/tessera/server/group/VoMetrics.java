package eu.tessera.server.group;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import java.util.List;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * Per-VO Prometheus gauges, refreshed every minute (VOs come and go at run time): {@code tessera_vo_members},
 * {@code tessera_vo_pending_registrations} and {@code tessera_vo_pending_group_requests}, labelled {@code vo} with
 * the VO's group path.
 */
@Component
public class VoMetrics {

    private final VoAdmins vos;
    private final MultiGauge members;
    private final MultiGauge registrations;
    private final MultiGauge requests;

    public VoMetrics(VoAdmins vos, ObjectProvider<MeterRegistry> meters) {
        this.vos = vos;
        MeterRegistry registry = meters.getIfAvailable();
        this.members = registry == null ? null : MultiGauge.builder("tessera.vo.members")
                .description("distinct members of the VO's groups").register(registry);
        this.registrations = registry == null ? null : MultiGauge.builder("tessera.vo.pending.registrations")
                .description("confirmed registrations waiting for the VO's admins").register(registry);
        this.requests = registry == null ? null : MultiGauge.builder("tessera.vo.pending.group.requests")
                .description("group requests waiting in the VO's groups").register(registry);
    }

    /** Reads every VO's figures into the gauges (VOs removed since the last refresh disappear). */
    @Scheduled(fixedDelayString = "PT1M", initialDelayString = "PT5S")
    public void refresh() {
        if (members == null) {
            return;
        }
        List<VoAdmins.Stats> stats = vos.stats();
        members.register(stats.stream().map(s -> MultiGauge.Row.of(Tags.of("vo", s.path()), s.members())).toList(),
                true);
        registrations.register(stats.stream().map(s -> MultiGauge.Row.of(Tags.of("vo", s.path()),
                s.pendingRegistrations())).toList(), true);
        requests.register(stats.stream().map(s -> MultiGauge.Row.of(Tags.of("vo", s.path()),
                s.pendingGroupRequests())).toList(), true);
    }
}
