package io.weir.streams.processor.internals;

import io.weir.streams.processor.api.Processor;
import io.weir.streams.processor.api.Record;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One node of a task's instantiated topology: its processor and its children. Types are erased here; the DSL
 * and the {@code Topology} methods check them where the user writes them. Used by its task's thread only.
 */
final class ProcessorNode {
    private final String name;
    private final Processor<Object, Object, Object, Object> processor;
    private final Map<String, ProcessorNode> children = new LinkedHashMap<>();
    /** The children as a list, made once they are all added: every forward walks it (no copy per record). */
    private List<ProcessorNode> childList = List.of();

    ProcessorNode(String name, Processor<Object, Object, Object, Object> processor) {
        this.name = name;
        this.processor = processor;
    }

    String name() {
        return name;
    }

    void addChild(ProcessorNode child) {
        children.put(child.name, child);
        childList = List.copyOf(children.values());
    }

    List<ProcessorNode> children() {
        return childList;
    }

    ProcessorNode child(String childName) {
        return children.get(childName);
    }

    /** The processor of a source node, which the task asks to deserialize. */
    Processor<Object, Object, Object, Object> processorForSource() {
        return processor;
    }

    void init(ProcessorContextImpl context) {
        processor.init(context);
    }

    void process(Record<Object, Object> record) {
        processor.process(record);
    }

    void close() {
        processor.close();
    }

    @Override
    public String toString() {
        return name;
    }
}
