package eu.tessera.server.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Random;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.security.web.firewall.FirewalledRequest;
import org.springframework.security.web.firewall.RequestRejectedException;

class HttpFirewallConfigTests {

    /** StrictHttpFirewall's own patterns (spring-security-web 7.0). */
    private static final Pattern NAMES = Pattern.compile("[\\p{IsAssigned}&&[^\\p{IsControl}]]*");
    private static final Pattern VALUES = Pattern.compile("[\\p{IsAssigned}&&[[^\\p{IsControl}]||\\t]]*");

    @Test
    void predicatesWhenGivenAnyStringThenAgreeWithStrictHttpFirewallsPatterns() {
        String[] samples = {"", "Basic ZGVtbzpzZWNyZXQ=", "a\tb", "a\u0000b", "\u007f", "\u0085", "\u00a0caf\u00e9",
            "\u0378", "\ud83d\ude00", "\ud83d", "x\ude00", "\u2028", "\ufeff", "\uffff", "\r\n", "\u001b[31m"};
        for (String sample : samples) {
            assertThat(HttpFirewallConfig.assignedAndNotControl(sample, false)).as(sample)
                    .isEqualTo(NAMES.matcher(sample).matches());
            assertThat(HttpFirewallConfig.assignedAndNotControl(sample, true)).as(sample)
                    .isEqualTo(VALUES.matcher(sample).matches());
        }
        Random random = new Random(16);
        int rejected = 0;
        for (int n = 0; n < 100_000; n++) {
            StringBuilder value = new StringBuilder();
            for (int i = random.nextInt(6); i >= 0; i--) {
                switch (random.nextInt(4)) {
                    case 0 -> value.append((char) (0x20 + random.nextInt(0x5f)));
                    case 1 -> value.append((char) random.nextInt(0x100));
                    case 2 -> value.append((char) random.nextInt(0x10000));   // unpaired surrogates too
                    default -> value.appendCodePoint(random.nextInt(Character.MAX_CODE_POINT + 1));
                }
            }
            String sample = value.toString();
            boolean names = NAMES.matcher(sample).matches();
            assertThat(HttpFirewallConfig.assignedAndNotControl(sample, false)).as(sample).isEqualTo(names);
            assertThat(HttpFirewallConfig.assignedAndNotControl(sample, true)).as(sample)
                    .isEqualTo(VALUES.matcher(sample).matches());
            rejected += names ? 0 : 1;
        }
        assertThat(rejected).isBetween(10_000, 90_000);   // both outcomes well covered
    }

    @Test
    void firewallWhenHeaderOrParameterNameHasControlCharacterThenRequestRejected() {
        MockHttpServletRequest request = new MockHttpServletRequest("POST", "/token");
        request.addHeader("Authorization", "Basic abc\u0007");
        request.addHeader("X-Ok", "tab\tseparated");
        request.addParameter("grant\u0000type", "client_credentials");
        FirewalledRequest firewalled = new HttpFirewallConfig().httpFirewall().getFirewalledRequest(request);
        assertThat(firewalled.getHeader("X-Ok")).isEqualTo("tab\tseparated");
        assertThatThrownBy(() -> firewalled.getHeader("Authorization")).isInstanceOf(RequestRejectedException.class);
        assertThatThrownBy(() -> firewalled.getParameterMap()).isInstanceOf(RequestRejectedException.class);
    }
}
