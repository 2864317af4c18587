package eu.tessera.server.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.springframework.boot.SpringApplication;
import org.springframework.mock.env.MockEnvironment;

class IssuerDefaultTests {

    private static String issuer(MockEnvironment environment) {
        new IssuerDefault().postProcessEnvironment(environment, new SpringApplication());
        return environment.getProperty("tessera.issuer");
    }

    @Test
    void issuerWhenUnsetThenDerivedFromPortAndAddress() {
        assertThat(issuer(new MockEnvironment())).isEqualTo("http://127.0.0.1:8080");
        assertThat(issuer(new MockEnvironment().withProperty("server.port", "9090"))).isEqualTo("http://127.0.0.1:9090");
        assertThat(issuer(new MockEnvironment().withProperty("server.port", "9090").withProperty("server.address",
                "0.0.0.0"))).isEqualTo("http://127.0.0.1:9090");
        assertThat(issuer(new MockEnvironment().withProperty("server.port", "8443").withProperty("server.address",
                "iam.example.org"))).isEqualTo("http://iam.example.org:8443");
        assertThat(issuer(new MockEnvironment().withProperty("server.address", "::1"))).isEqualTo("http://[::1]:8080");
    }

    @Test
    void issuerWhenSetThenKeptWhateverThePort() {
        assertThat(issuer(new MockEnvironment().withProperty("server.port", "9090").withProperty("tessera.issuer",
                "https://iam.example.org"))).isEqualTo("https://iam.example.org");
    }

    @Test
    void randomPortWithoutIssuerThenStartStopsNamingTesseraIssuer() {
        assertThatThrownBy(() -> issuer(new MockEnvironment().withProperty("server.port", "0")))
                .hasMessageContaining("TESSERA_ISSUER");
    }
}
