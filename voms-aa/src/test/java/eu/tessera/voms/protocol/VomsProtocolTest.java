package eu.tessera.voms.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import eu.tessera.voms.VomsError;
import eu.tessera.voms.VomsException;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class VomsProtocolTest {

    @Test
    void javaClientRequest() throws VomsException {
        VomsRequest request = VomsRequest.parse(
                "fqans=/test.vo/analysis,/test.vo/Role=production&targets=host1.example.org,&lifetime=3600");
        assertThat(request.fqans()).containsExactly("/test.vo/analysis", "/test.vo/Role=production");
        assertThat(request.targets()).containsExactly("host1.example.org");
        assertThat(request.lifetime()).contains(Duration.ofHours(1));
        assertThat(request.unknown()).isEmpty();
        assertThat(VomsRequest.parse(request.toQueryString())).isEqualTo(request);
    }

    @Test
    void cppClientRequestWithOrder() throws VomsException {
        VomsRequest request = VomsRequest.parse(
                "fqans=/test.vo/Role=production&lifetime=3600&order=/test.vo/analysis&targets=host1.example.org");
        assertThat(request.fqans()).containsExactly("/test.vo/analysis", "/test.vo/Role=production");
        assertThat(VomsRequest.parse("fqans=all").fqans()).containsExactly("all");
        assertThat(VomsRequest.parse("").fqans()).isEmpty();
        assertThat(VomsRequest.parse(null).lifetime()).isEmpty();
    }

    @Test
    void percentEncodingAndUnknownParameters() throws VomsException {
        VomsRequest request = VomsRequest.parse("fqans=%2Fescape%2Fcms%2CRole%3Dx&foo=bar&lifetime=60");
        assertThat(request.fqans()).containsExactly("/escape/cms", "Role=x");
        assertThat(request.unknown()).containsExactly("foo");
        assertThat(request.lifetime()).contains(Duration.ofSeconds(60));
    }

    @Test
    void malformedRequests() {
        for (String query : List.of("lifetime=abc", "lifetime=-5", "lifetime=0", "lifetime=1&lifetime=2",
                "fqans=%zz", "fqans=" + "/a".repeat(300), "x=" + "y".repeat(5000))) {
            assertThatThrownBy(() -> VomsRequest.parse(query)).as(query)
                    .isInstanceOfSatisfying(VomsException.class,
                            e -> assertThat(e.error()).isEqualTo(VomsError.BadRequest));
        }
    }

    @Test
    void responsesRoundTrip() {
        VomsResponse.Success success = new VomsResponse.Success(new byte[200],
                List.of("The validity of this VOMS AC in your proxy is shortened to 43200 seconds!"));
        String xml = success.toXml();
        assertThat(xml).contains("<voms>").contains("<ac>").contains("<warning>The validity");
        VomsResponse parsed = VomsResponse.parse(xml);
        assertThat(parsed).isInstanceOfSatisfying(VomsResponse.Success.class, s -> {
            assertThat(s.ac()).hasSize(200);
            assertThat(s.warnings()).isEqualTo(success.warnings());
        });
        VomsResponse.Failure failure = new VomsResponse.Failure(VomsError.NoSuchUser, "who is <script>?");
        assertThat(failure.toXml()).contains("<code>NoSuchUser</code>").contains("who is &lt;script&gt;?");
        assertThat(failure.httpStatus()).isEqualTo(403);
        assertThat(VomsResponse.parse(failure.toXml())).isEqualTo(failure);
        assertThat(new VomsResponse.Failure(VomsError.BadRequest, "x").httpStatus()).isEqualTo(400);
        assertThat(new VomsResponse.Failure(VomsError.InternalError, "x").httpStatus()).isEqualTo(500);
    }

    @Test
    void responseParserRefusesDoctypesAndEntities() {
        String xxe = "<?xml version=\"1.0\"?><!DOCTYPE voms [<!ENTITY x SYSTEM \"file:///etc/passwd\">]>"
                + "<voms><error><code>BadRequest</code><message>&x;</message></error></voms>";
        assertThatThrownBy(() -> VomsResponse.parse(xxe)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("DOCTYPE");
        assertThatThrownBy(() -> VomsResponse.parse("<html/>")).isInstanceOf(IllegalArgumentException.class);
        assertThat(Optional.of(VomsResponse.parse("<v:voms xmlns:v='urn:x'><v:error><v:code>Weird</v:code>"
                + "<v:message>m</v:message></v:error></v:voms>")))
                .contains(new VomsResponse.Failure(VomsError.InternalError, "m"));
    }

    @Test
    void legacyRequestsAsTheCppClientRetriesThem() throws VomsException {
        VomsRequest request = LegacyProtocol.parseRequest("<?xml version=\"1.0\" encoding=\"US-ASCII\"?><voms>"
                + "<command>G/escape/atlas,B/escape:pilot,Rproduction</command><order>/escape/cms</order>"
                + "<targets>host1,host2</targets><base64>1</base64><version>4</version><lifetime>43200</lifetime>"
                + "</voms>", "escape");
        assertThat(request.fqans()).containsExactly("/escape/cms", "/escape/atlas", "/escape/Role=pilot",
                "/escape/Role=production");
        assertThat(request.targets()).containsExactly("host1", "host2");
        assertThat(request.lifetime()).contains(Duration.ofHours(12));
        assertThat(LegacyProtocol.parseRequest("<voms><command>A</command></voms>", "escape").fqans()).isEmpty();
        for (String bad : List.of("<voms><command>X</command></voms>", "<nope/>", "not xml",
                "<!DOCTYPE voms [<!ENTITY x SYSTEM \"file:///etc/passwd\">]><voms><command>&x;</command></voms>")) {
            assertThatThrownBy(() -> LegacyProtocol.parseRequest(bad, "escape")).as(bad)
                    .isInstanceOf(VomsException.class);
        }
    }

    @Test
    void legacyAnswers() {
        assertThat(LegacyProtocol.answer(new VomsResponse.Failure(VomsError.SuspendedUser, "a <b> c")))
                .isEqualTo("<?xml version=\"1.0\" encoding = \"US-ASCII\"?><vomsans><version>3</version><error><item>"
                        + "<number>1004</number><message>a &lt;b&gt; c</message></item></error><ac>QQ==\n</ac></vomsans>");
        assertThat(LegacyProtocol.answer(new VomsResponse.Success(new byte[] {1, 2, 3}, List.of("shortened"))))
                .contains("<item><number>1</number><message>shortened</message></item>").contains("<ac>AQID</ac>");
    }
}
