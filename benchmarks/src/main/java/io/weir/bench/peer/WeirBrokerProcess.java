package io.weir.bench.peer;

import io.weir.broker.EmbeddedBroker;
import io.weir.broker.WeirBrokerMain;
import java.util.concurrent.CountDownLatch;

/**
 * The child JVM running a standalone Weir broker for a peer benchmark (started by {@link WeirPeer}):
 * {@link WeirBrokerMain} with the given {@code --key value} flags, serving until killed. As {@link
 * KafkaBrokerProcess}, it halts when its standard input ends, so a benchmark that dies leaves no broker behind.
 */
public final class WeirBrokerProcess {
    private WeirBrokerProcess() {}

    public static void main(String[] args) throws InterruptedException {
        KafkaPeer.haltWhenStdinEnds();
        EmbeddedBroker broker = WeirBrokerMain.start(args, System.out);
        Runtime.getRuntime().addShutdownHook(new Thread(broker::close, "weir-broker-shutdown"));
        new CountDownLatch(1).await();
    }
}
