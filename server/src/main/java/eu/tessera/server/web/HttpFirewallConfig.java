package eu.tessera.server.web;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.security.web.firewall.HttpFirewall;
import org.springframework.security.web.firewall.StrictHttpFirewall;

/**
 * Spring Security's strict firewall with the same character rules, checked without regular expressions.
 * StrictHttpFirewall checks every header name and value and every parameter name each time it is read against
 * {@code [\p{IsAssigned}&&[^\p{IsControl}]]*} (values: tab allowed too); on the refresh grant that was 9% of the
 * server's CPU (bench/refresh.sh, JFR), as filters read the same headers again and again. The predicates here
 * accept exactly the same strings (HttpFirewallConfigTests compares them with those patterns).
 */
@Configuration(proxyBeanMethods = false)
public class HttpFirewallConfig {

    @Bean
    public HttpFirewall httpFirewall() {
        StrictHttpFirewall firewall = new StrictHttpFirewall();
        firewall.setAllowedHeaderNames(value -> assignedAndNotControl(value, false));
        firewall.setAllowedHeaderValues(value -> assignedAndNotControl(value, true));
        firewall.setAllowedParameterNames(value -> assignedAndNotControl(value, false));
        return firewall;
    }

    /** Every code point assigned in Unicode and not a control character (tab allowed when {@code tab}). */
    static boolean assignedAndNotControl(String value, boolean tab) {
        for (int i = 0; i < value.length(); ) {
            char c = value.charAt(i);
            if (c >= 0x20 && c < 0x7f) {
                i++;   // printable ASCII: the common case
                continue;
            }
            int codePoint = value.codePointAt(i);
            if (!Character.isDefined(codePoint) || Character.isISOControl(codePoint) && !(tab && codePoint == '\t')) {
                return false;
            }
            i += Character.charCount(codePoint);
        }
        return true;
    }
}
