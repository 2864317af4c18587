package eu.tessera.voms.pki;

/** A client certificate chain that is not trusted; the message says why, for the client. */
public class CertificateChainException extends Exception {

    public CertificateChainException(String message) {
        super(message);
    }

    public CertificateChainException(String message, Throwable cause) {
        super(message, cause);
    }
}
