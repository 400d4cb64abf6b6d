// The server's bounds against abuse (issue 19, "Server hardening"): each case reruns an attack that once worked and
// checks the bound that now answers it: bytes kept per connection, shares of handshakes, connections and password
// checks per address, hashes skipped for clients that left, and shutdown within its promise with hashes queued.
// Attacks from "other" addresses come from other addresses of the loopback network (127.0.0.2, ...).
#include "closecodes.h"
#include "passwordhash.h"
#include "peerkey.h"
#include "protocollimits.h"
#include "serverharness.h"

#include <QElapsedTimer>
#include <QFile>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

using namespace Qt::StringLiterals;
using namespace inkroom;
using namespace inkroom::proto;
using namespace inkroom::test;

namespace {

const QString kRoom = u"bounded"_s;
const QString kPassword = u"a password that is long enough"_s;
//! What the server's resident memory may grow by in one attack: far below what an unbounded queue took (GiB).
constexpr qint64 kMemoryBoundBytes = 256LL * 1024 * 1024;

quint16 closeCode(CloseCode code)
{
    return quint16(code);
}

qint64 residentBytes()
{
    QFile status(u"/proc/self/status"_s);
    if (!status.open(QIODevice::ReadOnly))
        return 0;
    for (const QByteArray &line : status.readAll().split('\n')) {
        if (line.startsWith("VmRSS:"))
            return line.mid(6).trimmed().split(' ').value(0).toLongLong() * 1024;
    }
    return 0;
}

//! PBKDF2 iterations that take about targetMs here and now (the machine may be busy: measured, not assumed).
int iterationsFor(int targetMs, qint64 *measuredMs)
{
    constexpr int kProbe = 100000;
    QElapsedTimer timer;
    timer.start();
    (void)server::password::derive(u"probe"_s, server::password::newSalt(), kProbe);
    const qint64 elapsed = std::max<qint64>(timer.elapsed(), 1);
    const int iterations = int(std::clamp<qint64>(kProbe * targetMs / elapsed, 1000, 50000000));
    timer.restart();
    (void)server::password::derive(u"probe"_s, server::password::newSalt(), iterations);
    *measuredMs = std::max<qint64>(timer.elapsed(), 1);
    return iterations;
}

//! A raw client from another loopback address that has sent its hello (and is not waiting for anything).
std::unique_ptr<RawClient> helloFrom(const QUrl &url, const QHostAddress &from, const QString &clientId,
                                     const QString &room, const QString &password)
{
    auto raw = std::make_unique<RawClient>();
    if (!raw->connectTo(url, from) || !raw->upgrade(url))
        return nullptr;
    TestClient identity(clientId, u"Raw"_s);
    raw->sendHello(identity.hello(room, password));
    return raw;
}

//! The fatal error a raw client received, if any.
std::optional<Error> errorOf(RawClient &raw)
{
    for (const QByteArray &bytes : raw.messagesReceived()) {
        const DecodeResult result = decode(bytes, limits::MaxServerMessageBytes);
        if (result.ok()) {
            if (const auto *error = std::get_if<Error>(&result.message()))
                return *error;
        }
    }
    return std::nullopt;
}

} // namespace

class TestServerBounds : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void theConnectionQueuesFitTheMemoryBudget()
    {
        // Bound: max connections x what one connection may queue <= the budget, by default and at every start.
        const server::ServerConfig defaults;
        QVERIFY(server::queuesFitBudget(defaults, nullptr));
        QVERIFY(qint64(defaults.maxConnections) * server::queueBytesPerConnection(defaults)
                <= defaults.queueBudgetBytes);
        QVERIFY(server::queueBytesPerConnection(defaults) >= defaults.maxOutputBytes + defaults.maxDeferredBytes);
        ServerFixture tooMany([](server::ServerConfig &config) { config.maxConnections = 100000; });
        server::Server refused(tooMany.config());
        QString error;
        QVERIFY(!refused.start(&error));
        QVERIFY2(error.contains(u"memory budget"_s) && error.contains(u"--max-connections"_s), qPrintable(error));
    }

    void aFloodWhileThePasswordIsCheckedKeepsOnlyItsBytes()
    {
        // Once: up to 1,000 messages of up to 1 MiB kept per connection while a hash ran (22 -> 1,526 MiB). Bound:
        // maxDeferredBytes (default) per connection; past it, ops are refused in their place.
        const server::ServerConfig defaults;
        qint64 hashMs = 0;
        const int iterations = iterationsFor(600, &hashMs);
        ServerFixture fixture([iterations](server::ServerConfig &config) { config.passwordIterations = iterations; });
        QVERIFY(fixture.start());
        const qint64 rss = residentBytes();
        TestClient flooder(u"client-flood-0001"_s, u"Flood"_s);
        QVERIFY(flooder.connectTo(fixture.url()));
        flooder.send(flooder.hello(kRoom, kPassword));
        QList<Op> sent;
        for (int i = 0; i < 40; ++i) {
            sent.append(flooder.makeAdd(limits::MaxPointsPerItem));
            flooder.send(sent.last());
        }
        const qint64 each = encode(sent.first()).size();
        QVERIFY(each > 100 * 1024);
        QVERIFY(flooder.waitForAnswer(sent.last().cseq, kWaitMs + int(hashMs)));
        QVERIFY(flooder.welcome());
        QTest::qWait(50);
        int acked = 0;
        int refused = 0;
        for (const Op &op : std::as_const(sent)) {
            if (flooder.ackFor(op.cseq)) {
                ++acked;
                continue;
            }
            QVERIFY(flooder.rejectFor(op.cseq));
            // The first op past the bound is refused as server_busy; the ones behind it may be refused as that too
            // or, once it has been answered, as held_back (they wait for it). Either way "send again".
            const ErrorCode code = flooder.rejectFor(op.cseq)->code;
            if (refused++ == 0)
                QCOMPARE(code, ErrorCode::ServerBusy);
            else
                QVERIFY2(code == ErrorCode::ServerBusy || code == ErrorCode::HeldBack,
                         qPrintable(proto::errorCodeName(code)));
            QVERIFY(flooder.rejectFor(op.cseq)->retry);
        }
        QVERIFY(acked >= 1);
        QVERIFY2(qint64(acked) * each <= defaults.maxDeferredBytes,
                 qPrintable(u"%1 of %2 bytes kept"_s.arg(acked).arg(each)));
        QVERIFY(residentBytes() - rss < kMemoryBoundBytes);
    }

    void passwordChecksAreSharedPerAddress()
    {
        // Once: 1,000 hellos making password rooms held the hashing threads for 23.7 s. Bound: 2 checks per address.
        qint64 hashMs = 0;
        const int iterations = iterationsFor(400, &hashMs);
        ServerFixture fixture([iterations](server::ServerConfig &config) {
            config.passwordIterations = iterations;
            config.maxPasswordChecksPerAddress = 2;
            config.maxPasswordFailures = 100;
        });
        QVERIFY(fixture.start());
        std::vector<std::unique_ptr<TestClient>> clients;
        for (int i = 0; i < 3; ++i) {
            clients.push_back(
                std::make_unique<TestClient>(u"client-share-%1"_s.arg(i, 4, 10, QChar(u'0')), u"Share"_s));
            QVERIFY(clients.back()->connectTo(fixture.url()));
            clients.back()->send(clients.back()->hello(u"room %1"_s.arg(i), kPassword));
        }
        TestClient &third = *clients.back();
        QVERIFY(third.waitForClose());
        QCOMPARE(third.closeCode(), closeCode(CloseCode::Busy));
        QVERIFY(isRetryable(third.closeCode()));
        QCOMPARE(third.last<Error>()->code, ErrorCode::ServerBusy);
        QVERIFY(third.last<Error>()->fatal);
        QVERIFY2(third.last<Error>()->message.contains(u"your address"_s), qPrintable(third.last<Error>()->message));
        // The first two are not disturbed, and another address still has its share.
        QVERIFY(clients.at(0)->waitFor<Synced>(1, kWaitMs + int(2 * hashMs)));
        QVERIFY(clients.at(1)->waitFor<Synced>(1, kWaitMs + int(2 * hashMs)));
        auto other =
            helloFrom(fixture.url(), QHostAddress(u"127.0.0.2"_s), u"client-other-0001"_s, u"room 0"_s, kPassword);
        QVERIFY(other);
        QVERIFY(waitUntil([&other] {
            for (const QByteArray &bytes : other->messagesReceived()) {
                if (bytes.contains("\"type\":\"synced\""))
                    return true;
            }
            return false;
        }));
    }

    void passwordChecksHaveAnOverallBound()
    {
        qint64 hashMs = 0;
        const int iterations = iterationsFor(400, &hashMs);
        ServerFixture fixture([iterations](server::ServerConfig &config) {
            config.passwordIterations = iterations;
            config.maxPasswordChecks = 3;
            config.maxPasswordChecksPerAddress = 2;
            config.maxPasswordFailures = 100;
        });
        QVERIFY(fixture.start());
        std::vector<std::unique_ptr<RawClient>> others;
        for (int i = 0; i < 3; ++i) {
            others.push_back(helloFrom(fixture.url(), QHostAddress(u"127.0.0.%1"_s.arg(2 + i)),
                                       u"client-overall-%1"_s.arg(i, 3, 10, QChar(u'0')), u"room %1"_s.arg(i),
                                       kPassword));
            QVERIFY(others.back());
        }
        QVERIFY(waitUntil([&fixture] { return fixture.server().passwordChecksInProgress() == 3; }));
        TestClient late(u"client-late-00001"_s, u"Late"_s);
        QVERIFY(!late.join(fixture.url(), u"room 9"_s, std::nullopt, kPassword));
        QCOMPARE(late.closeCode(), closeCode(CloseCode::Busy));
        QVERIFY2(late.last<Error>()->message.contains(u"the server is busy"_s),
                 qPrintable(late.last<Error>()->message));
        QVERIFY(fixture.server().passwordChecksInProgress() <= 3);
    }

    void aHashWhoseClientLeftIsSkipped()
    {
        // Once: the hashes kept running after their clients left. Bound: only the hashes already running finish.
        qint64 hashMs = 0;
        const int iterations = iterationsFor(1000, &hashMs);
        ServerFixture fixture([iterations](server::ServerConfig &config) {
            config.passwordIterations = iterations;
            config.maxPasswordChecks = 100;
            config.maxPasswordChecksPerAddress = 100;
            config.maxPasswordFailures = 1000;
        });
        QVERIFY(fixture.start());
        TestClient owner(u"client-owner-0001"_s, u"Owner"_s);
        QVERIFY(owner.join(fixture.url(), kRoom, std::nullopt, kPassword));
        constexpr int kLeavers = 16; // 16 x hashMs of work on two threads
        std::vector<std::unique_ptr<TestClient>> leavers;
        for (int i = 0; i < kLeavers; ++i) {
            leavers.push_back(
                std::make_unique<TestClient>(u"client-leaver-%1"_s.arg(i, 3, 10, QChar(u'0')), u"Leaver"_s));
            QVERIFY(leavers.back()->connectTo(fixture.url()));
            // A wrong password: the right one is remembered once it matched, and would need no hash.
            leavers.back()->send(leavers.back()->hello(kRoom, u"guess %1"_s.arg(i)));
        }
        // Every hello has arrived (a few hashes may have finished meanwhile).
        QVERIFY(waitUntil([&fixture] { return fixture.server().passwordChecksInProgress() >= kLeavers - 4; }));
        leavers.clear();
        QVERIFY(waitUntil([&fixture] { return fixture.server().passwordChecksInProgress() == 0; }));
        // A newcomer's hash (it makes a password room) waits for at most the two that were running, not for all.
        QElapsedTimer timer;
        timer.start();
        TestClient newcomer(u"client-newcomer-1"_s, u"New"_s);
        QVERIFY(newcomer.join(fixture.url(), u"another room"_s, std::nullopt, kPassword));
        QVERIFY2(timer.elapsed() < 6 * hashMs,
                 qPrintable(u"joined after %1 ms; a hash takes %2 ms"_s.arg(timer.elapsed()).arg(hashMs)));
    }

    void shutdownKeepsItsPromiseWithHashesQueued()
    {
        // Once: SIGTERM with 600 hashes queued took 25 s. Bound: closeGraceMs and one running hash.
        qint64 hashMs = 0;
        const int iterations = iterationsFor(250, &hashMs);
        ServerFixture fixture([iterations](server::ServerConfig &config) {
            config.passwordIterations = iterations;
            config.maxPasswordChecks = 100;
            config.maxPasswordChecksPerAddress = 100;
            config.maxPasswordFailures = 1000;
            config.closeGraceMs = 500;
        });
        QVERIFY(fixture.start());
        TestClient owner(u"client-owner-0001"_s, u"Owner"_s);
        QVERIFY(owner.join(fixture.url(), kRoom, std::nullopt, kPassword));
        constexpr int kWaiting = 24;
        std::vector<std::unique_ptr<TestClient>> waiting;
        for (int i = 0; i < kWaiting; ++i) {
            waiting.push_back(std::make_unique<TestClient>(u"client-waiting-%1"_s.arg(i, 3, 10, QChar(u'0')), u"W"_s));
            QVERIFY(waiting.back()->connectTo(fixture.url()));
            waiting.back()->send(waiting.back()->hello(kRoom, u"guess %1"_s.arg(i)));
        }
        QVERIFY(waitUntil([&fixture] { return fixture.server().passwordChecksInProgress() >= kWaiting - 4; }));
        QSignalSpy finished(&fixture.server(), &server::Server::finished);
        QElapsedTimer timer;
        timer.start();
        fixture.server().shutdown();
        QVERIFY(finished.wait(kWaitMs));
        // Without skipping: 24 x hashMs on two threads, three seconds. With it: the grace, and the hashes already
        // running (at most two; with the default iterations a hash takes a tenth of a second: 2 s in all).
        QVERIFY2(timer.elapsed() < 500 + 2 * hashMs + 1000 && timer.elapsed() < kWaiting * hashMs / 2,
                 qPrintable(u"stopped after %1 ms; a hash takes %2 ms"_s.arg(timer.elapsed()).arg(hashMs)));
    }

    void handshakesAreSharedPerAddress()
    {
        // Once: 64 connections that never finished their handshake locked everybody out. Bound: 4 of 16 slots here.
        ServerFixture fixture([](server::ServerConfig &config) {
            config.maxPendingHandshakes = 16;
            config.maxPendingHandshakesPerAddress = 4;
            config.handshakeTimeoutMs = 10000;
        });
        QVERIFY(fixture.start());
        const QUrl url = fixture.url();
        std::vector<std::unique_ptr<RawClient>> stalled;
        for (int i = 0; i < 20; ++i) {
            auto raw = std::make_unique<RawClient>();
            QVERIFY(raw->connectTo(url, QHostAddress(u"127.0.0.2"_s)));
            raw->socket().write("GET / HTTP/1.1\r\nHost: x\r\n"); // and never the rest
            stalled.push_back(std::move(raw));
        }
        // Past its share the attacker's connections are dropped at once; four wait for the timeout.
        QVERIFY(waitUntil([&stalled] {
            return std::count_if(stalled.begin(), stalled.end(), [](auto &raw) { return raw->isConnected(); }) == 4;
        }));
        // A second address takes its own four, and everyone else still gets in.
        std::vector<std::unique_ptr<RawClient>> second;
        for (int i = 0; i < 4; ++i) {
            auto raw = std::make_unique<RawClient>();
            QVERIFY(raw->connectTo(url, QHostAddress(u"127.0.0.3"_s)));
            raw->socket().write("GET / HTTP/1.1\r\n");
            second.push_back(std::move(raw));
        }
        QTest::qWait(100);
        QVERIFY(std::all_of(second.begin(), second.end(), [](auto &raw) { return raw->isConnected(); }));
        second.clear();
        // While the attacker still holds every slot it may, a join from elsewhere completes.
        TestClient legit(u"client-legit-0001"_s, u"Legit"_s);
        QVERIFY(legit.join(url, kRoom));
        const quint64 cseq = legit.sendOp(legit.makeAdd());
        QVERIFY(legit.waitForAnswer(cseq));
        QVERIFY(legit.ackFor(cseq));
        QCOMPARE(std::count_if(stalled.begin(), stalled.end(), [](auto &raw) { return raw->isConnected(); }), 4);
    }

    void connectionsAreSharedPerAddress()
    {
        // Once: 500 connections from one address filled the server. Bound: maxConnectionsPerAddress.
        ServerFixture fixture([](server::ServerConfig &config) {
            config.maxConnectionsPerAddress = 3;
            config.maxConnections = 10;
        });
        QVERIFY(fixture.start());
        const QUrl url = fixture.url();
        std::vector<std::unique_ptr<RawClient>> many;
        for (int i = 0; i < 4; ++i) {
            auto raw = std::make_unique<RawClient>();
            QVERIFY(raw->connectTo(url, QHostAddress(u"127.0.0.4"_s)));
            QVERIFY(raw->upgrade(url));
            many.push_back(std::move(raw));
        }
        QVERIFY(many.back()->waitForDisconnect());
        QCOMPARE(many.back()->closeCodeReceived(), std::optional<quint16>(closeCode(CloseCode::ServerFull)));
        const std::optional<Error> error = errorOf(*many.back());
        QVERIFY(error);
        QCOMPARE(error->code, ErrorCode::ServerFull);
        QVERIFY2(error->message.contains(u"your address"_s), qPrintable(error->message));
        for (int i = 0; i < 3; ++i)
            QVERIFY(many.at(i)->isConnected());
        // Another address is not affected.
        TestClient legit(u"client-legit-0003"_s, u"Legit"_s);
        QVERIFY(legit.join(url, kRoom));
        QCOMPARE(fixture.server().connectionCount(), 4);
    }

    void aCseqPastTwoToThe53IsRefusedNotRounded()
    {
        // Once: cseq 2^53 + 1 was taken as 2^53 (a double rounds it). Bound: below 2^53, refused otherwise.
        ServerFixture fixture;
        QVERIFY(fixture.start());
        TestClient sender(u"client-cseq-00001"_s, u"Cseq"_s);
        QVERIFY(sender.join(fixture.url(), kRoom));
        for (const QByteArray cseq : {"9007199254740993", "9007199254740992", "18014398509481984"}) {
            sender.clear();
            sender.sendBytes(R"({"type":"op","kind":"chat","cseq":)" + cseq + R"(,"text":"rounded?"})");
            QVERIFY(sender.waitFor<Error>());
            QCOMPARE(sender.last<Error>()->code, ErrorCode::OutOfRange);
            QCOMPARE(sender.last<Error>()->field, u"cseq"_s);
            QVERIFY(!sender.last<Error>()->fatal);
            QCOMPARE(sender.count<Ack>(), 0);
        }
        // The highest there is still decodes (and is far ahead of anything committed).
        sender.clear();
        sender.sendBytes(R"({"type":"op","kind":"chat","cseq":9007199254740991,"text":"highest"})");
        QVERIFY(sender.waitForAnswer(9007199254740991ULL));
        QCOMPARE(sender.rejectFor(9007199254740991ULL)->code, ErrorCode::CseqAhead);
        DatabaseProbe probe(fixture.dataDir());
        QCOMPARE(probe.number(u"SELECT COUNT(*) FROM ops"_s), 0);
    }

    void theDatabaseIsPrivateToItsOwner()
    {
        // Once: inkroom.sqlite and its WAL were made 0644. Bound: 0600 files, in a 0700 directory the server makes.
        QTemporaryDir parent;
        const QString dataDir = parent.filePath(u"made/by/the/server"_s);
        ServerFixture fixture([&dataDir](server::ServerConfig &config) { config.dataDir = dataDir; });
        QVERIFY(fixture.start());
        TestClient writer(u"client-files-0001"_s, u"Files"_s);
        QVERIFY(writer.join(fixture.url(), kRoom));
        const quint64 cseq = writer.sendOp(writer.makeChat(u"on disk"_s));
        QVERIFY(writer.waitForAnswer(cseq));
        const auto mode = [](const QString &path) {
            return QFile::permissions(path)
                & (QFile::ReadOwner | QFile::WriteOwner | QFile::ExeOwner | QFile::ReadGroup | QFile::WriteGroup
                   | QFile::ExeGroup | QFile::ReadOther | QFile::WriteOther | QFile::ExeOther);
        };
        const QFile::Permissions ownerFile = QFile::ReadOwner | QFile::WriteOwner;
        QCOMPARE(mode(dataDir), ownerFile | QFile::ExeOwner);
        QCOMPARE(mode(dataDir + u"/inkroom.sqlite"_s), ownerFile);
        QVERIFY(QFile::exists(dataDir + u"/inkroom.sqlite-wal"_s));
        QCOMPARE(mode(dataDir + u"/inkroom.sqlite-wal"_s), ownerFile);
        // A database an older server left readable by everybody is made private at the next start.
        fixture.stop();
        QVERIFY(QFile::setPermissions(dataDir + u"/inkroom.sqlite"_s, ownerFile | QFile::ReadGroup | QFile::ReadOther));
        QVERIFY(fixture.start());
        QCOMPARE(mode(dataDir + u"/inkroom.sqlite"_s), ownerFile);
    }

    void peersAreCountedByAddressAndPrefix()
    {
        using server::peerKey;
        QCOMPARE(peerKey(QHostAddress(u"::ffff:192.0.2.7"_s)), peerKey(QHostAddress(u"192.0.2.7"_s)));
        QVERIFY(peerKey(QHostAddress(u"192.0.2.7"_s)) != peerKey(QHostAddress(u"192.0.2.8"_s)));
        QCOMPARE(peerKey(QHostAddress(u"2001:db8:1:2::1"_s)), peerKey(QHostAddress(u"2001:db8:1:2:ffff::9"_s)));
        QVERIFY(peerKey(QHostAddress(u"2001:db8:1:2::1"_s)) != peerKey(QHostAddress(u"2001:db8:1:3::1"_s)));
    }
};

QTEST_GUILESS_MAIN(TestServerBounds)
#include "tst_server_bounds.moc"
