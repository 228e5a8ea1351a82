package io.weir.broker.network.internals;

import java.util.EnumMap;
import java.util.Map;
import org.apache.kafka.common.message.ApiVersionsResponseData;
import org.apache.kafka.common.message.ApiVersionsResponseData.ApiVersion;
import org.apache.kafka.common.message.ApiVersionsResponseData.ApiVersionCollection;
import org.apache.kafka.common.protocol.ApiKeys;

/**
 * The APIs and versions the listener serves: from the oldest version kafka-clients defines up to a cap. The caps
 * stop where a version needs what Weir does not have: topic ids instead of names (Produce v13, Fetch v13+,
 * OffsetCommit and OffsetFetch v10), Kafka's transaction protocol v2 (EndTxn v5, TxnOffsetCommit v5, and
 * InitProducerId v6's two-phase commit), the inter-broker form of AddPartitionsToTxn (v4+), share groups
 * (FindCoordinator v6). Advertised in ApiVersions exactly as served. Immutable.
 */
final class ApiVersionsTable {
    private static final Map<ApiKeys, Short> MAX = new EnumMap<>(ApiKeys.class);

    static {
        cap(ApiKeys.API_VERSIONS, 4);
        cap(ApiKeys.METADATA, 12);
        cap(ApiKeys.PRODUCE, 12);
        cap(ApiKeys.FETCH, 12);
        cap(ApiKeys.LIST_OFFSETS, 10);
        cap(ApiKeys.FIND_COORDINATOR, 5);
        cap(ApiKeys.INIT_PRODUCER_ID, 5);
        cap(ApiKeys.JOIN_GROUP, 9);
        cap(ApiKeys.SYNC_GROUP, 5);
        cap(ApiKeys.HEARTBEAT, 4);
        cap(ApiKeys.LEAVE_GROUP, 5);
        cap(ApiKeys.OFFSET_COMMIT, 9);
        cap(ApiKeys.OFFSET_FETCH, 9);
        cap(ApiKeys.ADD_PARTITIONS_TO_TXN, 3);
        cap(ApiKeys.ADD_OFFSETS_TO_TXN, 4);
        cap(ApiKeys.END_TXN, 4);
        cap(ApiKeys.TXN_OFFSET_COMMIT, 4);
        cap(ApiKeys.CREATE_TOPICS, 7);
        cap(ApiKeys.DELETE_TOPICS, 5);
        cap(ApiKeys.CREATE_PARTITIONS, 3);
        cap(ApiKeys.DELETE_RECORDS, 2);
        cap(ApiKeys.DESCRIBE_CONFIGS, 4);
        cap(ApiKeys.INCREMENTAL_ALTER_CONFIGS, 1);
        cap(ApiKeys.DESCRIBE_CLUSTER, 1);
        cap(ApiKeys.DESCRIBE_GROUPS, 5);
        cap(ApiKeys.LIST_GROUPS, 5);
        cap(ApiKeys.DELETE_GROUPS, 2);
        cap(ApiKeys.OFFSET_DELETE, 0);
        cap(ApiKeys.DESCRIBE_PRODUCERS, 0);
        cap(ApiKeys.LIST_TRANSACTIONS, 1);
        cap(ApiKeys.DESCRIBE_TRANSACTIONS, 0);
        cap(ApiKeys.WRITE_TXN_MARKERS, 1);
    }

    private ApiVersionsTable() {}

    private static void cap(ApiKeys key, int max) {
        MAX.put(key, (short) Math.min(max, key.latestVersion()));
    }

    /** Whether the listener serves {@code version} of {@code key}. */
    static boolean serves(ApiKeys key, short version) {
        Short max = MAX.get(key);
        return max != null && version >= key.oldestVersion() && version <= max;
    }

    /** The newest version of {@code key} served, or -1. */
    static short maxVersion(ApiKeys key) {
        Short max = MAX.get(key);
        return max == null ? -1 : max;
    }

    /** A fresh ApiVersions answer listing every served API with its version range. */
    static ApiVersionsResponseData response() {
        ApiVersionCollection versions = new ApiVersionCollection();
        MAX.forEach((key, max) -> versions.add(new ApiVersion()
                .setApiKey(key.id)
                .setMinVersion(key.oldestVersion())
                .setMaxVersion(max)));
        return new ApiVersionsResponseData().setErrorCode((short) 0).setApiKeys(versions);
    }
}
