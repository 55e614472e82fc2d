package dev.ccop.session;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Every block of every session, stored once: blocks are keyed by their content, so a history that the client resends
 * with each request adds nothing but what is new. Sessions hold the proxy's decisions about their context
 * ({@link SessionState}) so that a restarted proxy edits the conversation exactly as before.
 *
 * <p>Embedded SQLite in the state directory by default (WAL, one connection: SQLite serialises writers anyway), or a
 * PostgreSQL server named by a JDBC URL, for several proxies that share sessions. The SQL is the part both speak. The
 * schema carries its version (table {@code schema_version}) and is brought up to date at start, one migration at a
 * time, in a transaction each.
 */
public final class SessionStore implements AutoCloseable {
    /** Migration n brings the schema from version n to n + 1. */
    private static final List<String> MIGRATIONS = List.of("""
            CREATE TABLE sessions (
                id TEXT PRIMARY KEY,
                created_at BIGINT NOT NULL,
                updated_at BIGINT NOT NULL,
                requests INTEGER NOT NULL DEFAULT 0,
                state TEXT);
            CREATE TABLE blocks (
                hash TEXT PRIMARY KEY,
                kind TEXT NOT NULL,
                tool TEXT,
                text TEXT NOT NULL,
                tokens INTEGER NOT NULL);
            CREATE TABLE session_blocks (
                session_id TEXT NOT NULL REFERENCES sessions(id) ON DELETE CASCADE,
                hash TEXT NOT NULL REFERENCES blocks(hash),
                turn INTEGER NOT NULL,
                role TEXT NOT NULL,
                seen_at BIGINT NOT NULL,
                PRIMARY KEY (session_id, hash));
            CREATE INDEX session_blocks_by_session ON session_blocks(session_id, turn);
            CREATE INDEX sessions_by_update ON sessions(updated_at);
            """);

    /** One stored block: what it is, the tool it belongs to (tool uses and results), its text and size. */
    public record StoredBlock(String hash, String kind, String tool, String text, int tokens, int turn, String role) {}

    /** A session as listed: when it started and was last used, how many requests, blocks and tokens it holds. */
    public record SessionSummary(String id, long createdAt, long updatedAt, int requests, int blocks, long tokens) {}

    private final Connection connection;
    private final ReentrantLock lock = new ReentrantLock();

    private SessionStore(Connection connection) {
        this.connection = connection;
    }

    /** Opens (creating when missing) the store at {@code file}, migrated to the current schema. */
    public static SessionStore open(Path file) {
        try {
            Files.createDirectories(file.toAbsolutePath().getParent());
        } catch (java.io.IOException e) {
            throw new IllegalStateException("cannot create the directory of the session store " + file, e);
        }
        return connect("jdbc:sqlite:" + file.toAbsolutePath());
    }

    /** Opens the store {@code --session-store} names: a JDBC URL ({@code jdbc:postgresql://…}), else a file. */
    public static SessionStore open(String location) {
        return location.startsWith("jdbc:") ? connect(location) : open(Path.of(location));
    }

    private static SessionStore connect(String url) {
        try {
            Connection connection = DriverManager.getConnection(url);
            if (url.startsWith("jdbc:sqlite:")) {
                try (Statement statement = connection.createStatement()) {
                    statement.execute("PRAGMA journal_mode=WAL");
                    statement.execute("PRAGMA foreign_keys=ON");
                    statement.execute("PRAGMA busy_timeout=5000");
                }
            }
            SessionStore store = new SessionStore(connection);
            store.migrate();
            return store;
        } catch (SQLException e) {
            throw new IllegalStateException("cannot open the session store " + withoutPassword(url) + ": "
                    + e.getMessage(), e);
        }
    }

    private static String withoutPassword(String url) {
        return url.replaceAll("(?i)(password=)[^&]*", "$1…");
    }

    private void migrate() throws SQLException {
        connection.setAutoCommit(false);
        try (Statement statement = connection.createStatement()) {
            statement.execute("CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL)");
            int version;
            try (ResultSet rs = statement.executeQuery("SELECT MAX(version) FROM schema_version")) {
                version = rs.next() ? rs.getInt(1) : 0;
            }
            if (version > MIGRATIONS.size()) {
                throw new SQLException("the store's schema version " + version + " is newer than this proxy knows ("
                        + MIGRATIONS.size() + "); use a newer proxy or another --session-store");
            }
            for (int v = version; v < MIGRATIONS.size(); v++) {
                for (String sql : MIGRATIONS.get(v).split(";")) {
                    if (!sql.isBlank()) {
                        statement.execute(sql);
                    }
                }
                statement.execute("INSERT INTO schema_version (version) VALUES (" + (v + 1) + ")");
            }
            connection.commit();
        } catch (SQLException e) {
            connection.rollback();
            throw e;
        } finally {
            connection.setAutoCommit(true);
        }
    }

    int schemaVersion() {
        return query(() -> {
            try (Statement statement = connection.createStatement();
                    ResultSet rs = statement.executeQuery("SELECT MAX(version) FROM schema_version")) {
                return rs.next() ? rs.getInt(1) : 0;
            }
        });
    }

    /** Records one request's new blocks (those not already in the session) and counts the request. */
    void record(String sessionId, List<StoredBlock> newBlocks, long now) {
        update(() -> {
            try (PreparedStatement session = connection.prepareStatement("INSERT INTO sessions (id, created_at,"
                    + " updated_at, requests) VALUES (?, ?, ?, 1) ON CONFLICT (id) DO UPDATE SET updated_at = excluded"
                    + ".updated_at, requests = sessions.requests + 1");
                    PreparedStatement block = connection.prepareStatement("INSERT INTO blocks (hash, kind, tool, text,"
                            + " tokens) VALUES (?, ?, ?, ?, ?) ON CONFLICT (hash) DO NOTHING");
                    PreparedStatement link = connection.prepareStatement("INSERT INTO session_blocks (session_id,"
                            + " hash, turn, role, seen_at) VALUES (?, ?, ?, ?, ?) ON CONFLICT DO NOTHING")) {
                session.setString(1, sessionId);
                session.setLong(2, now);
                session.setLong(3, now);
                session.executeUpdate();
                for (StoredBlock b : newBlocks) {
                    block.setString(1, b.hash());
                    block.setString(2, b.kind());
                    block.setString(3, b.tool());
                    block.setString(4, b.text());
                    block.setInt(5, b.tokens());
                    block.addBatch();
                    link.setString(1, sessionId);
                    link.setString(2, b.hash());
                    link.setInt(3, b.turn());
                    link.setString(4, b.role());
                    link.setLong(5, now);
                    link.addBatch();
                }
                block.executeBatch();
                link.executeBatch();
            }
        });
    }

    /** Every block of a session, oldest first. */
    public List<StoredBlock> blocks(String sessionId) {
        return query(() -> {
            try (PreparedStatement statement = connection.prepareStatement("SELECT b.hash, b.kind, b.tool, b.text,"
                    + " b.tokens, s.turn, s.role FROM session_blocks s JOIN blocks b ON b.hash = s.hash"
                    + " WHERE s.session_id = ? ORDER BY s.seen_at, s.turn")) {
                statement.setString(1, sessionId);
                List<StoredBlock> blocks = new ArrayList<>();
                try (ResultSet rs = statement.executeQuery()) {
                    while (rs.next()) {
                        blocks.add(new StoredBlock(rs.getString(1), rs.getString(2), rs.getString(3),
                                rs.getString(4), rs.getInt(5), rs.getInt(6), rs.getString(7)));
                    }
                }
                return blocks;
            }
        });
    }

    /** The session's saved context decisions as JSON; null when it has none (or does not exist). */
    String state(String sessionId) {
        return query(() -> {
            try (PreparedStatement statement = connection.prepareStatement("SELECT state FROM sessions WHERE id = ?")) {
                statement.setString(1, sessionId);
                try (ResultSet rs = statement.executeQuery()) {
                    return rs.next() ? rs.getString(1) : null;
                }
            }
        });
    }

    void saveState(String sessionId, String json) {
        update(() -> {
            try (PreparedStatement statement = connection.prepareStatement("UPDATE sessions SET state = ? WHERE id = ?")) {
                statement.setString(1, json);
                statement.setString(2, sessionId);
                statement.executeUpdate();
            }
        });
    }

    /** Sessions, most recently used first. */
    public List<SessionSummary> list() {
        return query(() -> {
            try (Statement statement = connection.createStatement();
                    ResultSet rs = statement.executeQuery("SELECT s.id, s.created_at, s.updated_at, s.requests,"
                            + " COUNT(sb.hash), COALESCE(SUM(b.tokens), 0) FROM sessions s"
                            + " LEFT JOIN session_blocks sb ON sb.session_id = s.id LEFT JOIN blocks b ON b.hash = sb.hash"
                            + " GROUP BY s.id ORDER BY s.updated_at DESC")) {
                List<SessionSummary> sessions = new ArrayList<>();
                while (rs.next()) {
                    sessions.add(new SessionSummary(rs.getString(1), rs.getLong(2), rs.getLong(3), rs.getInt(4),
                            rs.getInt(5), rs.getLong(6)));
                }
                return sessions;
            }
        });
    }

    /** Deletes a session and every block no other session holds; false when there was no such session. */
    public boolean delete(String sessionId) {
        return query(() -> {
            connection.setAutoCommit(false);
            try (PreparedStatement links = connection.prepareStatement("DELETE FROM session_blocks WHERE session_id = ?");
                    PreparedStatement session = connection.prepareStatement("DELETE FROM sessions WHERE id = ?")) {
                links.setString(1, sessionId);
                links.executeUpdate();
                session.setString(1, sessionId);
                boolean deleted = session.executeUpdate() > 0;
                collectGarbage();
                connection.commit();
                return deleted;
            } catch (SQLException e) {
                connection.rollback();
                throw e;
            } finally {
                connection.setAutoCommit(true);
            }
        });
    }

    /**
     * Applies the retention limits: sessions unused for longer than {@code maxAge}, then the least recently used ones
     * while the stored text is longer than {@code maxChars}. Returns the sessions deleted.
     */
    public List<String> enforceLimits(Duration maxAge, long maxChars, long now) {
        List<String> deleted = new ArrayList<>();
        for (SessionSummary session : list()) {
            if (now - session.updatedAt() > maxAge.toMillis() && delete(session.id())) {
                deleted.add(session.id());
            }
        }
        List<SessionSummary> oldestLast = list();
        while (!oldestLast.isEmpty() && storedChars() > maxChars) {
            SessionSummary oldest = oldestLast.removeLast();
            if (delete(oldest.id())) {
                deleted.add(oldest.id());
            }
        }
        return deleted;
    }

    /** The length of the stored text in characters (one per byte for the ASCII most of it is). */
    long storedChars() {
        return query(() -> {
            try (Statement statement = connection.createStatement();
                    ResultSet rs = statement.executeQuery("SELECT COALESCE(SUM(LENGTH(text)), 0) FROM blocks")) {
                return rs.next() ? rs.getLong(1) : 0;
            }
        });
    }

    private void collectGarbage() throws SQLException {
        try (Statement statement = connection.createStatement()) {
            statement.executeUpdate("DELETE FROM blocks WHERE hash NOT IN (SELECT hash FROM session_blocks)");
        }
    }

    @Override
    public void close() {
        lock.lock();
        try {
            connection.close();
        } catch (SQLException ignored) {
            // closing at shutdown
        } finally {
            lock.unlock();
        }
    }

    private interface SqlWork<T> {
        T run() throws SQLException;
    }

    private interface SqlUpdate {
        void run() throws SQLException;
    }

    private <T> T query(SqlWork<T> work) {
        lock.lock();
        try {
            return work.run();
        } catch (SQLException e) {
            throw new IllegalStateException("session store: " + e.getMessage(), e);
        } finally {
            lock.unlock();
        }
    }

    private void update(SqlUpdate work) {
        query(() -> {
            boolean auto = connection.getAutoCommit();
            connection.setAutoCommit(false);
            try {
                work.run();
                connection.commit();
            } catch (SQLException e) {
                connection.rollback();
                throw e;
            } finally {
                connection.setAutoCommit(auto);
            }
            return null;
        });
    }
}
