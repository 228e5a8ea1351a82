package io.weir.streams;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.weir.streams.kstream.KTable;
import io.weir.streams.kstream.Materialized;
import io.weir.streams.state.Stores;
import org.junit.jupiter.api.Test;

/** {@code KTable.queryableStoreName()} as Kafka Streams answers it: a name only for a store the user named. */
class QueryableStoreNameTest {

    @Test
    void sourceTableWithoutMaterializedIsNotQueryable() {
        assertNull(new StreamsBuilder().table("t").queryableStoreName());
    }

    @Test
    void sourceTableMaterializedWithSerdesOnlyIsNotQueryable() {
        assertNull(
                new StreamsBuilder().table("t", Materialized.with(null, null)).queryableStoreName());
    }

    @Test
    void sourceTableMaterializedAsNameIsQueryableByThatName() {
        assertEquals(
                "customers-store",
                new StreamsBuilder()
                        .table("t", Materialized.as("customers-store"))
                        .queryableStoreName());
    }

    @Test
    void sourceTableMaterializedAsSupplierIsQueryableBySupplierName() {
        assertEquals(
                "mem",
                new StreamsBuilder()
                        .table("t", Materialized.as(Stores.inMemoryKeyValueStore("mem")))
                        .queryableStoreName());
    }

    @Test
    void unnamedAggregateIsNotQueryable() {
        assertNull(new StreamsBuilder().stream("s").groupByKey().count().queryableStoreName());
    }

    @Test
    void aggregateMaterializedAsNameIsQueryable() {
        assertEquals(
                "counts",
                new StreamsBuilder()
                        .stream("s")
                                .groupByKey()
                                .count(Materialized.as("counts"))
                                .queryableStoreName());
    }

    @Test
    void unnamedToTableIsNotQueryable() {
        assertNull(new StreamsBuilder().stream("s").toTable().queryableStoreName());
    }

    @Test
    void filterOfQueryableTableIsNotQueryable() {
        KTable<Object, Object> table = new StreamsBuilder().table("t", Materialized.as("named"));
        assertNull(table.filter((k, v) -> true).queryableStoreName());
    }
}
