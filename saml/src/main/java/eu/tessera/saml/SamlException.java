package eu.tessera.saml;

/** SAML input refused (metadata, a message), with a reason safe to log and show. */
public class SamlException extends Exception {

    public SamlException(String message) {
        super(message);
    }
}
