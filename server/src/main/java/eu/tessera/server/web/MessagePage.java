package eu.tessera.server.web;

import jakarta.servlet.http.HttpServletResponse;
import org.springframework.http.HttpStatus;
import org.springframework.ui.Model;

/** The plain message page ({@code message.html}) with an HTTP status: refusals and outcomes of browser flows. */
public final class MessagePage {

    private MessagePage() {
    }

    /** Renders {@code text} under {@code title}; shown as an error when the status is one. */
    public static String show(Model model, HttpServletResponse response, HttpStatus status, String title,
            String text) {
        response.setStatus(status.value());
        model.addAttribute("title", title);
        model.addAttribute("message", text);
        model.addAttribute("error", status.isError());
        return "message";
    }

    /** The same, with a link onwards (e.g. back to the page the action came from). */
    public static String show(Model model, HttpServletResponse response, HttpStatus status, String title,
            String text, String link, String linkText) {
        model.addAttribute("link", link);
        model.addAttribute("linkText", linkText);
        return show(model, response, status, title, text);
    }
}
