package dev.ccop.bench;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;

/**
 * The floor of an event-loop relay: one thread and one selector copy bytes between each client connection and an
 * upstream connection of its own, both ways, with back-pressure (a side that cannot take more stops the other side's
 * reads). Nothing is parsed or translated, so no relay that reads HTTP can cost less; an event-loop proxy (Netty,
 * Vert.x) would add its HTTP codecs and the translation to this.
 */
public final class PipeRelay {
    private static final int BUFFER = 16 * 1024;

    /** One direction of a pair: bytes read from {@code from} wait in {@code buffer} until {@code to} takes them. */
    private static final class Direction {
        final SocketChannel from;
        final SocketChannel to;
        final ByteBuffer buffer = ByteBuffer.allocateDirect(BUFFER);
        SelectionKey fromKey;
        SelectionKey toKey;
        Direction back;

        Direction(SocketChannel from, SocketChannel to) {
            this.from = from;
            this.to = to;
        }
    }

    public static void main(String[] args) throws IOException {
        int port = Integer.parseInt(args[0]);
        InetSocketAddress upstream = new InetSocketAddress("127.0.0.1", Integer.parseInt(args[1]));
        Selector selector = Selector.open();
        ServerSocketChannel server = ServerSocketChannel.open();
        server.bind(new InetSocketAddress("127.0.0.1", port), 1024);
        server.configureBlocking(false);
        server.register(selector, SelectionKey.OP_ACCEPT);
        while (true) {
            selector.select();
            for (SelectionKey key : selector.selectedKeys()) {
                try {
                    if (!key.isValid()) {
                        continue;
                    }
                    if (key.isAcceptable()) {
                        accept(server, upstream, selector);
                        continue;
                    }
                    Object[] pair = (Object[]) key.attachment(); // [direction read on this channel, direction written]
                    if (key.isReadable()) {
                        read((Direction) pair[0]);
                    }
                    if (key.isValid() && key.isWritable()) {
                        drain((Direction) pair[1]);
                    }
                } catch (IOException e) {
                    closeBoth(key);
                }
            }
            selector.selectedKeys().clear();
        }
    }

    private static void accept(ServerSocketChannel server, InetSocketAddress upstream, Selector selector)
            throws IOException {
        SocketChannel client = server.accept();
        if (client == null) {
            return;
        }
        SocketChannel up = SocketChannel.open(upstream); // loopback: connected at once
        for (SocketChannel channel : new SocketChannel[] {client, up}) {
            channel.setOption(StandardSocketOptions.TCP_NODELAY, true);
            channel.configureBlocking(false);
        }
        Direction request = new Direction(client, up);
        Direction answer = new Direction(up, client);
        request.back = answer;
        answer.back = request;
        SelectionKey clientKey = client.register(selector, SelectionKey.OP_READ, new Object[] {request, answer});
        SelectionKey upKey = up.register(selector, SelectionKey.OP_READ, new Object[] {answer, request});
        request.fromKey = clientKey;
        request.toKey = upKey;
        answer.fromKey = upKey;
        answer.toKey = clientKey;
    }

    private static void read(Direction d) throws IOException {
        if (d.from.read(d.buffer) < 0) {
            throw new IOException("closed");
        }
        drain(d);
    }

    /** Writes what is waiting; while some is left, the reading side pauses and the writing side waits to be able. */
    private static void drain(Direction d) throws IOException {
        d.buffer.flip();
        d.to.write(d.buffer);
        boolean left = d.buffer.hasRemaining();
        d.buffer.compact();
        d.fromKey.interestOps(left ? d.fromKey.interestOps() & ~SelectionKey.OP_READ
                : d.fromKey.interestOps() | SelectionKey.OP_READ);
        d.toKey.interestOps(left ? d.toKey.interestOps() | SelectionKey.OP_WRITE
                : d.toKey.interestOps() & ~SelectionKey.OP_WRITE);
    }

    private static void closeBoth(SelectionKey key) {
        Object[] pair = (Object[]) key.attachment();
        Direction d = (Direction) pair[0];
        try {
            d.from.close();
        } catch (IOException ignored) {
            // closing
        }
        try {
            d.to.close();
        } catch (IOException ignored) {
            // closing
        }
    }
}
