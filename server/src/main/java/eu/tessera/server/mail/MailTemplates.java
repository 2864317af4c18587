package eu.tessera.server.mail;

import java.util.Map;
import org.springframework.stereotype.Component;
import org.thymeleaf.spring6.SpringTemplateEngine;
import org.thymeleaf.context.Context;
import org.thymeleaf.templatemode.TemplateMode;
import org.thymeleaf.templateresolver.ClassLoaderTemplateResolver;

/** Plain-text mails from {@code templates/mail/*.txt} (Thymeleaf TEXT mode); the first line is the subject. */
@Component
public class MailTemplates {

    /** A rendered mail. */
    public record Rendered(String subject, String body) {
    }

    private final SpringTemplateEngine engine = new SpringTemplateEngine();

    public MailTemplates() {
        ClassLoaderTemplateResolver resolver = new ClassLoaderTemplateResolver();
        resolver.setPrefix("mail/");
        resolver.setSuffix(".txt");
        resolver.setTemplateMode(TemplateMode.TEXT);
        resolver.setCharacterEncoding("UTF-8");
        resolver.setCacheable(true);
        engine.setTemplateResolver(resolver);
    }

    public Rendered render(String template, Map<String, Object> variables) {
        Context context = new Context();
        context.setVariables(variables);
        String text = engine.process(template, context);
        int newline = text.indexOf('\n');
        return new Rendered(text.substring(0, newline).strip(), text.substring(newline + 1).stripLeading());
    }
}
