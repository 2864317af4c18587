package eu.tessera.server.voms;

import eu.tessera.voms.AttributeAuthority;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.BiFunction;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * The VOs Tessera's AA serves: the default one ({@code tessera.voms.vo}), those with a port of their own
 * ({@code tessera.voms.vo-ports}) and every top-level group a global admin marked as a VO (its name is the VO name,
 * the root of its FQANs: VOMS FQANs start with the VO name, so a VO deeper in the tree is served through the VO above
 * it). One AA certificate signs for all; each VO's ACs carry {@code <vo>://host:<port>}, its port being its own or
 * the shared one. Read again after {@code tessera.tokens.client-cache-ttl}, so a newly marked VO is served within it.
 */
public class ServedVos implements AttributeAuthority.Vos {

    private static final Logger log = LoggerFactory.getLogger(ServedVos.class);
    /** What VOMS accepts as a VO name (the group-name part of an FQAN). */
    private static final Pattern VO_NAME = Pattern.compile("[A-Za-z0-9_.\\-]+");

    private final JdbcTemplate jdbc;
    private final Clock clock;
    private final String defaultVo;
    private final int sharedPort;
    private final Map<String, Integer> voPorts;
    private final Duration cacheTtl;
    private final BiFunction<String, String, Optional<Instant>> addenda;
    private volatile List<AttributeAuthority.Vo> cached;
    private volatile Instant cachedUntil = Instant.EPOCH;

    /**
     * @param sharedPort the port in the policy authority of VOs without their own (the advertised shared port)
     * @param addenda    (account id, VO group path) to when the account's signature of the VO's AUP addendum
     *                   stops counting, as {@link AttributeAuthority.Vos#addendumExpiry} describes
     */
    public ServedVos(JdbcTemplate jdbc, Clock clock, String defaultVo, int sharedPort, Map<String, Integer> voPorts,
            Duration cacheTtl, BiFunction<String, String, Optional<Instant>> addenda) {
        this.jdbc = jdbc;
        this.clock = clock;
        this.defaultVo = defaultVo;
        this.sharedPort = sharedPort;
        this.voPorts = Map.copyOf(voPorts);
        this.cacheTtl = cacheTtl;
        this.addenda = addenda;
    }

    @Override
    public List<AttributeAuthority.Vo> served() {
        Instant now = clock.instant();
        List<AttributeAuthority.Vo> vos = cached;
        if (vos == null || !cachedUntil.isAfter(now)) {
            vos = load();
            cached = vos;
            cachedUntil = now.plus(cacheTtl);
        }
        return vos;
    }

    private List<AttributeAuthority.Vo> load() {
        Map<String, AttributeAuthority.Vo> vos = new LinkedHashMap<>();
        vos.put(defaultVo, vo(defaultVo));
        voPorts.keySet().stream().sorted().forEach(name -> vos.put(name, vo(name)));
        List<String> marked = jdbc.queryForList("select g.name from vo v join vo_group g on g.id = v.group_id "
                + "where g.parent_id is null order by g.name", String.class);
        for (String name : marked) {
            if (!VO_NAME.matcher(name).matches()) {
                log.debug("The VO group /{} has no VOMS name (only letters, digits, '.', '_', '-')", name);
                continue;
            }
            vos.putIfAbsent(name, vo(name));
        }
        return List.copyOf(new ArrayList<>(vos.values()));
    }

    private AttributeAuthority.Vo vo(String name) {
        return new AttributeAuthority.Vo(name, voPorts.getOrDefault(name, sharedPort));
    }

    @Override
    public Optional<Instant> addendumExpiry(String accountId, String vo) {
        return addenda.apply(accountId, "/" + vo);
    }
}
