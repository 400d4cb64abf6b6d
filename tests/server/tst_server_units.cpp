#include "listener.h"
#include "passwordhash.h"
#include "protocollimits.h"
#include "ratelimiter.h"
#include "serverapp.h"
#include "serverfuzz.h"
#include "snapshotcache.h"

#include "board.h"

#include <QDir>
#include <QTcpSocket>
#include <QTest>

using namespace Qt::StringLiterals;
using namespace inkroom::server;
using Verdict = RateLimiter::Verdict;

class TestServerUnits : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void rateLimiterAllowsTheBurstAtOnce()
    {
        RateLimiter limiter(10, 5, 3);
        for (int i = 0; i < 5; ++i)
            QCOMPARE(limiter.take(0), Verdict::Allow);
        QCOMPARE(limiter.take(0), Verdict::FirstExcess);
        QCOMPARE(limiter.take(0), Verdict::Excess);
    }

    void rateLimiterRefillsAtTheRate()
    {
        RateLimiter limiter(10, 5, 100);
        for (int i = 0; i < 5; ++i)
            QCOMPARE(limiter.take(0), Verdict::Allow);
        QCOMPARE(limiter.take(50), Verdict::FirstExcess); // half a token back
        QCOMPARE(limiter.take(100), Verdict::Allow); // one token back at 10/s after 100 ms
        QCOMPARE(limiter.take(100), Verdict::Excess);
        // The bucket never holds more than the burst.
        RateLimiter idle(10, 5, 100);
        QCOMPARE(idle.take(0), Verdict::Allow);
        QCOMPARE(idle.take(1'000'000), Verdict::Allow);
        QVERIFY(idle.tokens(1'000'000) <= 5);
    }

    void rateLimiterClosesOnPersistentExcess()
    {
        RateLimiter limiter(10, 2, 3);
        QCOMPARE(limiter.take(0), Verdict::Allow);
        QCOMPARE(limiter.take(0), Verdict::Allow);
        QCOMPARE(limiter.take(0), Verdict::FirstExcess);
        QCOMPARE(limiter.take(0), Verdict::Excess);
        QCOMPARE(limiter.take(0), Verdict::Excess);
        QCOMPARE(limiter.take(0), Verdict::Close);
    }

    void rateLimiterForgetsExcessAfterACalmSecond()
    {
        RateLimiter limiter(1, 1, 2);
        QCOMPARE(limiter.take(0), Verdict::Allow);
        QCOMPARE(limiter.take(0), Verdict::FirstExcess);
        QCOMPARE(limiter.take(10), Verdict::Excess);
        // A calm second later the episode is over: a new excess warns again instead of closing.
        QCOMPARE(limiter.take(1010), Verdict::Allow);
        QCOMPARE(limiter.take(1010), Verdict::FirstExcess);
    }

    //! Items taken from their ops' bytes (adds, updates, a restack in between, a remove) make the same snapshot, byte
    //! for byte, as encoding the board's items does.
    void snapshotItemsFromOpsAreTheEncodedItems()
    {
        using namespace inkroom;
        Board board;
        SnapshotCache fromOps;
        quint64 seq = 0;
        const auto apply = [&](proto::Op op) {
            op.seq = ++seq;
            op.client = u"client-0001"_s;
            op.author = u"Ann \"quoted\" \u00e9"_s;
            op.time = 1763700000000 + qint64(seq);
            BoardChange change;
            QVERIFY(board.apply(op, &change));
            const bool itemOp = op.kind == proto::OpKind::Add || op.kind == proto::OpKind::Update;
            fromOps.changed(change, board, op.kind != proto::OpKind::Move, itemOp ? proto::encode(op) : QByteArray());
        };
        for (int i = 1; i <= 30; ++i) {
            proto::Op add;
            add.kind = proto::OpKind::Add;
            add.cseq = quint64(i);
            add.item.id = u"client-0001:%1"_s.arg(i);
            add.item.kind = i % 3 == 0 ? proto::ItemKind::Text : proto::ItemKind::Stroke;
            add.item.text = u"{\"z\":%1},\"kind\":\"add\""_s.arg(i);
            for (int p = 0; p < 50 * i; ++p)
                add.item.points.append(QPointF(p * 1.25, -p / 3.0));
            apply(add);
        }
        proto::Op restack;
        restack.kind = proto::OpKind::Restack;
        restack.ids = {u"client-0001:4"_s, u"client-0001:7"_s};
        restack.z = {-3, 1000};
        apply(restack);
        proto::Op update;
        update.kind = proto::OpKind::Update;
        update.item = board.item(u"client-0001:7"_s) ? *board.item(u"client-0001:7"_s) : proto::Item();
        update.item.z = 0; // an op's item carries none
        update.item.points.append(QPointF(1, 2));
        update.item.width = 9;
        apply(update);
        proto::Op remove;
        remove.kind = proto::OpKind::Remove;
        remove.ids = {u"client-0001:2"_s};
        apply(remove);

        SnapshotCache encoded;
        encoded.reset(board);
        QCOMPARE(fromOps.bytes(), encoded.bytes());
        QCOMPARE(fromOps.chunks(board), encoded.chunks(board));
        QCOMPARE(board.item(u"client-0001:7"_s)->z, 1000);
    }

    //! A join sends the snapshot's chunks, each a snapshot message of its items; a compaction stores them joined by
    //! newlines, made by the stream a piece at a time. Both for an empty board, a few items, more items than a chunk
    //! holds, and items past a chunk's bytes.
    void theStreamedSnapshotIsTheChunksJoined_data()
    {
        QTest::addColumn<int>("items");
        QTest::addColumn<int>("points");
        QTest::addColumn<int>("chunks");
        QTest::newRow("empty board") << 0 << 0 << 1;
        QTest::newRow("a few items") << 30 << 40 << 1;
        QTest::newRow("more items than a chunk holds") << 2 * inkroom::limits::MaxItemsPerSnapshotChunk + 5 << 2 << 3;
        QTest::newRow("more bytes than a chunk holds") << 40 << inkroom::limits::MaxPointsPerItem << 2;
    }

    void theStreamedSnapshotIsTheChunksJoined()
    {
        using namespace inkroom;
        QFETCH(int, items);
        QFETCH(int, points);
        QFETCH(int, chunks);
        Board board;
        for (int i = 1; i <= items; ++i) {
            proto::Op add;
            add.kind = proto::OpKind::Add;
            add.seq = quint64(i);
            add.cseq = quint64(i);
            add.client = u"client-0001"_s;
            add.author = u"Ann"_s;
            add.item.id = u"client-0001:%1"_s.arg(i);
            add.item.kind = proto::ItemKind::Stroke;
            add.item.z = (i * 7919) % 101; // not in the order they came
            for (int p = 0; p < points; ++p)
                add.item.points.append(QPointF(p * 0.5 + i, -p * 0.25)); // exact in the encoding
            QVERIFY(board.apply(add));
        }
        SnapshotCache cache;
        cache.reset(board);
        const QList<QByteArray> &made = cache.chunks(board);
        QCOMPARE(made.size(), chunks);
        // Each chunk is, byte for byte, the snapshot message of its items; together they are the board, in order.
        QList<proto::Item> inChunks;
        for (const QByteArray &chunk : made) {
            QVERIFY(chunk.size() <= limits::MaxServerMessageBytes);
            const proto::DecodeResult decoded = proto::decode(chunk, limits::MaxServerMessageBytes);
            QVERIFY(decoded.ok());
            const auto *snapshot = std::get_if<proto::Snapshot>(&decoded.message());
            QVERIFY(snapshot);
            QCOMPARE(snapshot->seq, board.seq());
            QVERIFY(snapshot->items.size() <= limits::MaxItemsPerSnapshotChunk);
            QCOMPARE(proto::encode(*snapshot), chunk);
            inChunks.append(snapshot->items);
        }
        QCOMPARE(inChunks, board.orderedItems());
        const QByteArray expected = QByteArrayList(made).join('\n');
        for (const qsizetype pieceBytes : {qsizetype(1), qsizetype(7), qsizetype(4096), qsizetype(256 * 1024)}) {
            if (pieceBytes < 4096 && expected.size() > 1024 * 1024)
                continue; // a byte at a time through megabytes proves no more and takes long
            SnapshotStream stream = cache.stream(board);
            QCOMPARE(stream.total(), qint64(expected.size()));
            QByteArray joined;
            while (!stream.atEnd()) {
                const QByteArray piece = stream.next(pieceBytes);
                QCOMPARE(piece.size(), std::min(pieceBytes, expected.size() - joined.size()));
                joined.append(piece);
            }
            QVERIFY2(joined == expected, qPrintable(u"pieces of %1 bytes"_s.arg(pieceBytes)));
        }
    }

    void passwordHashIsSaltedAndVerifies()
    {
        const password::Hash a = password::make(u"correct horse"_s, 1000);
        const password::Hash b = password::make(u"correct horse"_s, 1000);
        QCOMPARE(a.salt.size(), password::SaltBytes);
        QCOMPARE(a.hash.size(), password::HashBytes);
        QVERIFY(a.salt != b.salt);
        QVERIFY(a.hash != b.hash);
        QVERIFY(password::verify(u"correct horse"_s, a));
        QVERIFY(!password::verify(u"correct horsf"_s, a));
        QVERIFY(!password::verify(QString(), a));
        QVERIFY(!password::verify(u"x"_s, password::Hash {}));
        // Deterministic for the same salt and iterations; the iterations matter.
        QCOMPARE(password::derive(u"pw"_s, a.salt, 1000), password::derive(u"pw"_s, a.salt, 1000));
        QVERIFY(password::derive(u"pw"_s, a.salt, 1000) != password::derive(u"pw"_s, a.salt, 1001));
        // Known answer (RFC 7914 section 11 test vector for PBKDF2-HMAC-SHA256, c = 1).
        QCOMPARE(password::derive(u"passwd"_s, "salt", 1).toHex().left(32),
                 QByteArray("55ac046e56e3089fec1691c22544b605"));
    }

    void constantTimeEqualComparesExactly()
    {
        QVERIFY(password::constantTimeEqual("abc", "abc"));
        QVERIFY(!password::constantTimeEqual("abc", "abd"));
        QVERIFY(!password::constantTimeEqual("abc", "ab"));
        QVERIFY(password::constantTimeEqual({}, {}));
        QVERIFY(!password::constantTimeEqual({}, "a"));
    }

    void commandLineDefaults()
    {
        bool verbose = true;
        QString error;
        const auto config = configFromArguments({u"inkroom-server"_s}, &verbose, &error);
        QVERIFY2(config, qPrintable(error));
        QVERIFY(!verbose);
        QCOMPARE(config->port, DefaultPort);
        QCOMPARE(config->bind, QHostAddress(QHostAddress::Any));
        QVERIFY(config->dataDir.isEmpty());
        const ServerConfig defaults;
        QCOMPARE(config->maxConnections, defaults.maxConnections);
        QCOMPARE(config->heartbeatTimeoutMs, defaults.heartbeatTimeoutMs);
        QCOMPARE(config->maxOutputBytes, defaults.maxOutputBytes);
        QCOMPARE(config->opKibPerSecond, 1024);
        QCOMPARE(config->opBurstKib, 4096);
    }

    void commandLineValues()
    {
        bool verbose = false;
        QString error;
        const auto config = configFromArguments({u"inkroom-server"_s,
                                                 u"--bind"_s,
                                                 u"127.0.0.1"_s,
                                                 u"--port"_s,
                                                 u"0"_s,
                                                 u"--data-dir"_s,
                                                 u"/tmp/x"_s,
                                                 u"--max-connections"_s,
                                                 u"7"_s,
                                                 u"--max-room-members"_s,
                                                 u"3"_s,
                                                 u"--max-board-items"_s,
                                                 u"9"_s,
                                                 u"--rate"_s,
                                                 u"50"_s,
                                                 u"--burst"_s,
                                                 u"60"_s,
                                                 u"--op-kib"_s,
                                                 u"256"_s,
                                                 u"--op-burst-kib"_s,
                                                 u"2048"_s,
                                                 u"--max-output-mib"_s,
                                                 u"2"_s,
                                                 u"--ping-interval"_s,
                                                 u"0.5"_s,
                                                 u"--heartbeat-timeout"_s,
                                                 u"1.5"_s,
                                                 u"--handshake-timeout"_s,
                                                 u"2"_s,
                                                 u"--compact-every"_s,
                                                 u"10"_s,
                                                 u"--retain-ops"_s,
                                                 u"20"_s,
                                                 u"--chat-history"_s,
                                                 u"5"_s,
                                                 u"--join-token"_s,
                                                 u"tok"_s,
                                                 u"--verbose"_s},
                                                &verbose, &error);
        QVERIFY2(config, qPrintable(error));
        QVERIFY(verbose);
        QCOMPARE(config->bind, QHostAddress(QHostAddress::LocalHost));
        QCOMPARE(config->port, quint16(0));
        QCOMPARE(config->dataDir, u"/tmp/x"_s);
        QCOMPARE(config->maxConnections, 7);
        QCOMPARE(config->maxRoomMembers, 3);
        QCOMPARE(config->maxBoardItems, 9);
        QCOMPARE(config->ratePerSecond, 50.0);
        QCOMPARE(config->rateBurst, 60);
        QCOMPARE(config->opKibPerSecond, 256);
        QCOMPARE(config->opBurstKib, 2048);
        QCOMPARE(config->maxOutputBytes, qint64(2) * 1024 * 1024);
        QCOMPARE(config->pingIntervalMs, 500);
        QCOMPARE(config->heartbeatTimeoutMs, 1500);
        QCOMPARE(config->handshakeTimeoutMs, 2000);
        QCOMPARE(config->compactEvery, 10);
        QCOMPARE(config->retainOps, 20);
        QCOMPARE(config->chatHistory, 5);
        QCOMPARE(config->joinToken, u"tok"_s);
        QVERIFY(!config->insecure);
    }

    void commandLineSecurity()
    {
        bool verbose = false;
        QString error;
        const auto defaults = configFromArguments({u"inkroom-server"_s}, &verbose, &error);
        QVERIFY(defaults);
        QVERIFY(!defaults->insecure); // TLS unless told otherwise
        QVERIFY(defaults->tlsCertFile.isEmpty() && defaults->tlsKeyFile.isEmpty());
        QVERIFY(defaults->allowedOrigins.isEmpty());
        QVERIFY(defaults->joinToken.isEmpty());

        const auto config =
            configFromArguments({u"inkroom-server"_s, u"--token"_s, u"s3cret"_s, u"--tls-cert"_s, u"/etc/a.pem"_s,
                                 u"--tls-key"_s, u"/etc/a.key"_s, u"--allow-origin"_s, u"https://example.org"_s,
                                 u"--allow-origin"_s, u"http://localhost:8080"_s},
                                &verbose, &error);
        QVERIFY2(config, qPrintable(error));
        QCOMPARE(config->joinToken, u"s3cret"_s);
        QCOMPARE(config->tlsCertFile, u"/etc/a.pem"_s);
        QCOMPARE(config->tlsKeyFile, u"/etc/a.key"_s);
        QCOMPARE(config->allowedOrigins, (QStringList {u"https://example.org"_s, u"http://localhost:8080"_s}));
        const auto insecure = configFromArguments({u"inkroom-server"_s, u"--insecure"_s}, &verbose, &error);
        QVERIFY(insecure && insecure->insecure);
    }

    void commandLineStore()
    {
        bool verbose = false;
        QString error;
        const auto defaults = configFromArguments({u"inkroom-server"_s}, &verbose, &error);
        QVERIFY(defaults);
        QVERIFY(defaults->store.isEmpty()); // SQLite in the data directory
        const auto pg = configFromArguments(
            {u"inkroom-server"_s, u"--store"_s, u"postgresql:///inkroom?host=/run/postgresql"_s}, &verbose, &error);
        QVERIFY2(pg, qPrintable(error));
        QCOMPARE(pg->store, u"postgresql:///inkroom?host=/run/postgresql"_s);
        error.clear();
        QVERIFY(
            !configFromArguments({u"inkroom-server"_s, u"--store"_s, u"postgresql://db:70000/x"_s}, &verbose, &error));
        QVERIFY2(error.startsWith(u"--store: "_s), qPrintable(error));
    }

    void originsAreNormalised()
    {
        QCOMPARE(normaliseOrigin(u"https://Example.ORG"_s), u"https://example.org"_s);
        QCOMPARE(normaliseOrigin(u"https://example.org:443"_s), u"https://example.org"_s);
        QCOMPARE(normaliseOrigin(u"http://example.org:80/"_s), u"http://example.org"_s);
        QCOMPARE(normaliseOrigin(u"http://example.org:8080"_s), u"http://example.org:8080"_s);
        QCOMPARE(normaliseOrigin(u"http://[::1]:8080"_s), u"http://[::1]:8080"_s);
        QCOMPARE(normaliseOrigin(u"null"_s), u"null"_s);
        QVERIFY(normaliseOrigin(u"example.org"_s).isEmpty());
        QVERIFY(normaliseOrigin(u"https://example.org/page"_s).isEmpty());
        QVERIFY(normaliseOrigin(u"https://user@example.org"_s).isEmpty());
        QVERIFY(normaliseOrigin(QString()).isEmpty());
    }

    void commandLineRejectsBadValues_data()
    {
        QTest::addColumn<QStringList>("arguments");
        QTest::newRow("port") << QStringList {u"--port"_s, u"70000"_s};
        QTest::newRow("bind") << QStringList {u"--bind"_s, u"not-an-address"_s};
        QTest::newRow("members") << QStringList {u"--max-room-members"_s, u"0"_s};
        QTest::newRow("members too many") << QStringList {u"--max-room-members"_s, u"5000"_s};
        QTest::newRow("rate") << QStringList {u"--rate"_s, u"fast"_s};
        QTest::newRow("op bytes") << QStringList {u"--op-kib"_s, u"0"_s};
        QTest::newRow("op bytes not a number") << QStringList {u"--op-kib"_s, u"fast"_s};
        QTest::newRow("op burst below the largest message") << QStringList {u"--op-burst-kib"_s, u"512"_s};
        QTest::newRow("heartbeat below ping")
            << QStringList {u"--ping-interval"_s, u"5"_s, u"--heartbeat-timeout"_s, u"4"_s};
        QTest::newRow("positional") << QStringList {u"extra"_s};
        QTest::newRow("certificate without key") << QStringList {u"--tls-cert"_s, u"a.pem"_s};
        QTest::newRow("key without certificate") << QStringList {u"--tls-key"_s, u"a.key"_s};
        QTest::newRow("insecure with a certificate")
            << QStringList {u"--insecure"_s, u"--tls-cert"_s, u"a.pem"_s, u"--tls-key"_s, u"a.key"_s};
        QTest::newRow("origin without scheme") << QStringList {u"--allow-origin"_s, u"example.org"_s};
        QTest::newRow("origin with a path") << QStringList {u"--allow-origin"_s, u"https://example.org/app"_s};
    }
    void commandLineRejectsBadValues()
    {
        QFETCH(QStringList, arguments);
        bool verbose = false;
        QString error;
        arguments.prepend(u"inkroom-server"_s);
        QVERIFY(!configFromArguments(arguments, &verbose, &error));
        QVERIFY(!error.isEmpty());
    }

    void fuzzCorpusRunsClean()
    {
        // The seeds of the server's fuzz target, run as the fuzzer does (it aborts on a message that does not decode
        // or a room that does not match its log): they stay valid inputs as the server's rules change.
        const QDir corpus(QStringLiteral(INKROOM_SERVER_CORPUS));
        const QStringList seeds = corpus.entryList({u"*.txt"_s}, QDir::Files);
        QVERIFY(seeds.size() >= 10);
        for (const QString &seed : seeds) {
            QFile file(corpus.filePath(seed));
            QVERIFY(file.open(QIODevice::ReadOnly));
            const QByteArray bytes = file.readAll();
            QCOMPARE(
                fuzzServerMessages(reinterpret_cast<const std::uint8_t *>(bytes.constData()), size_t(bytes.size())), 0);
        }
    }

    void listenerTurnsNagleOff()
    {
        Listener listener;
        QVERIFY(listener.listen(QHostAddress::LocalHost, 0));
        std::unique_ptr<QTcpSocket> accepted;
        connect(&listener, &Listener::socketReady, this, [&accepted](QTcpSocket *socket) { accepted.reset(socket); });
        QTcpSocket client;
        client.connectToHost(QHostAddress::LocalHost, listener.serverPort());
        QTRY_VERIFY_WITH_TIMEOUT(accepted != nullptr, 10000);
        QCOMPARE(accepted->socketOption(QAbstractSocket::LowDelayOption).toInt(), 1);
        QCOMPARE(accepted->socketOption(QAbstractSocket::KeepAliveOption).toInt(), 1);
    }
};

QTEST_GUILESS_MAIN(TestServerUnits)
#include "tst_server_units.moc"
