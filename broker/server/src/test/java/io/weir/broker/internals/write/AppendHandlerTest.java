package io.weir.broker.internals.write;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.weir.broker.FlushPolicy;
import io.weir.broker.LogConfig;
import io.weir.broker.internals.log.AppendOrigin;
import io.weir.broker.internals.log.Log;
import io.weir.broker.internals.log.Shutdown;
import io.weir.common.TopicPartition;
import io.weir.common.errors.KafkaStorageException;
import io.weir.common.record.CompressionType;
import io.weir.common.record.Header;
import io.weir.common.record.RecordBatch;
import io.weir.common.record.RecordBatchBuilder;
import io.weir.common.utils.Time;
import io.weir.transactions.ProducerStateConfig;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The append thread's handler driven by hand, slot by slot as the Disruptor would: a failure at the end of a ring
 * batch answers that batch's requests once and leaves nothing of it behind for the next batch.
 */
class AppendHandlerTest {
    private static final TopicPartition TP = new TopicPartition("ring", 0);

    @TempDir
    Path dir;

    private Log log;

    /** Every answer, in order: "name@offset" or "name!ExceptionClass". */
    private final List<String> answers = new ArrayList<>();

    @AfterEach
    void closeLog() {
        if (log != null) {
            log.close();
        }
    }

    private Log openLog() {
        log = Log.open(dir, TP, LogConfig.DEFAULTS, ProducerStateConfig.DEFAULT, Time.SYSTEM, Shutdown.CLEAN);
        return log;
    }

    private static ByteBuffer batch(String value) {
        RecordBatchBuilder builder = new RecordBatchBuilder(
                CompressionType.NONE,
                RecordBatch.NO_PRODUCER_ID,
                RecordBatch.NO_PRODUCER_EPOCH,
                RecordBatch.NO_SEQUENCE,
                false);
        builder.append(1L, null, value.getBytes(), new Header[0]);
        return builder.build();
    }

    private AppendCallback answer(String name) {
        return (info, error) -> answers.add(
                error != null
                        ? name + "!" + error.getClass().getSimpleName()
                        : name + "@" + (info == null ? "nothing" : info.firstOffset()));
    }

    /**
     * What the ring's processor does with one slot: an exception out of the handler goes to the ring's exception
     * handler, which answers that slot's request (if still unanswered) with a storage error, and the ring goes on.
     */
    private static void handle(AppendHandler handler, AppendEvent slot, long sequence, boolean endOfBatch) {
        try {
            handler.onEvent(slot, sequence, endOfBatch);
        } catch (Throwable e) { // the Disruptor's processor hands any Throwable to the exception handler
            AppendCallback callback = slot.callback;
            slot.clear();
            if (callback != null) {
                callback.onComplete(null, new KafkaStorageException("Append thread failed: " + e, e));
            }
        }
    }

    private void publish(AppendEvent slot, String name) {
        slot.set(log, batch(name), AppendOrigin.CLIENT, answer(name));
    }

    @Test
    void aFailureAtTheEndOfABatchLeavesNothingForTheNextBatchToAnswer() {
        openLog();
        AtomicBoolean listenerFails = new AtomicBoolean(true);
        AppendHandler handler = new AppendHandler(
                FlushPolicy.OS,
                tp -> {
                    if (listenerFails.getAndSet(false)) {
                        throw new IllegalStateException("injected listener bug");
                    }
                },
                null);
        AppendEvent slot0 = new AppendEvent();
        AppendEvent slot1 = new AppendEvent();

        publish(slot0, "a");
        handle(handler, slot0, 0, true); // the listener throws after "a" was answered
        publish(slot0, "c"); // the slot refilled by a publisher, for a later ring batch
        publish(slot1, "b");
        handle(handler, slot1, 1, true);

        assertEquals(List.of("a@0", "b@1"), answers, "\"c\" is not answered before its append");
        handle(handler, slot0, 2, true);
        assertEquals(List.of("a@0", "b@1", "c@2"), answers, "each request answered once, with its own offset");
    }

    @Test
    void aFailedHandOverToTheGroupCommitAnswersTheBatchWithAStorageError() {
        openLog();
        GroupCommitter committer = new GroupCommitter("test-commit", Log::syncForGroupCommit, Runnable::run, null, 8);
        committer.close(); // a hand-over now throws
        AppendHandler handler = new AppendHandler(FlushPolicy.EVERY_BATCH, null, committer);
        AppendEvent slot0 = new AppendEvent();
        AppendEvent slot1 = new AppendEvent();

        publish(slot0, "a");
        handle(handler, slot0, 0, false);
        publish(slot1, "b");
        handle(handler, slot1, 1, true);

        assertEquals(
                List.of(
                        "a!" + KafkaStorageException.class.getSimpleName(),
                        "b!" + KafkaStorageException.class.getSimpleName()),
                answers,
                "answered, not left waiting for ever");
        assertNull(slot0.callback, "the slots hold nothing of the failed batch");
        assertNull(slot1.callback);
    }

    @Test
    void aCallbackThrowingAnErrorStillLetsEveryRequestOfItsBatchBeAnsweredOnce() {
        openLog();
        AppendHandler handler = new AppendHandler(FlushPolicy.OS, null, null);
        AppendEvent slot0 = new AppendEvent();
        AppendEvent slot1 = new AppendEvent();
        AppendEvent slot2 = new AppendEvent();
        slot0.set(log, batch("a"), AppendOrigin.CLIENT, (info, error) -> {
            answers.add("a@" + info.firstOffset());
            throw new AssertionError("injected callback Error"); // not a RuntimeException
        });
        handle(handler, slot0, 0, false);
        publish(slot1, "b");
        handle(handler, slot1, 1, false);
        publish(slot2, "c");
        handle(handler, slot2, 2, true);

        assertEquals(
                List.of("a@0", "b@1", "c@2"),
                answers,
                "the requests after the failing callback are acknowledged, each once, none failed for its bug");
        assertNull(slot1.callback, "the slots hold nothing of the batch");
        assertNull(slot2.callback);
    }

    @Test
    void aRequestWhoseOwnAppendFailedKeepsItsErrorWhenTheEndOfTheBatchFails() {
        openLog();
        GroupCommitter committer = new GroupCommitter("test-commit", Log::syncForGroupCommit, Runnable::run, null, 8);
        committer.close(); // a hand-over now throws
        AppendHandler handler = new AppendHandler(FlushPolicy.EVERY_BATCH, null, committer);
        AppendEvent slot0 = new AppendEvent();
        AppendEvent slot1 = new AppendEvent();

        publish(slot0, "a");
        handle(handler, slot0, 0, false);
        slot1.set(log, ByteBuffer.wrap(new byte[] {1, 2, 3}), AppendOrigin.CLIENT, answer("garbled"));
        handle(handler, slot1, 1, true);

        assertEquals(2, answers.size(), answers.toString());
        assertEquals("a!" + KafkaStorageException.class.getSimpleName(), answers.get(0));
        assertNotEquals(
                "garbled!" + KafkaStorageException.class.getSimpleName(),
                answers.get(1),
                "the request's own (non-retriable) append error, not the batch's retriable storage error");
        assertFalse(answers.get(1).startsWith("garbled@"), answers.get(1));
    }
}
