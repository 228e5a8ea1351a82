package io.weir.streams.processor.internals;

import io.weir.streams.processor.api.ProcessorContext;
import io.weir.streams.processor.api.Record;
import java.util.function.Consumer;

/**
 * How a DSL processor whose store caches forwards what the cache flushes, as Kafka Streams' cache flush listeners
 * do: called in the processor's {@code init}, it binds a forwarder to the node being initialised, so that a flush at
 * a commit (or an eviction during another write) reaches that node's children.
 */
public final class CacheForwarding {
    private CacheForwarding() {}

    /** A forwarder to the children of the node {@code context} is initialising now. */
    public static <K, V> Consumer<Record<K, V>> boundToCurrentNode(ProcessorContext<K, V> context) {
        ProcessorContextImpl impl = (ProcessorContextImpl) (ProcessorContext<?, ?>) context;
        ProcessorNode node = impl.currentNode();
        if (node == null) {
            throw new IllegalStateException("CacheForwarding.boundToCurrentNode must be called from init");
        }
        return record -> impl.forwardFrom(node, record);
    }
}
