package eu.tessera.server.enrollment;

import eu.tessera.server.account.Account;
import eu.tessera.server.account.AccountRepository;
import eu.tessera.server.audit.AuditLog;
import eu.tessera.server.config.TesseraProperties;
import eu.tessera.server.group.VoAdmins;
import eu.tessera.server.group.Membership;
import eu.tessera.server.group.MembershipRepository;
import eu.tessera.server.group.VoGroupRepository;
import eu.tessera.server.account.ExternalIdentities;
import eu.tessera.server.mail.MailOutbox;
import eu.tessera.server.mail.MailTemplates;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Pattern;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * Self-registration moderated by admins: a request is NEW until its email link is confirmed, then CONFIRMED until
 * an admin APPROVES (an account is created, default groups joined, a set-password link mailed) or REJECTS it
 * (reason mailed unless the admin chooses not to). Every step is audited; decisions are taken once (a
 * conditional update), so concurrent approvals of one request decide once.
 */
@Service
public class RegistrationService {

    /** Request states. */
    public enum Status { NEW, CONFIRMED, APPROVED, REJECTED }

    /** A registration request as admins see it. */
    /** A registration request; {@code identityProvider} names the external login it was started from, if any. */
    public record Request(String id, String username, String email, String givenName, String familyName,
            String notes, Status status, Instant createdAt, Instant confirmedAt, Instant decidedAt, String decidedBy,
            String reason, String accountId, String identityProvider, String voGroupId, String voPath) {
    }

    /** The form a registrant submits. */
    public record Form(String username, String email, String givenName, String familyName, String notes,
            boolean aupAccepted, String vo, boolean voAupAccepted) {

        /** A form naming a VO, without accepting a VO addendum. */
        public Form(String username, String email, String givenName, String familyName, String notes,
                boolean aupAccepted, String vo) {
            this(username, email, givenName, familyName, notes, aupAccepted, vo, false);
        }

        /** A form on an instance without VOs. */
        public Form(String username, String email, String givenName, String familyName, String notes,
                boolean aupAccepted) {
            this(username, email, givenName, familyName, notes, aupAccepted, null, false);
        }
    }

    /** The external identity a registration was started from (linked to the account on approval). */
    public record External(String type, String provider, String issuer, String subject, String attribute) {
    }

    /** A refused submission: field -> message. */
    public static class FormException extends RuntimeException {
        private final Map<String, String> errors;

        public FormException(Map<String, String> errors) {
            super(String.join("; ", errors.values()));
            this.errors = Map.copyOf(errors);
        }

        public Map<String, String> errors() {
            return errors;
        }
    }

    /** A decision that cannot be taken: {@code conflict} when the request is already decided. */
    public static class DecisionException extends RuntimeException {
        private final boolean conflict;

        public DecisionException(String message, boolean conflict) {
            super(message);
            this.conflict = conflict;
        }

        public boolean conflict() {
            return conflict;
        }
    }

    static final Pattern USERNAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{1,63}");
    public static final Pattern EMAIL = Pattern.compile("[^@\\s<>\"(),;:]+@[^@\\s<>\"(),;:]+\\.[^@\\s<>\"(),;:.]+");
    private static final String COLUMNS = "id, username, email, given_name, family_name, notes, status, created_at, "
            + "confirmed_at, decided_at, decided_by, decision_reason, account_id, identity_provider, vo_group_id, "
            + "(select g.path from vo_group g where g.id = vo_group_id) as vo_path";

    private final VoAdmins vos;
    private final JdbcTemplate jdbc;
    private final eu.tessera.server.aup.AupService aup;
    private final eu.tessera.server.aup.VoAupService addenda;
    private final AccountRepository accounts;
    private final VoGroupRepository groups;
    private final MembershipRepository memberships;
    private final MailOutbox mail;
    private final ExternalIdentities identities;
    private final MailTemplates templates;
    private final PasswordLinks passwordLinks;
    private final AuditLog audit;
    private final TesseraProperties properties;
    private final Clock clock;

    public RegistrationService(JdbcTemplate jdbc, AccountRepository accounts, VoGroupRepository groups,
            MembershipRepository memberships, MailOutbox mail, MailTemplates templates, PasswordLinks passwordLinks,
            AuditLog audit, TesseraProperties properties, Clock clock, eu.tessera.server.aup.AupService aup,
            ExternalIdentities identities, VoAdmins vos, eu.tessera.server.aup.VoAupService addenda) {
        this.addenda = addenda;
        this.vos = vos;
        this.identities = identities;
        this.aup = aup;
        this.jdbc = jdbc;
        this.accounts = accounts;
        this.groups = groups;
        this.memberships = memberships;
        this.mail = mail;
        this.templates = templates;
        this.passwordLinks = passwordLinks;
        this.audit = audit;
        this.properties = properties;
        this.clock = clock;
    }

    /** Why a username cannot be used, or empty when it is free. */
    @Transactional(readOnly = true)
    public Optional<String> usernameProblem(String username) {
        if (username == null || !USERNAME.matcher(username).matches()) {
            return Optional.of("Use 2 to 64 letters, digits, '.', '_' or '-', starting with a letter or digit.");
        }
        String lower = username.toLowerCase(Locale.ROOT);
        Integer taken = jdbc.queryForObject("select count(*) from account where lower(username) = ?", Integer.class,
                lower);
        Integer pending = jdbc.queryForObject("select count(*) from registration_request where lower(username) = ? "
                + "and status in ('NEW', 'CONFIRMED')", Integer.class, lower);
        if (taken > 0 || pending > 0) {
            return Optional.of("This username is already taken or requested; choose another.");
        }
        return Optional.empty();
    }

    /**
     * Takes a registration. An email already in use is not revealed here: its owner gets a mail instead.
     *
     * @throws FormException naming the fields to correct
     */
    @Transactional
    public void submit(Form form) {
        submit(form, null);
    }

    /**
     * Takes a registration started from an external login ({@code external}, or null for none).
     *
     * @throws FormException naming the fields to correct
     */
    @Transactional
    public void submit(Form form, External external) {
        Map<String, String> errors = new LinkedHashMap<>();
        usernameProblem(form.username()).ifPresent(problem -> errors.put("username", problem));
        String email = form.email() == null ? "" : form.email().strip();
        if (email.length() > 320 || !EMAIL.matcher(email).matches()) {
            errors.put("email", "Enter a valid email address.");
        }
        text(form.givenName(), 255, true).ifPresent(problem -> errors.put("givenName", problem));
        text(form.familyName(), 255, true).ifPresent(problem -> errors.put("familyName", problem));
        text(form.notes(), 2000, false).ifPresent(problem -> errors.put("notes", problem));
        if (!form.aupAccepted()) {
            errors.put("aup", "You must accept the acceptable use policy.");
        }
        // on an instance with VOs a registration joins one: its admins decide it
        String voGroupId = null;
        List<VoAdmins.Vo> vos = this.vos.all();
        if (!vos.isEmpty()) {
            String wanted = form.vo() == null ? "" : form.vo().strip();
            voGroupId = vos.stream().filter(v -> v.groupId().equals(wanted) || v.path().equals(wanted)
                    || v.path().equals("/" + wanted)).map(VoAdmins.Vo::groupId).findFirst().orElse(null);
            if (voGroupId == null) {
                errors.put("vo", "Choose the VO you want to join.");
            }
        }
        // the VO's own addendum, shown beside the AUP, is accepted on the form too
        Integer voAupVersion = voGroupId == null ? null
                : addenda.current(voGroupId).map(eu.tessera.server.aup.AupService.Aup::version).orElse(null);
        if (voAupVersion != null && !form.voAupAccepted()) {
            errors.put("voAup", "You must accept the addendum of the VO you join.");
        }
        if (!errors.isEmpty()) {
            throw new FormException(errors);
        }
        Instant now = clock.instant();
        String lowerEmail = email.toLowerCase(Locale.ROOT);
        Integer used = jdbc.queryForObject("select (select count(*) from account where lower(email) = ?) + "
                + "(select count(*) from registration_request where lower(email) = ? and status in ('NEW', "
                + "'CONFIRMED'))", Integer.class, lowerEmail, lowerEmail);
        if (used > 0) {
            MailTemplates.Rendered text = templates.render("registration-existing", Map.of(
                    "organisation", properties.organisationName(),
                    "link", properties.baseUrl() + "/forgot-password"));
            mail.queue(email, text.subject(), text.body());
            audit.record("registration.duplicate_email", "anonymous", null, Map.of("username", form.username()));
            return;
        }
        String id = UUID.randomUUID().toString();
        String token = Tokens.random();
        Instant expires = now.plus(properties.enrollment().confirmationTtl());
        jdbc.update("insert into registration_request (id, username, email, given_name, family_name, notes, status, "
                + "confirmation_hash, confirmation_expires_at, aup_accepted_at, created_at) values "
                + "(?, ?, ?, ?, ?, ?, 'NEW', ?, ?, ?, ?)", id, form.username(), email, form.givenName().strip(),
                form.familyName().strip(), blankToNull(form.notes()), Tokens.hash(token), Timestamp.from(expires),
                Timestamp.from(now), Timestamp.from(now));
        // the version the form showed in full (the one in force now) is what the registrant accepted
        aup.current().ifPresent(current -> jdbc.update("update registration_request set aup_version = ? where id = ?",
                current.version(), id));
        if (voGroupId != null) {
            jdbc.update("update registration_request set vo_group_id = ?, vo_aup_version = ? where id = ?", voGroupId,
                    voAupVersion, id);
        }
        if (external != null) {
            jdbc.update("update registration_request set identity_type = ?, identity_provider = ?, "
                    + "identity_issuer = ?, identity_subject = ?, identity_attribute = ? where id = ?", external.type(),
                    external.provider(), external.issuer(), external.subject(), external.attribute(), id);
        }
        MailTemplates.Rendered text = templates.render("registration-confirm", Map.of(
                "organisation", properties.organisationName(), "name", form.givenName().strip(),
                "username", form.username(), "expires", expires.truncatedTo(ChronoUnit.MINUTES).toString(),
                "link", properties.baseUrl() + "/registration/confirm?token=" + token));
        mail.queue(email, text.subject(), text.body());
        audit.record("registration.submitted", "anonymous", id, Map.of("username", form.username()));
    }

    /** Outcome of following a confirmation link. */
    public enum Confirmation { CONFIRMED, ALREADY_CONFIRMED, EXPIRED, UNKNOWN }

    @Transactional
    public Confirmation confirm(String token) {
        if (token == null || token.isBlank() || token.length() > 200) {
            return Confirmation.UNKNOWN;
        }
        List<Request> found = jdbc.query("select " + COLUMNS + ", confirmation_expires_at from registration_request "
                + "where confirmation_hash = ?", (rs, n) -> map(rs), Tokens.hash(token));
        if (found.isEmpty()) {
            return Confirmation.UNKNOWN;
        }
        Request request = found.get(0);
        if (request.status() != Status.NEW) {
            return Confirmation.ALREADY_CONFIRMED;
        }
        Instant now = clock.instant();
        Timestamp expires = jdbc.queryForObject("select confirmation_expires_at from registration_request where id = ?",
                Timestamp.class, request.id());
        if (expires == null || !expires.toInstant().isAfter(now)) {
            return Confirmation.EXPIRED;
        }
        int updated = jdbc.update("update registration_request set status = 'CONFIRMED', confirmed_at = ? "
                + "where id = ? and status = 'NEW'", Timestamp.from(now), request.id());
        if (updated != 1) {
            return Confirmation.ALREADY_CONFIRMED;
        }
        for (String admin : adminRecipients(request.voGroupId())) {
            MailTemplates.Rendered text = templates.render("registration-admin", Map.of(
                    "organisation", properties.organisationName(), "username", request.username(),
                    "name", request.givenName() + " " + request.familyName(), "email", request.email(),
                    "notes", request.notes() == null ? "-" : request.notes(), "id", request.id(),
                    "link", properties.baseUrl() + "/iam/registrations/" + request.id()));
            mail.queue(admin, text.subject(), text.body());
        }
        audit.record("registration.confirmed", "anonymous", request.id(), Map.of("username", request.username()));
        return Confirmation.CONFIRMED;
    }

    /** The VO's admins when it has some with an address (daily work stays in the VO), else the global admins. */
    private List<String> adminRecipients(String voGroupId) {
        if (voGroupId != null) {
            List<String> voAdmins = jdbc.queryForList("select a.email from vo_admin v join account a on a.id = "
                    + "v.account_id where v.group_id = ? and a.active = true and a.email is not null", String.class,
                    voGroupId);
            if (!voAdmins.isEmpty()) {
                return voAdmins;
            }
        }
        List<String> out = new ArrayList<>(jdbc.queryForList("select email from account where admin = true and "
                + "active = true and service_account = false and email is not null", String.class));
        for (String extra : properties.enrollment().adminEmails()) {
            if (!extra.isBlank() && !out.contains(extra.strip())) {
                out.add(extra.strip());
            }
        }
        return out;
    }

    @Transactional(readOnly = true)
    public List<Request> list(Status status, int startIndex, int count) {
        return status == null
                ? jdbc.query("select " + COLUMNS + " from registration_request order by created_at desc limit ? offset ?",
                        (rs, n) -> map(rs), count, startIndex - 1)
                : jdbc.query("select " + COLUMNS + " from registration_request where status = ? order by created_at "
                        + "limit ? offset ?", (rs, n) -> map(rs), status.name(), count, startIndex - 1);
    }

    /** As {@link #list(Status, int, int)}, only the requests to join the given VOs (by their groups' ids). */
    @Transactional(readOnly = true)
    public List<Request> list(Status status, int startIndex, int count, java.util.Collection<String> voGroupIds) {
        if (voGroupIds.isEmpty()) {
            return List.of();
        }
        List<Object> args = new ArrayList<>(voGroupIds);
        String in = String.join(", ", java.util.Collections.nCopies(voGroupIds.size(), "?"));
        if (status != null) {
            args.add(status.name());
        }
        args.add(count);
        args.add(startIndex - 1);
        return jdbc.query("select " + COLUMNS + " from registration_request where vo_group_id in (" + in + ")"
                + (status == null ? "" : " and status = ?") + " order by created_at desc limit ? offset ?",
                (rs, n) -> map(rs), args.toArray());
    }

    @Transactional(readOnly = true)
    public Optional<Request> find(String id) {
        return jdbc.query("select " + COLUMNS + " from registration_request where id = ?", (rs, n) -> map(rs), id)
                .stream().findFirst();
    }

    /** Approves a confirmed request: creates the account, joins default groups, mails a set-password link. */
    @Transactional
    public Request approve(String id, String actor) {
        Request request = find(id).orElseThrow(() -> new DecisionException("no registration request " + id, false));
        Instant now = clock.instant();
        int updated = jdbc.update("update registration_request set status = 'APPROVED', decided_at = ?, "
                + "decided_by = ? where id = ? and status = 'CONFIRMED'", Timestamp.from(now), actor, id);
        if (updated != 1) {
            throw new DecisionException(request.status() == Status.NEW
                    ? "the registrant has not confirmed the email address yet"
                    : "the request was already decided (" + currentStatus(id) + ")", true);
        }
        if (accounts.findByUsername(request.username()).isPresent()) {
            throw new DecisionException("an account with the username " + request.username() + " exists", true);
        }
        Account account = accounts.saveAndFlush(new Account(request.username(), request.email(),
                request.givenName(), request.familyName(), now));
        java.util.Set<String> joined = new java.util.HashSet<>();
        for (String path : properties.enrollment().defaultGroups()) {
            groups.findByPath(path.strip()).ifPresent(group -> {
                if (joined.add(group.getId())) {
                    memberships.save(new Membership(account.getId(), group.getId(), false, now));
                }
            });
        }
        if (request.voGroupId() != null) {
            // the VO joined: its own group and the groups its admins made default for new members
            List<String> voGroups = new ArrayList<>(List.of(request.voGroupId()));
            voGroups.addAll(vos.defaultGroups(request.voGroupId()));
            for (String groupId : voGroups) {
                if (joined.add(groupId)) {
                    memberships.save(new Membership(account.getId(), groupId, false, now));
                }
            }
        }
        jdbc.update("update registration_request set account_id = ? where id = ?", account.getId(), id);
        Map<String, Object> accepted = jdbc.queryForMap("select aup_accepted_at, aup_version, vo_aup_version from "
                + "registration_request where id = ?", id);
        if (accepted.get("aup_accepted_at") != null && accepted.get("vo_aup_version") != null
                && request.voGroupId() != null) {
            // so is the VO addendum accepted on the form
            addenda.signVersion(request.voGroupId(), account.getId(), ((Number) accepted.get("vo_aup_version"))
                    .intValue(), instant(accepted.get("aup_accepted_at")), account.getId());
        }
        if (accepted.get("aup_accepted_at") != null && accepted.get("aup_version") != null) {
            // the version accepted on the registration form is the first signature
            aup.signVersion(account.getId(), ((Number) accepted.get("aup_version")).intValue(),
                    instant(accepted.get("aup_accepted_at")), account.getId());
        }
        Map<String, Object> external = jdbc.queryForMap("select identity_type, identity_provider, identity_issuer, "
                + "identity_subject, identity_attribute from registration_request where id = ?", id);
        MailTemplates.Rendered text;
        if (external.get("identity_issuer") != null) {
            // started from an external login: that identity is how the new member logs in
            try {
                identities.link(account.getId(), (String) external.get("identity_type"),
                        (String) external.get("identity_provider"), (String) external.get("identity_issuer"),
                        (String) external.get("identity_subject"), (String) external.get("identity_attribute"),
                        request.email(), actor);
            } catch (eu.tessera.server.account.LinkException e) {
                throw new DecisionException("the external identity of this request is now linked to another "
                        + "account", true);
            }
            text = templates.render("registration-approved-external", Map.of(
                    "organisation", properties.organisationName(), "name", request.givenName(),
                    "username", request.username(), "provider", external.get("identity_provider"),
                    "link", properties.baseUrl() + "/login"));
        } else {
            PasswordLinks.Link link = passwordLinks.create(account.getId());
            text = templates.render("registration-approved", Map.of(
                    "organisation", properties.organisationName(), "name", request.givenName(),
                    "username", request.username(),
                    "expires", link.expires().truncatedTo(ChronoUnit.MINUTES).toString(), "link", link.url()));
        }
        mail.queue(request.email(), text.subject(), text.body());
        audit.record("registration.approved", actor, id, Map.of("username", request.username(),
                "account", account.getId()));
        return find(id).orElseThrow();
    }

    /** Rejects a new or confirmed request; mails the reason unless {@code notify} is false. */
    @Transactional
    public Request reject(String id, String actor, String reason, boolean notify) {
        Request request = find(id).orElseThrow(() -> new DecisionException("no registration request " + id, false));
        if (reason != null && reason.length() > 2000) {
            throw new DecisionException("reason: at most 2000 characters", false);
        }
        int updated = jdbc.update("update registration_request set status = 'REJECTED', decided_at = ?, "
                + "decided_by = ?, decision_reason = ? where id = ? and status in ('NEW', 'CONFIRMED')",
                Timestamp.from(clock.instant()), actor, blankToNull(reason), id);
        if (updated != 1) {
            throw new DecisionException("the request was already decided (" + currentStatus(id) + ")", true);
        }
        if (notify) {
            Map<String, Object> variables = new LinkedHashMap<>();
            variables.put("organisation", properties.organisationName());
            variables.put("name", request.givenName());
            variables.put("username", request.username());
            variables.put("reason", blankToNull(reason));
            MailTemplates.Rendered text = templates.render("registration-rejected", variables);
            mail.queue(request.email(), text.subject(), text.body());
        }
        audit.record("registration.rejected", actor, id, Map.of("username", request.username(), "notified", notify));
        return find(id).orElseThrow();
    }

    private String currentStatus(String id) {
        return jdbc.queryForObject("select status from registration_request where id = ?", String.class, id);
    }

    private static Request map(java.sql.ResultSet rs) throws java.sql.SQLException {
        return new Request(rs.getString("id"), rs.getString("username"), rs.getString("email"),
                rs.getString("given_name"), rs.getString("family_name"), rs.getString("notes"),
                Status.valueOf(rs.getString("status")), instant(rs.getTimestamp("created_at")),
                instant(rs.getTimestamp("confirmed_at")), instant(rs.getTimestamp("decided_at")),
                rs.getString("decided_by"), rs.getString("decision_reason"), rs.getString("account_id"),
                rs.getString("identity_provider"), rs.getString("vo_group_id"), rs.getString("vo_path"));
    }

    private static Instant instant(Timestamp timestamp) {
        return timestamp == null ? null : timestamp.toInstant();
    }

    private static Optional<String> text(String value, int max, boolean required) {
        if (value == null || value.isBlank()) {
            return required ? Optional.of("Required.") : Optional.empty();
        }
        if (value.length() > max) {
            return Optional.of("At most " + max + " characters.");
        }
        if (value.chars().anyMatch(c -> c < 0x20 && c != '\n' && c != '\r' && c != '\t')) {
            return Optional.of("Contains control characters.");
        }
        return Optional.empty();
    }

    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value.strip();
    }

    private static Instant instant(Object value) {
        return value instanceof Timestamp t ? t.toInstant() : ((java.time.OffsetDateTime) value).toInstant();
    }
}
