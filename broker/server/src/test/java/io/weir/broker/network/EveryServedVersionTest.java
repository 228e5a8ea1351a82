package io.weir.broker.network;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.apache.kafka.common.message.ApiMessageType;
import org.apache.kafka.common.message.ApiVersionsRequestData;
import org.apache.kafka.common.message.ApiVersionsResponseData;
import org.apache.kafka.common.message.ProduceRequestData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.requests.AbstractResponse;
import org.apache.kafka.common.requests.ApiVersionsResponse;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every API and version the listener advertises answers a request (its generated default form) with a response of
 * that version: no version-specific field is written where the version lacks it, nothing closes the connection.
 */
class EveryServedVersionTest {
    private static final Logger NETWORK_LOG = Logger.getLogger("io.weir.broker.network");

    @TempDir
    Path dir;

    @Test
    void everyAdvertisedApiAndVersionAnswers() throws Exception {
        List<String> failures = new ArrayList<>();
        Handler capture = new Handler() {
            @Override
            public void publish(LogRecord record) {
                if (record.getLevel().intValue() >= Level.WARNING.intValue()) {
                    synchronized (failures) {
                        failures.add(record.getMessage() + " " + record.getThrown());
                    }
                }
            }

            @Override
            public void flush() {}

            @Override
            public void close() {}
        };
        NETWORK_LOG.addHandler(capture);
        int answered = 0;
        try (ListenerFixture weir = new ListenerFixture(dir);
                RawConnection client = new RawConnection(weir.broker.boundPort())) {
            ApiVersionsResponseData advertised = ((ApiVersionsResponse) client.call(
                            ApiKeys.API_VERSIONS,
                            (short) 3,
                            new ApiVersionsRequestData()
                                    .setClientSoftwareName("t")
                                    .setClientSoftwareVersion("1")))
                    .data();
            for (ApiVersionsResponseData.ApiVersion api : advertised.apiKeys()) {
                ApiKeys key = ApiKeys.forId(api.apiKey());
                for (short v = api.minVersion(); v <= api.maxVersion(); v++) {
                    ApiMessage request = ApiMessageType.fromApiKey(key.id).newRequest();
                    if (request instanceof ProduceRequestData produce) {
                        produce.setAcks((short) 1); // acks=0 takes no answer
                    }
                    AbstractResponse answer = client.call(key, v, request);
                    assertEquals(key, answer.apiKey());
                    answered++;
                }
            }
        } finally {
            NETWORK_LOG.removeHandler(capture);
        }
        assertTrue(answered > 100, "answered " + answered);
        synchronized (failures) {
            assertTrue(failures.isEmpty(), String.join("\n", failures));
        }
    }
}
