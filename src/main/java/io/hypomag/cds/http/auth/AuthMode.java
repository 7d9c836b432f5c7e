package io.hypomag.cds.http.auth;

/** Whether CDS Hooks calls must carry a client JWT. */
public enum AuthMode {
    /** Development only: no token is checked (the server warns loudly at start). */
    OFF,
    /** Discovery, service and feedback calls need a valid JWT from a trusted issuer. */
    REQUIRED
}
