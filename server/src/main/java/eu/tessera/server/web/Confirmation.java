package eu.tessera.server.web;

import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.ui.Model;

/**
 * A confirmation step for destructive actions, without JavaScript (the pages' CSP allows no inline script): the
 * first POST shows what will happen and a form that repeats the request with {@code confirmed=yes}.
 */
public final class Confirmation {

    public static final String CONFIRMED = "yes";

    private Confirmation() {
    }

    /**
     * Fills the confirmation page and returns its view name.
     *
     * @param action the form's target, the same endpoint
     * @param fields the original request's fields, sent again
     */
    public static String page(Model model, String title, String question, String confirmLabel, String action,
            Map<String, String> fields, String cancel) {
        model.addAttribute("title", title);
        model.addAttribute("question", question);
        model.addAttribute("confirmLabel", confirmLabel);
        model.addAttribute("action", action);
        model.addAttribute("fields", new LinkedHashMap<>(fields));
        model.addAttribute("cancel", cancel);
        return "confirm";
    }
}
