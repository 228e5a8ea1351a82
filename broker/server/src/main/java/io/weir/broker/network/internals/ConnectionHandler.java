package io.weir.broker.network.internals;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.TooLongFrameException;
import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.common.errors.UnsupportedVersionException;
import org.apache.kafka.common.message.ApiVersionsResponseData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.protocol.ByteBufferAccessor;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.AbstractRequest;
import org.apache.kafka.common.requests.AbstractResponse;
import org.apache.kafka.common.requests.ProduceRequest;
import org.apache.kafka.common.requests.RequestHeader;
import org.apache.kafka.common.requests.ResponseHeader;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One client connection: decodes each request frame (header, then body with kafka-clients' generated classes),
 * hands it to {@link KafkaApis} on this connection's {@link SerialExecutor} (off the event loop, one call at a
 * time, in request order; ApiVersions is answered on the loop), and writes the answers in request order.
 * Answers complete out of order on broker threads; each completion is handed back to this connection's event
 * loop, which writes every answer at the head of the queue that is ready and flushes once. The event loop never
 * waits for the broker.
 *
 * <p>Memory per connection is bounded, as Kafka's muting of a connection until its answer is sent bounds it:
 * <ul>
 *   <li>requests are handed to the broker in order, and only while the socket is writable (its outbound buffer
 *       under the high watermark); a Fetch only when no earlier Fetch's answer is still unwritten, so one Fetch
 *       answer (at most {@code fetch.max.bytes}) and the watermark bound what waits to be sent;
 *   <li>the connection stops reading while a request waits to be handed over, while {@link #MAX_IN_FLIGHT}
 *       requests are unanswered, while the frames it holds for unanswered requests reach
 *       {@link #MAX_HELD_REQUEST_BYTES}, or while the listener-wide {@link QueuedRequests} bound is reached; it
 *       reads again when all have eased (the two per-connection counts to half).
 * </ul>
 * A connection with nothing in flight that neither completed a request frame nor was written to for a whole
 * {@code connections.max.idle.ms} check period is closed (so after one to two periods idle; a half-sent frame
 * counts as idle). Bad input (a frame over {@code socket.request.max.bytes}, an unknown API key, a
 * header or body that does not parse) closes this connection only, with a log line naming the peer.
 *
 * <p>Threading: every field but {@link #brokerCalls} is touched on the connection's event-loop thread only.
 */
final class ConnectionHandler extends ChannelInboundHandlerAdapter {
    private static final Logger log = LoggerFactory.getLogger(ConnectionHandler.class);
    /** Kafka clients keep at most 5 requests in flight per connection by default; this leaves room for more. */
    static final int MAX_IN_FLIGHT = 64;
    /** The request bytes a connection may hold unanswered before it stops reading (one frame always fits). */
    static final int MAX_HELD_REQUEST_BYTES = 8 << 20;
    /** The smallest header: api key, api version, correlation id. */
    private static final int MIN_HEADER_BYTES = 8;

    private final KafkaApis apis;
    private final QueuedRequests queued;
    private final SerialExecutor brokerCalls;
    private final int maxFrameBytes;
    private final long maxIdleMs;
    private final ArrayDeque<Pending> pending = new ArrayDeque<>();
    /** Bytes of the frames of unanswered requests (produce batches wait in the append ring). */
    private long heldRequestBytes;
    /** Slots at the queue's tail not yet handed to the broker. */
    private int undispatched;
    /** A Fetch handed to the broker whose answer is not yet written to the socket. */
    private boolean fetchOutstanding;
    /** {@link #dispatchReady} is running (an answer completing at once may call it again from within). */
    private boolean dispatching;
    /** A request frame arrived or an answer left since the last idle check. */
    private boolean activeSinceIdleCheck;
    /** Reading stopped for the listener-wide bound, and {@link #queued} will say when it eased. */
    private boolean waitingForQueue;

    private boolean closed;

    /**
     * @param queued         the listener-wide bound on queued requests, shared by every connection
     * @param brokerCallPool where this connection's broker calls run, one at a time, off the event loop
     * @param maxIdleMs      {@code connections.max.idle.ms}: the idle-check period
     */
    ConnectionHandler(
            KafkaApis apis, QueuedRequests queued, Executor brokerCallPool, int maxFrameBytes, long maxIdleMs) {
        this.apis = apis;
        this.queued = queued;
        this.brokerCalls = new SerialExecutor(brokerCallPool);
        this.maxFrameBytes = maxFrameBytes;
        this.maxIdleMs = maxIdleMs;
    }

    /** One request's slot in the answer queue. */
    private static final class Pending {
        final RequestHeader header;
        final AbstractRequest request;
        final int frameBytes;
        boolean dispatched;
        /** A Fetch handed to the broker: its answer is the one {@link #fetchOutstanding} waits for. */
        boolean outstandingFetch;
        /**
         * Whether the frame's bytes still count against {@link #queued} (see {@link #handedOver}). Atomic: a
         * dispatched Produce gives them back when its answer completes, on whatever thread completes it.
         */
        final AtomicBoolean bytesQueued = new AtomicBoolean();

        boolean done;
        ResponseEncoder.Encoded answer; // null with done: no answer (acks=0)

        Pending(RequestHeader header, AbstractRequest request, int frameBytes) {
            this.header = header;
            this.request = request;
            this.frameBytes = frameBytes;
        }

        boolean isFetch() {
            return header.apiKey() == ApiKeys.FETCH;
        }
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        ByteBuf frame = (ByteBuf) msg;
        byte[] bytes;
        try {
            // One copy out of the pooled read buffer: produce batches outlive this call (they wait in the append
            // ring), so they must not point into memory Netty reuses.
            bytes = ByteBufUtil.getBytes(frame);
        } finally {
            frame.release();
        }
        if (closed) {
            return;
        }
        activeSinceIdleCheck = true;
        handle(ctx, ByteBuffer.wrap(bytes));
    }

    private void handle(ChannelHandlerContext ctx, ByteBuffer frame) {
        if (frame.remaining() < MIN_HEADER_BYTES) {
            closeFor(ctx, "a request of " + frame.remaining() + " bytes, too short for a request header");
            return;
        }
        short apiKeyId = frame.getShort(0);
        short version = frame.getShort(2);
        int correlationId = frame.getInt(4);
        if (!ApiKeys.hasId(apiKeyId)) {
            closeFor(ctx, "unknown API key " + apiKeyId + " (correlation id " + correlationId + ")");
            return;
        }
        ApiKeys apiKey = ApiKeys.forId(apiKeyId);
        if (apiKey == ApiKeys.API_VERSIONS && !ApiVersionsTable.serves(apiKey, version)) {
            // Kafka's KIP-511 fallback: a client newer than the broker learns the versions from a v0 answer.
            answerApiVersionsFallback(ctx, correlationId, version);
            return;
        }
        if (!apiKey.isVersionSupported(version)) {
            closeFor(ctx, apiKey + " version " + version + ", which no Kafka release of this client library defines");
            return;
        }
        RequestHeader header;
        AbstractRequest request;
        try {
            header = RequestHeader.parse(frame);
            request = AbstractRequest.parseRequest(apiKey, version, new ByteBufferAccessor(frame)).request;
        } catch (RuntimeException e) {
            closeFor(ctx, "a malformed " + apiKey + " v" + version + " request (" + e + ")");
            return;
        }
        Pending slot = new Pending(header, request, frame.limit());
        pending.addLast(slot);
        heldRequestBytes += slot.frameBytes;
        queued.read(slot.frameBytes);
        slot.bytesQueued.set(true);
        if (!ApiVersionsTable.serves(apiKey, version)) {
            handedOver(slot);
            whenAnswered(
                    ctx,
                    slot,
                    CompletableFuture.completedFuture(errorBody(
                            request,
                            new UnsupportedVersionException(
                                    "Weir does not serve " + apiKey + " version " + version + "; see ApiVersions"))));
        } else if (apiKey == ApiKeys.API_VERSIONS) {
            handedOver(slot);
            whenAnswered(ctx, slot, CompletableFuture.completedFuture(ApiVersionsTable.response()));
        } else {
            undispatched++;
            dispatchReady(ctx);
        }
        updateReading(ctx);
    }

    /**
     * Hands the waiting requests to the broker, in order, while the socket is writable; stops at a Fetch while an
     * earlier Fetch's answer is unwritten. Every slot behind a waiting one waits too: the broker sees requests in
     * the order they were sent.
     */
    private void dispatchReady(ChannelHandlerContext ctx) {
        // An answer that is already complete drains the queue re-entrantly; the running loop goes on past it.
        if (undispatched == 0 || dispatching) {
            return;
        }
        dispatching = true;
        try {
            Pending slot;
            while ((slot = nextToDispatch(ctx)) != null) {
                handedOver(slot);
                undispatched--;
                if (slot.isFetch()) {
                    fetchOutstanding = true;
                    slot.outstandingFetch = true;
                }
                Pending call = slot;
                CompletableFuture<ApiMessage> answer;
                try {
                    // Off the event loop: some broker calls wait (a full append ring, an internal-topic append).
                    answer = CompletableFuture.supplyAsync(() -> apis.handle(call.header, call.request), brokerCalls)
                            .thenCompose(f -> f);
                } catch (RuntimeException e) { // rejected: the listener is closing
                    answer = CompletableFuture.failedFuture(e);
                }
                whenAnswered(ctx, slot, answer);
            }
        } finally {
            dispatching = false;
        }
    }

    /**
     * Marks {@code slot} handed to the broker: it no longer counts as queued, and unless it is a Produce (whose
     * batches the broker references until they are appended) neither do its bytes, so requests the broker holds
     * (a long poll, a join waiting for the rebalance) never stop the reads that would release them.
     */
    private void handedOver(Pending slot) {
        slot.dispatched = true;
        queued.dispatched();
        if (slot.header.apiKey() != ApiKeys.PRODUCE) {
            releaseQueuedBytes(slot);
        }
    }

    /** Gives back the slot's bytes of the listener-wide bound, once; any thread. */
    private void releaseQueuedBytes(Pending slot) {
        if (slot.bytesQueued.compareAndSet(true, false)) {
            queued.released(slot.frameBytes);
        }
    }

    /** The first slot not yet handed to the broker, if it may go now; null if none may. */
    private Pending nextToDispatch(ChannelHandlerContext ctx) {
        if (undispatched == 0 || closed || !ctx.channel().isWritable()) {
            return null;
        }
        for (Pending slot : pending) {
            if (!slot.dispatched) {
                return slot.isFetch() && fetchOutstanding ? null : slot;
            }
        }
        return null;
    }

    /**
     * Completes {@code slot} on the event loop once {@code answer} does. Its bytes (a Produce's, still counted)
     * are given back as soon as the answer completes, on the completing thread and whether or not the connection
     * closed meanwhile: only then has the broker let go of the batches.
     */
    private void whenAnswered(ChannelHandlerContext ctx, Pending slot, CompletableFuture<ApiMessage> answer) {
        answer.whenComplete((response, error) -> {
            releaseQueuedBytes(slot);
            if (ctx.executor().inEventLoop()) {
                complete(ctx, slot, response, error);
            } else {
                ctx.executor().execute(() -> complete(ctx, slot, response, error));
            }
        });
    }

    /**
     * Stops reading while requests wait to be handed over, too many are held, or the listener-wide bound is
     * reached; reads again once all have eased.
     */
    private void updateReading(ChannelHandlerContext ctx) {
        var config = ctx.channel().config();
        // Read once: another event loop may ease the bound at any moment, and a connection that stopped reading
        // for a full bound must also be the one that registers to hear it eased (else it may never read again).
        boolean queueFull = queued.full();
        if (config.isAutoRead()) {
            if (undispatched > 0
                    || pending.size() >= MAX_IN_FLIGHT
                    || heldRequestBytes >= MAX_HELD_REQUEST_BYTES
                    || queueFull) {
                config.setAutoRead(false);
            }
        } else if (!closed
                && undispatched == 0
                && pending.size() <= MAX_IN_FLIGHT / 2
                && heldRequestBytes <= MAX_HELD_REQUEST_BYTES / 2
                && !queueFull) {
            config.setAutoRead(true);
        }
        if (!config.isAutoRead() && !closed && queueFull && !waitingForQueue) {
            waitingForQueue = true;
            // Runs at once if the bound eased since it was read above.
            queued.whenEased(() -> {
                try {
                    ctx.executor().execute(() -> {
                        waitingForQueue = false;
                        updateReading(ctx);
                    });
                } catch (RejectedExecutionException e) {
                    // The listener is closing: this connection's loop is gone, and the connection with it.
                }
            });
        }
    }

    private void complete(ChannelHandlerContext ctx, Pending slot, ApiMessage response, Throwable error) {
        if (closed) {
            return;
        }
        // Done first: whatever happens below, this slot must not hold up the answers queued behind it.
        slot.done = true;
        heldRequestBytes -= slot.frameBytes;
        AbstractRequest request = slot.request;
        RequestHeader header = slot.header;
        if (error != null && takesNoAnswer(request)) {
            // Kafka's answer to a failed acks=0 produce: close, so the producer refreshes its metadata.
            closeFor(ctx, header.apiKey() + " with acks=0 that failed in the broker (" + error + ")");
            return;
        }
        ApiMessage body = response;
        if (error != null) {
            log.warn(
                    "{} v{} from {} (correlation id {}) failed in the broker",
                    header.apiKey(),
                    header.apiVersion(),
                    ctx.channel().remoteAddress(),
                    header.correlationId(),
                    error);
            body = errorBody(request, KafkaApis.toKafkaException(error));
        }
        if (body != null) {
            ResponseHeader responseHeader = new ResponseHeader(
                    header.correlationId(), header.apiKey().responseHeaderVersion(header.apiVersion()));
            try {
                slot.answer = ResponseEncoder.encode(ctx.alloc(), responseHeader, body, header.apiVersion());
            } catch (RuntimeException e) {
                log.error(
                        "Could not encode the {} v{} answer for {}",
                        header.apiKey(),
                        header.apiVersion(),
                        ctx.channel().remoteAddress(),
                        e);
                try {
                    ApiMessage fallback = errorBody(request, Errors.UNKNOWN_SERVER_ERROR.exception());
                    if (fallback == null) {
                        throw new IllegalStateException("no error answer for " + header.apiKey());
                    }
                    slot.answer = ResponseEncoder.encode(ctx.alloc(), responseHeader, fallback, header.apiVersion());
                } catch (RuntimeException fallbackFailed) {
                    closeFor(
                            ctx,
                            header.apiKey() + " whose error answer could not be encoded either (" + fallbackFailed
                                    + ")");
                    return;
                }
            }
        }
        drain(ctx);
    }

    /** Whether {@code request} is answered by nothing at all: a Produce with acks=0. */
    private static boolean takesNoAnswer(AbstractRequest request) {
        return request instanceof ProduceRequest produce && produce.acks() == 0;
    }

    /** The request's own error answer, or null when it takes none. */
    private static ApiMessage errorBody(AbstractRequest request, Throwable error) {
        AbstractResponse answer = request.getErrorResponse(0, error);
        return answer == null ? null : answer.data();
    }

    /**
     * Writes every answered request at the head of the queue, in order, and flushes once; then hands over what
     * waited for that and decides whether to read.
     */
    private void drain(ChannelHandlerContext ctx) {
        boolean wrote = false;
        while (!pending.isEmpty() && pending.peekFirst().done) {
            Pending head = pending.pollFirst();
            if (head.outstandingFetch) {
                fetchOutstanding = false;
            }
            if (head.answer != null) {
                for (Object part : head.answer.parts()) {
                    ctx.write(part, ctx.voidPromise());
                }
                head.answer = null;
                wrote = true;
            }
        }
        if (wrote) {
            ctx.flush();
            activeSinceIdleCheck = true;
        }
        dispatchReady(ctx);
        updateReading(ctx);
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
        if (ctx.channel().isWritable()) {
            dispatchReady(ctx);
            updateReading(ctx);
        }
        ctx.fireChannelWritabilityChanged();
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        scheduleIdleCheck(ctx);
        ctx.fireChannelActive();
    }

    private void scheduleIdleCheck(ChannelHandlerContext ctx) {
        ctx.executor().schedule(() -> checkIdle(ctx), maxIdleMs, TimeUnit.MILLISECONDS);
    }

    private void checkIdle(ChannelHandlerContext ctx) {
        if (closed) {
            return;
        }
        if (!activeSinceIdleCheck && pending.isEmpty()) {
            log.info(
                    "Closing the connection from {}: idle for connections.max.idle.ms={}",
                    ctx.channel().remoteAddress(),
                    maxIdleMs);
            closeNow(ctx);
            return;
        }
        activeSinceIdleCheck = false;
        scheduleIdleCheck(ctx);
    }

    private void answerApiVersionsFallback(ChannelHandlerContext ctx, int correlationId, short version) {
        ApiVersionsResponseData body = ApiVersionsTable.response().setErrorCode(Errors.UNSUPPORTED_VERSION.code());
        RequestHeader header = new RequestHeader(
                new org.apache.kafka.common.message.RequestHeaderData()
                        .setRequestApiKey(ApiKeys.API_VERSIONS.id)
                        .setRequestApiVersion((short) 0)
                        .setCorrelationId(correlationId),
                (short) 1);
        log.debug(
                "ApiVersions v{} from {} is newer than served: answering v0",
                version,
                ctx.channel().remoteAddress());
        Pending slot = new Pending(header, null, 0);
        slot.dispatched = true;
        pending.addLast(slot);
        // A v0 answer with a v0 header, whatever version was asked for.
        slot.done = true;
        slot.answer =
                ResponseEncoder.encode(ctx.alloc(), new ResponseHeader(correlationId, (short) 0), body, (short) 0);
        drain(ctx);
    }

    private void closeFor(ChannelHandlerContext ctx, String what) {
        log.warn("Closing the connection from {}: it sent {}", ctx.channel().remoteAddress(), what);
        closeNow(ctx);
    }

    private void closeNow(ChannelHandlerContext ctx) {
        if (closed) {
            return;
        }
        closed = true;
        releaseAll();
        ctx.close();
    }

    /**
     * Frees every queued answer and gives back what the requests not yet handed to the broker held of the
     * listener-wide bound; a dispatched Produce gives its bytes back when its answer completes (see
     * {@link #whenAnswered}), since the broker holds its batches until then.
     */
    private void releaseAll() {
        for (Pending p : pending) {
            if (p.answer != null) {
                p.answer.release();
            }
            if (!p.dispatched) {
                queued.dispatched();
                releaseQueuedBytes(p);
            }
        }
        pending.clear();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        if (segmentClosed(cause) != null) {
            if (closed) {
                return; // the same failure, reported again as the rest of the outbound buffer is failed
            }
            log.warn(
                    "Closing the connection from {}: a Fetch answer could not be sent, {}; the client fetches again",
                    ctx.channel().remoteAddress(),
                    segmentClosed(cause).getMessage());
        } else if (cause instanceof TooLongFrameException) {
            log.warn(
                    "Closing the connection from {}: a request frame over socket.request.max.bytes={} ({})",
                    ctx.channel().remoteAddress(),
                    maxFrameBytes,
                    cause.getMessage());
        } else if (cause instanceof io.netty.handler.codec.CorruptedFrameException) {
            log.warn(
                    "Closing the connection from {}: it sent a frame whose size prefix is invalid ({})",
                    ctx.channel().remoteAddress(),
                    cause.getMessage());
        } else if (cause instanceof java.io.IOException) {
            log.debug("Connection from {} failed: {}", ctx.channel().remoteAddress(), cause.toString());
        } else {
            log.warn(
                    "Closing the connection from {} after an error",
                    ctx.channel().remoteAddress(),
                    cause);
        }
        closeNow(ctx);
    }

    /** The {@link SegmentFileRegion.SegmentClosedException} behind {@code cause}, or null. */
    private static Throwable segmentClosed(Throwable cause) {
        for (Throwable t = cause; t != null; t = t.getCause()) {
            if (t instanceof SegmentFileRegion.SegmentClosedException) {
                return t;
            }
        }
        return null;
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        closed = true;
        releaseAll();
        ctx.fireChannelInactive();
    }
}
