package eu.tessera.voms.ac;

/** A VOMS generic attribute (name, value, qualifier), carried in extension 1.3.6.1.4.1.8005.100.100.11. */
public record GenericAttribute(String name, String value, String qualifier) {
}
