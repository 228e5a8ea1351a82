package io.weir.common.protocol;

import java.util.List;
import java.util.Map;

/** Topics to create; a partition count of -1 takes the broker's {@code num.partitions}. */
public record CreateTopicsRequest(List<NewTopicSpec> topics, boolean validateOnly) {

    public record NewTopicSpec(String name, int partitions, Map<String, String> configs) {}
}
