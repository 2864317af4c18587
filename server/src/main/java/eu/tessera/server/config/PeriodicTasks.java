package eu.tessera.server.config;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ScheduledFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.scheduling.TaskScheduler;

/**
 * The scheduled jobs of one component (mail, lifecycle, sync, SAML metadata): each run with a fixed delay, a failed
 * run logged and the next one still coming, all cancelled together when the component stops.
 */
public final class PeriodicTasks {

    private static final Logger log = LoggerFactory.getLogger(PeriodicTasks.class);

    private final TaskScheduler scheduler;
    private final List<ScheduledFuture<?>> tasks = new CopyOnWriteArrayList<>();

    public PeriodicTasks(TaskScheduler scheduler) {
        this.scheduler = scheduler;
    }

    /** Runs {@code work} now and then every {@code delay} after each run ends. */
    public void every(String name, Duration delay, Runnable work) {
        tasks.add(scheduler.scheduleWithFixedDelay(guarded(name, work), delay));
    }

    /** Runs {@code work} first at {@code first}, then every {@code delay} after each run ends. */
    public void every(String name, Instant first, Duration delay, Runnable work) {
        tasks.add(scheduler.scheduleWithFixedDelay(guarded(name, work), first, delay));
    }

    private static Runnable guarded(String name, Runnable work) {
        return () -> {
            try {
                work.run();
            } catch (RuntimeException e) {
                log.warn("{} failed, retried at its next run: {}", name, e.getMessage());
            }
        };
    }

    public void cancelAll() {
        tasks.forEach(task -> task.cancel(false));
        tasks.clear();
    }

    public boolean running() {
        return !tasks.isEmpty();
    }
}
