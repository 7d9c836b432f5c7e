package io.hypomag.cds.http;

/** A bad environment value. The message is one line naming the variable; Main prints it and exits. */
public final class SettingsException extends RuntimeException {
    public SettingsException(String message) {
        super(message, null, false, false);
    }
}
