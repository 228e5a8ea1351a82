package io.weir.common.protocol;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Per resource, the operations that change its configuration (Kafka's IncrementalAlterConfigs). A resource's
 * operations apply all or none; with {@code validateOnly} they are only checked.
 */
public record IncrementalAlterConfigsRequest(
        Map<ConfigResourceKey, List<AlterableConfig>> resources, boolean validateOnly) {
    public IncrementalAlterConfigsRequest {
        Map<ConfigResourceKey, List<AlterableConfig>> copy = new HashMap<>();
        resources.forEach((resource, ops) -> copy.put(resource, List.copyOf(ops)));
        resources = Map.copyOf(copy);
    }

    /** One key's operation; {@code value} is ignored (and may be null) for {@link OpType#DELETE}. */
    public record AlterableConfig(String name, OpType op, String value) {}

    /** Kafka's {@code AlterConfigOp.OpType}, with its wire codes. */
    public enum OpType {
        /** Set the value. */
        SET(0),
        /** Remove the resource's own value, so the default applies again. */
        DELETE(1),
        /** Add elements to a list-valued key, skipping those already present. */
        APPEND(2),
        /** Remove elements from a list-valued key. */
        SUBTRACT(3);

        private final byte code;

        OpType(int code) {
            this.code = (byte) code;
        }

        public byte code() {
            return code;
        }
    }
}
