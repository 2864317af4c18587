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
