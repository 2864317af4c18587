package eu.tessera.server.oauth2.device;

import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.util.UriComponentsBuilder;

/**
 * The page where a user enters the code a device shows (RFC 8628 section 3.3, the {@code verification_uri});
 * the code then goes to the verification endpoint, which logs the user in and asks for consent.
 */
@Controller
public class DeviceVerificationController {

    /** The verification endpoint of Spring Authorization Server behind this page. */
    public static final String VERIFY = "/device/verify";

    @GetMapping("/device")
    public String device(@RequestParam(name = "user_code", required = false) String userCode, Model model) {
        if (userCode != null && !userCode.isBlank() && userCode.length() <= 32) {
            return "redirect:" + UriComponentsBuilder.fromPath(VERIFY).queryParam("user_code", userCode)
                    .build().encode().toUriString();
        }
        return "device";
    }
}
