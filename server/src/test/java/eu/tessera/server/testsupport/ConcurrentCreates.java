package eu.tessera.server.testsupport;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

/**
 * The same create sent by several clients at the same moment (retrying provisioners, two admins, two instances
 * behind a load balancer): one 201, the others 409 in the API family's error format, never a 500. Shared by the
 * PostgreSQL and H2 tests.
 */
public final class ConcurrentCreates {

    private static final int PARALLEL = 8;

    private ConcurrentCreates() {
    }

    /** {@link #PARALLEL} copies of {@code request} (given their index) released together. */
    public static List<TesseraHttp.Response> race(java.util.function.IntFunction<TesseraHttp.Response> request)
            throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(PARALLEL);
        try {
            CountDownLatch ready = new CountDownLatch(PARALLEL);
            CountDownLatch go = new CountDownLatch(1);
            List<Future<TesseraHttp.Response>> futures = new ArrayList<>();
            for (int i = 0; i < PARALLEL; i++) {
                int index = i;
                futures.add(pool.submit(() -> {
                    ready.countDown();
                    go.await();
                    return request.apply(index);
                }));
            }
            assertThat(ready.await(10, TimeUnit.SECONDS)).isTrue();
            go.countDown();
            List<TesseraHttp.Response> responses = new ArrayList<>();
            for (Future<TesseraHttp.Response> future : futures) {
                responses.add(future.get(60, TimeUnit.SECONDS));
            }
            return responses;
        } finally {
            pool.shutdownNow();
        }
    }

    /** Group, SCIM user and membership creates raced against {@code issuer}, with an admin token. */
    public static void check(String issuer, String adminToken) throws Exception {
        check(List.of(issuer), adminToken);
    }

    /**
     * The same, the copies spread over several instances of one issuer on one database ({@code bases}: their
     * addresses), as behind a load balancer.
     */
    public static void check(List<String> bases, String adminToken) throws Exception {
        List<TesseraHttp> instances = bases.stream().map(TesseraHttp::to).toList();
        TesseraHttp http = instances.get(0);
        String issuer = bases.get(0);
        String bearer = "Bearer " + adminToken;
        String name = "race" + UUID.randomUUID().toString().substring(0, 8);

        List<TesseraHttp.Response> groups = race(i -> instances.get(i % instances.size()).sendJson("POST",
                "/iam/group", "{\"name\":\"" + name + "\"}", "Authorization", bearer));
        assertOneCreated(groups, "application/problem+json");

        List<TesseraHttp.Response> users = race(i -> instances.get(i % instances.size()).sendJson("POST",
                "/scim/Users", "{\"userName\":\"" + name + "\",\"emails\":[{\"value\":\"" + name + "@example.org\"}]}",
                "Authorization", bearer, "Content-Type", "application/scim+json"));
        assertOneCreated(users, "application/scim+json");
        users.stream().filter(r -> r.status() == 409).forEach(r -> assertThat(r.body())
                .contains("urn:ietf:params:scim:api:messages:2.0:Error", "\"status\":\"409\""));

        String groupId = (String) groups.stream().filter(r -> r.status() == 201).findFirst().orElseThrow().json()
                .get("id");
        String userId = (String) users.stream().filter(r -> r.status() == 201).findFirst().orElseThrow().json()
                .get("id");
        List<TesseraHttp.Response> members = race(i -> instances.get(i % instances.size()).sendJson("POST",
                "/iam/group/" + groupId + "/members/" + userId, "{}", "Authorization", bearer));
        // a repeated add of an existing member updates it (201); only adds that overlap meet the unique key (409)
        assertThat(members).extracting(TesseraHttp.Response::status).as(bodies(members)).containsAnyOf(201)
                .allMatch(status -> status == 201 || status == 409);
        List<?> listed = (List<?>) TesseraHttp.to(issuer).sendJson("GET", "/iam/group/" + groupId + "/members", null,
                "Authorization", bearer).jsonList();
        assertThat(listed).hasSize(1);
        assertThat(http.sendJson("DELETE", "/scim/Users/" + userId, null, "Authorization", bearer).status())
                .isEqualTo(204);
        assertThat(http.sendJson("DELETE", "/iam/group/" + groupId, null, "Authorization", bearer).status())
                .isEqualTo(204);
    }

    private static void assertOneCreated(List<TesseraHttp.Response> responses, String errorType) {
        assertThat(responses).extracting(TesseraHttp.Response::status).as(bodies(responses))
                .containsOnlyOnce(201).allMatch(status -> status == 201 || status == 409);
        responses.stream().filter(r -> r.status() == 409).forEach(r -> assertThat(r.header("Content-Type"))
                .contains(errorType));
    }

    private static String bodies(List<TesseraHttp.Response> responses) {
        return responses.stream().map(r -> r.status() + " " + r.body()).toList().toString();
    }
}
