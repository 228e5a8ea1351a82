package io.weir.broker.network.internals;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.ServerChannel;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.LengthFieldBasedFrameDecoder;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.weir.broker.network.ListenerConfig;
import io.weir.common.errors.KafkaStorageException;
import io.weir.common.protocol.BrokerApi;
import io.weir.common.utils.Time;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The broker's Kafka-protocol socket: a Netty server whose connections each run a length-field frame decoder
 * capped at {@code socket.request.max.bytes} and a {@link ConnectionHandler} that translates requests to the
 * broker's {@link BrokerApi} (and closes connections idle for {@code connections.max.idle.ms}), all under one
 * {@link QueuedRequests} bound ({@code queued.max.requests}, {@code queued.max.request.bytes}) and one
 * {@link FetchSessionCache}. Epoll where the native
 * transport loads, NIO otherwise. Connections are accepted only once the broker's identity (the advertised host and
 * the bound port) is known, so no request is ever answered without it.
 *
 * <p>Lifecycle: bound in {@link #start}, then closed; {@link #close()} is idempotent. Thread-safe.
 */
public final class KafkaListener implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(KafkaListener.class);
    /** Event-loop threads serving connections: the machines Weir targets have few cores. */
    private static final int WORKER_THREADS =
            Math.max(2, Math.min(4, Runtime.getRuntime().availableProcessors()));
    /**
     * A connection's outbound buffer: above the high mark it is unwritable and hands no request to the broker until
     * it drains below the low mark (see {@link ConnectionHandler}).
     */
    static final WriteBufferWaterMark WATER_MARK = new WriteBufferWaterMark(256 * 1024, 1024 * 1024);

    private final EventLoopGroup bossGroup;
    private final EventLoopGroup workerGroup;
    /** Runs broker calls off the event loops; grows with the connections whose calls wait at once. */
    private final ExecutorService brokerCallPool;

    private final Channel serverChannel;
    private final InetSocketAddress boundAddress;
    private final BrokerIdentity identity;
    private final FetchSessionCache fetchSessions;
    private volatile boolean closed;

    private KafkaListener(ListenerConfig config, BrokerApi api, int nodeId, String clusterId) {
        boolean epoll = Epoll.isAvailable();
        IoHandlerFactory io = epoll ? EpollIoHandler.newFactory() : NioIoHandler.newFactory();
        Class<? extends ServerChannel> channelType =
                epoll ? EpollServerSocketChannel.class : NioServerSocketChannel.class;
        this.bossGroup = new MultiThreadIoEventLoopGroup(1, new DefaultThreadFactory("weir-listener-accept", true), io);
        this.workerGroup =
                new MultiThreadIoEventLoopGroup(WORKER_THREADS, new DefaultThreadFactory("weir-network", true), io);
        this.brokerCallPool = Executors.newCachedThreadPool(new DefaultThreadFactory("weir-broker-call", true));
        IdentityHolder holder = new IdentityHolder();
        this.fetchSessions =
                new FetchSessionCache(config.fetchSessionCacheSlots(), Time.SYSTEM, () -> ThreadLocalRandom.current()
                        .nextInt());
        KafkaApis apis = new KafkaApis(api, holder::get, config.fetchMaxBytes(), fetchSessions);
        QueuedRequests queued = new QueuedRequests(config.queuedMaxRequests(), config.queuedMaxRequestBytes());
        int maxFrame = config.socketRequestMaxBytes();
        // Netty counts the 4-byte size prefix against the limit; Kafka's limit is on what follows it.
        int maxFrameWithPrefix = (int) Math.min(Integer.MAX_VALUE, (long) maxFrame + 4);
        long maxIdleMs = config.connectionsMaxIdleMs();
        ServerBootstrap bootstrap = new ServerBootstrap()
                .group(bossGroup, workerGroup)
                .channel(channelType)
                .option(ChannelOption.SO_BACKLOG, 1024)
                .option(ChannelOption.SO_REUSEADDR, true)
                .option(ChannelOption.AUTO_READ, false) // accept once the identity is set, below
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childOption(ChannelOption.SO_KEEPALIVE, true)
                .childOption(ChannelOption.WRITE_BUFFER_WATER_MARK, WATER_MARK)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        ch.pipeline()
                                // 4-byte size prefix, stripped; fail fast, so an oversized frame closes at once
                                .addLast(
                                        "frames",
                                        new LengthFieldBasedFrameDecoder(maxFrameWithPrefix, 0, 4, 0, 4, true))
                                .addLast(
                                        "requests",
                                        new ConnectionHandler(apis, queued, brokerCallPool, maxFrame, maxIdleMs));
                    }
                });
        ListenerConfig.Endpoint endpoint = config.listener();
        InetSocketAddress bindTo = endpoint.host().isEmpty()
                ? new InetSocketAddress(endpoint.port())
                : new InetSocketAddress(endpoint.host(), endpoint.port());
        try {
            this.serverChannel = bootstrap.bind(bindTo).sync().channel();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            shutdownGroups();
            throw new KafkaStorageException("Interrupted while binding the listener to " + endpoint, e);
        } catch (RuntimeException e) {
            shutdownGroups();
            throw new KafkaStorageException("Could not bind the listener to " + endpoint + ": " + e, e);
        }
        this.boundAddress = (InetSocketAddress) serverChannel.localAddress();
        ListenerConfig.Endpoint adv = config.advertised();
        String host = adv != null && !adv.host().isEmpty() ? adv.host() : advertisedHost(endpoint.host());
        int port = adv != null && adv.port() != 0 ? adv.port() : boundAddress.getPort();
        this.identity = new BrokerIdentity(nodeId, clusterId, host, port);
        holder.identity = identity;
        serverChannel.config().setAutoRead(true);
        log.info(
                "Kafka listener bound to {} ({}), advertised as {}:{}",
                boundAddress,
                epoll ? "epoll" : "nio",
                identity.host(),
                identity.port());
    }

    /**
     * Binds {@code config}'s listener and serves {@code api} on it.
     *
     * @throws KafkaStorageException the address could not be bound (in use, unknown host)
     */
    public static KafkaListener start(ListenerConfig config, BrokerApi api, int nodeId, String clusterId) {
        return new KafkaListener(config, api, nodeId, clusterId);
    }

    private static String advertisedHost(String bindHost) {
        if (!bindHost.isEmpty() && !bindHost.equals("0.0.0.0") && !bindHost.equals("::")) {
            return bindHost;
        }
        try {
            return InetAddress.getLocalHost().getCanonicalHostName();
        } catch (UnknownHostException e) {
            return "localhost";
        }
    }

    /** The address the socket is bound to (its port is the chosen one when {@code listeners} asked for port 0). */
    public InetSocketAddress boundAddress() {
        return boundAddress;
    }

    /** The host and port clients are told to connect to. */
    public BrokerIdentity identity() {
        return identity;
    }

    /** The fetch sessions this listener keeps. */
    FetchSessionCache fetchSessions() {
        return fetchSessions;
    }

    /** Stops accepting, closes every connection and stops the event loops; waits for them. Idempotent. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        serverChannel.close().syncUninterruptibly();
        shutdownGroups();
    }

    private void shutdownGroups() {
        bossGroup.shutdownGracefully(0, 5, TimeUnit.SECONDS).syncUninterruptibly();
        workerGroup.shutdownGracefully(0, 5, TimeUnit.SECONDS).syncUninterruptibly();
        brokerCallPool.shutdownNow(); // interrupts calls still waiting (for ring space): their connections are gone
    }

    /** The identity is known only once bound; the server channel accepts only after it is set. */
    private static final class IdentityHolder {
        volatile BrokerIdentity identity;

        BrokerIdentity get() {
            return identity;
        }
    }
}
