package io.hypomag.cds.http;

import io.hypomag.cds.hooks.CdsJson;
import io.hypomag.cds.hooks.CdsRequestException;
import io.hypomag.cds.hooks.CdsService;
import io.hypomag.cds.hooks.CdsServiceEndpoint;
import io.hypomag.cds.hooks.FeedbackEntry;
import io.hypomag.cds.hooks.FeedbackParser;
import io.hypomag.cds.hooks.OverrideReasons;
import io.hypomag.cds.ledger.FeedbackBatch;
import io.hypomag.cds.ledger.FeedbackReceipt;
import io.javalin.http.Context;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * POST /cds-services/{id}/feedback (CDS Hooks 2.0). The spec names no answer; this one says what happened:
 * 200 {"stored": n, "unknownCards": [...]} once in the database, 202 {"buffered": n} when the database is slow
 * or down and the writer will store it, 503 when the buffer is full or the ledger is off (nothing kept). A bad
 * entry anywhere answers 400 naming it, and nothing of the call is kept.
 */
final class FeedbackRoute {
    private final CdsServiceEndpoint endpoint;
    private final FeedbackParser parser = new FeedbackParser();
    private final Operations ops;
    private final long maxBodyBytes;

    FeedbackRoute(CdsServiceEndpoint endpoint, Operations ops, long maxBodyBytes) {
        this.endpoint = endpoint;
        this.ops = ops;
        this.maxBodyBytes = maxBodyBytes;
    }

    void handle(Context ctx) {
        CdsHttpServer.requireJsonContentType(ctx.contentType());
        CdsService service = endpoint.find(ctx.pathParam("id"));
        // Bounded like a service call: a chunked body without Content-Length cannot grow without limit either.
        List<FeedbackEntry> entries = parser.parse(CdsHttpServer.boundedBody(ctx, maxBodyBytes));
        FeedbackReceipt receipt = ops.ledger().recordFeedback(new FeedbackBatch(service.id(), entries, ops.clock().instant()));
        Map<String, Object> body = new LinkedHashMap<>();
        if (receipt instanceof FeedbackReceipt.Stored stored) {
            count(service, entries);
            body.put("stored", entries.size());
            List<String> unknown = new ArrayList<>();
            for (int i = 0; i < stored.knownCards().size(); i++) {
                if (!stored.knownCards().get(i)) {
                    unknown.add("feedback[" + i + "].card");
                }
            }
            body.put("unknownCards", unknown);
            ctx.status(200);
        } else if (receipt instanceof FeedbackReceipt.Buffered buffered) {
            count(service, entries);
            body.put("buffered", buffered.entries());
            ctx.status(202);
        } else {
            throw new CdsRequestException(503, ((FeedbackReceipt.Refused) receipt).reason(), null);
        }
        ctx.contentType(CdsHttpServer.JSON_UTF8).result(CdsJson.write(body));
    }

    private void count(CdsService service, List<FeedbackEntry> entries) {
        for (FeedbackEntry entry : entries) {
            ops.metrics().feedback(service.id(), entry.outcome().wire(), reasonTag(entry));
        }
    }

    /** Every value of the reason tag: the codes our cards offer, then "other" and "none". */
    static List<String> reasonTags() {
        List<String> tags = new ArrayList<>(OverrideReasons.codes());
        tags.add("other");
        tags.add("none");
        return tags;
    }

    /** One of the reasons our cards offer, "other" for a code a client made up (an open set), "none" without one. */
    static String reasonTag(FeedbackEntry entry) {
        if (entry.overrideReason() == null) {
            return "none";
        }
        return OverrideReasons.offered(entry.overrideReason()).orElse("other");
    }
}
