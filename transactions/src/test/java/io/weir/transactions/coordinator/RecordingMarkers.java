package io.weir.transactions.coordinator;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;

/** {@link TransactionMarkers} for tests: requests wait until the test completes or fails them. */
final class RecordingMarkers implements TransactionMarkers {
    record Write(Request request, WriteCallback done) {}

    final Deque<Write> inFlight = new ArrayDeque<>();
    final List<Request> written = new ArrayList<>();

    @Override
    public void write(Request request, WriteCallback done) {
        inFlight.add(new Write(request, done));
    }

    Request completeNext() {
        Write w = inFlight.remove();
        written.add(w.request());
        w.done().onComplete(null);
        return w.request();
    }

    void failNext() {
        inFlight.remove().done().onComplete(new IllegalStateException("injected marker failure"));
    }
}
