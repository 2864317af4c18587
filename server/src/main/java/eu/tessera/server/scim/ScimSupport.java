package eu.tessera.server.scim;

import java.net.URI;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;

/** Shared SCIM shapes: media type, list responses, errors, ETags, paging limits. */
final class ScimSupport {

    static final MediaType SCIM = MediaType.parseMediaType("application/scim+json");
    static final String LIST = "urn:ietf:params:scim:api:messages:2.0:ListResponse";
    static final String ERROR = "urn:ietf:params:scim:api:messages:2.0:Error";
    static final String PATCH = "urn:ietf:params:scim:api:messages:2.0:PatchOp";
    static final String USER = "urn:ietf:params:scim:schemas:core:2.0:User";
    static final String GROUP = "urn:ietf:params:scim:schemas:core:2.0:Group";
    static final String INDIGO_USER = "urn:indigo-dc:scim:schemas:IndigoUser";
    static final String INDIGO_GROUP = "urn:indigo-dc:scim:schemas:IndigoGroup";
    static final int DEFAULT_COUNT = 100;
    static final int MAX_COUNT = 1000;

    private ScimSupport() {
    }

    static Map<String, Object> list(long total, int startIndex, List<?> resources) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("schemas", List.of(LIST));
        out.put("totalResults", total);
        out.put("itemsPerPage", resources.size());
        out.put("startIndex", startIndex);
        out.put("Resources", resources);
        return out;
    }

    static ResponseEntity<Object> error(ScimException e) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("schemas", List.of(ERROR));
        body.put("status", String.valueOf(e.status()));
        if (e.scimType() != null) {
            body.put("scimType", e.scimType());
        }
        body.put("detail", e.getMessage());
        return ResponseEntity.status(e.status()).contentType(SCIM).body(body);
    }

    static String etag(Instant version) {
        return "W/\"" + version.toEpochMilli() + "\"";
    }

    static Map<String, Object> meta(String type, Instant created, Instant modified, String location) {
        Map<String, Object> meta = new LinkedHashMap<>();
        meta.put("resourceType", type);
        meta.put("created", created.toString());
        meta.put("lastModified", modified.toString());
        meta.put("location", location);
        meta.put("version", etag(modified));
        return meta;
    }

    /** One page of a filtered, ordered query: the total and the rows. */
    record Page<T>(long total, int startIndex, List<T> rows) {
    }

    /**
     * Runs a SCIM list request: filter -> parameterised WHERE, a count, and one page ordered by {@code orderBy}.
     *
     * @param from    the FROM clause with its alias, e.g. {@code account a}
     * @param select  the SELECT ... FROM ... part of the page query (same alias)
     */
    static <T> Page<T> page(org.springframework.jdbc.core.JdbcTemplate jdbc, String filter,
            Map<String, String> filterable, String from, String select, String orderBy, Integer startIndex,
            Integer count, org.springframework.jdbc.core.RowMapper<T> mapper) {
        int[] page = paging(startIndex, count);
        String where = "";
        List<Object> parameters = new java.util.ArrayList<>();
        if (filter != null && !filter.isBlank()) {
            ScimFilter.Sql sql = ScimFilter.parse(filter, filterable);
            where = " where " + sql.where();
            parameters.addAll(sql.parameters());
        }
        Long total = jdbc.queryForObject("select count(*) from " + from + where, Long.class, parameters.toArray());
        List<Object> pageParameters = new java.util.ArrayList<>(parameters);
        pageParameters.add(page[1]);
        pageParameters.add(page[0] - 1);
        List<T> rows = page[1] == 0 ? List.of() : jdbc.query(select + where + " order by " + orderBy
                + " limit ? offset ?", mapper, pageParameters.toArray());
        return new Page<>(total == null ? 0 : total, page[0], rows);
    }

    static int[] paging(Integer startIndex, Integer count) {
        int start = startIndex == null || startIndex < 1 ? 1 : startIndex;
        int size = count == null ? DEFAULT_COUNT : Math.max(0, Math.min(count, MAX_COUNT));
        return new int[] {start, size};
    }

    /** Checks If-Match against the current version; a mismatch is 412. */
    static void checkIfMatch(String ifMatch, Instant version) {
        if (ifMatch != null && !ifMatch.isBlank() && !ifMatch.strip().equals("*")
                && !ifMatch.strip().equals(etag(version)) && !ifMatch.strip().equals(etag(version).substring(2))) {
            throw new ScimException(412, null, "the resource changed: its version is " + etag(version));
        }
    }

    static URI location(String base, String type, String id) {
        return URI.create(base + "/scim/" + type + "/" + id);
    }
}
