package eu.tessera.server.testsupport;

import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import jakarta.mail.Message;
import jakarta.mail.internet.MimeMessage;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The real SMTP server of the integration tests (GreenMail on a loopback port, one per JVM). Tests read the mails
 * sent to their own unique addresses; {@link #stop()} and {@link #start()} simulate an SMTP outage.
 */
public final class TestMail {

    private static TestMail instance;
    private final int port;
    private volatile GreenMail server;

    private TestMail(int port) {
        this.port = port;
        start();
    }

    public static synchronized TestMail get() {
        if (instance == null) {
            instance = new TestMail(PostgresAndPortInitializer.freePort());
        }
        return instance;
    }

    /** Properties that point the server at this SMTP server and make the outbox fast. */
    public Map<String, Object> properties() {
        return Map.of("spring.mail.host", "127.0.0.1", "spring.mail.port", port,
                "tessera.mail.enabled", "true", "tessera.mail.from", "tessera@example.org",
                "tessera.mail.poll-interval", "300ms", "tessera.mail.retry-base", "200ms",
                "tessera.mail.retry-max", "1s");
    }

    public synchronized void start() {
        server = new GreenMail(new ServerSetup(port, "127.0.0.1", ServerSetup.PROTOCOL_SMTP));
        server.start();
    }

    public synchronized void stop() {
        server.stop();
    }

    /** Mails received (since the last start) for an address. */
    public List<MimeMessage> to(String address) {
        return Arrays.stream(server.getReceivedMessages()).filter(message -> {
            try {
                return Arrays.stream(message.getRecipients(Message.RecipientType.TO))
                        .anyMatch(a -> a.toString().equalsIgnoreCase(address));
            } catch (Exception e) {
                return false;
            }
        }).toList();
    }

    /** Waits up to 20 s until {@code count} mails reached the address; returns them. */
    public List<MimeMessage> await(String address, int count) {
        Instant end = Instant.now().plus(Duration.ofSeconds(20));
        while (Instant.now().isBefore(end)) {
            List<MimeMessage> mails = to(address);
            if (mails.size() >= count) {
                return mails;
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        throw new AssertionError("expected " + count + " mail(s) to " + address + ", got " + to(address).size());
    }

    /** Waits up to 20 s for a mail to the address whose body contains {@code text}. */
    public MimeMessage awaitContaining(String address, String text) {
        Instant end = Instant.now().plus(Duration.ofSeconds(20));
        while (Instant.now().isBefore(end)) {
            for (MimeMessage message : to(address)) {
                if (body(message).contains(text)) {
                    return message;
                }
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        throw new AssertionError("no mail to " + address + " containing " + text);
    }

    public static String body(MimeMessage message) {
        try {
            return String.valueOf(message.getContent());
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    /** The first link in a mail starting with {@code prefix}. */
    public static String link(MimeMessage message, String prefix) {
        Matcher matcher = Pattern.compile(Pattern.quote(prefix) + "\\S+").matcher(body(message));
        if (!matcher.find()) {
            throw new AssertionError("no link " + prefix + " in: " + body(message));
        }
        return matcher.group();
    }
}
