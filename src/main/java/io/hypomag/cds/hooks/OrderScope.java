package io.hypomag.cds.hooks;

/** Which draft orders a hook judges: none (patient-view), the selected ones (order-select), all (order-sign). */
public enum OrderScope {
    NONE, SELECTED, ALL_DRAFTS
}
