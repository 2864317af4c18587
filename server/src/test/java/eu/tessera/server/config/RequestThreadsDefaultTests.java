package eu.tessera.server.config;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.springframework.boot.SpringApplication;
import org.springframework.mock.env.MockEnvironment;

class RequestThreadsDefaultTests {

    @Test
    void threadsWhenUnsetThenEightPerCoreAtLeastSixteenAndAnExplicitValueWins() {
        assertThat(RequestThreadsDefault.threads(1)).isEqualTo(16);
        assertThat(RequestThreadsDefault.threads(2)).isEqualTo(16);
        assertThat(RequestThreadsDefault.threads(8)).isEqualTo(64);
        MockEnvironment unset = new MockEnvironment();
        new RequestThreadsDefault().postProcessEnvironment(unset, new SpringApplication());
        assertThat(unset.getProperty("server.tomcat.threads.max")).isEqualTo(String.valueOf(
                RequestThreadsDefault.threads(Runtime.getRuntime().availableProcessors())));
        MockEnvironment set = new MockEnvironment().withProperty("server.tomcat.threads.max", "100");
        new RequestThreadsDefault().postProcessEnvironment(set, new SpringApplication());
        assertThat(set.getProperty("server.tomcat.threads.max")).isEqualTo("100");
    }
}
