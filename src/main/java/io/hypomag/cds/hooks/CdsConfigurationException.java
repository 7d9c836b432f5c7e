package io.hypomag.cds.hooks;

/** The discovery document or the registered handlers are inconsistent: the service must not start. */
public final class CdsConfigurationException extends RuntimeException {
    public CdsConfigurationException(String message) {
        super(message);
    }
}
