package eu.tessera.voms;

/** A request the attribute authority refuses; becomes a {@code <voms><error>} response. */
public class VomsException extends Exception {

    private final VomsError error;

    public VomsException(VomsError error, String message) {
        super(message);
        this.error = error;
    }

    public VomsError error() {
        return error;
    }
}
