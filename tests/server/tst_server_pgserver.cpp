// inkroom-server on PostgreSQL (issue 17, items 1, 2 and 5): the real executable with --store postgresql://...,
// SIGKILLed and started again on the same database; an in-process server whose database crashes and comes back under
// it; the command line's answers to a bad or unreachable store; and several servers (nodes) serving one room from one
// database: one order everywhere, concurrent commits, a lost notification, a node killed, the database restarted. One
// private PostgreSQL for the whole executable (a unix socket in a temporary directory, no TCP), a fresh database per
// test function.
#include "closecodes.h"
#include "postgresfixture.h"
#include "serverharness.h"

#include <QLoggingCategory>
#include <QMap>
#include <QProcess>
#include <QRegularExpression>
#include <QScopeGuard>
#include <QSet>
#include <QTemporaryDir>
#include <QTest>

#include <algorithm>
#include <vector>

using namespace Qt::StringLiterals;
using namespace inkroom;
using namespace inkroom::proto;
using namespace inkroom::test;

namespace {

const QString kRoom = u"durable"_s;

//! The real inkroom-server, as an operator starts it, on a store given by URL.
class ServerProcess
{
public:
    ~ServerProcess() { kill(); }

    bool start(const QString &dataDir, const QString &store)
    {
        m_output.clear();
        m_process.setProgram(QStringLiteral(INKROOM_SERVER_EXE));
        m_process.setArguments({u"--bind"_s, u"localhost"_s, u"--port"_s, u"0"_s, u"--data-dir"_s, dataDir,
                                u"--insecure"_s, u"--no-announce"_s, u"--store"_s, store, u"--rate"_s, u"100000"_s,
                                u"--burst"_s, u"100000"_s});
        // Its log goes to the test's own, for a failure's story.
        m_process.setProcessChannelMode(QProcess::SeparateChannels);
        m_process.start();
        if (!m_process.waitForStarted())
            return false;
        static const QRegularExpression address(u"ws://127\\.0\\.0\\.1:(\\d+)"_s);
        QRegularExpressionMatch match;
        const bool ok = waitUntil([this, &match] {
            m_output += QString::fromUtf8(m_process.readAllStandardOutput());
            match = address.match(m_output);
            return match.hasMatch() || m_process.state() == QProcess::NotRunning;
        });
        if (!ok || !match.hasMatch()) {
            qWarning().noquote() << "server did not start:" << m_output << m_process.readAllStandardError();
            return false;
        }
        m_url = QUrl(u"ws://127.0.0.1:"_s + match.captured(1));
        return true;
    }
    [[nodiscard]] QUrl url() const { return m_url; }
    [[nodiscard]] QString output() const { return m_output; }
    void kill()
    {
        if (m_process.state() == QProcess::NotRunning)
            return;
        m_process.kill(); // SIGKILL: no flush, no goodbye
        m_process.waitForFinished();
    }

private:
    QProcess m_process;
    QString m_output;
    QUrl m_url;
};

//! What one client saw of the room's order: seq -> "client/cseq", from the ops it was sent and its own acks.
QMap<quint64, QString> orderSeenBy(const TestClient &client)
{
    QMap<quint64, QString> order;
    for (const Op &op : client.all<Op>())
        order.insert(op.seq, u"%1/%2"_s.arg(op.client).arg(op.cseq));
    for (const Ack &ack : client.all<Ack>())
        order.insert(ack.seq, u"%1/%2"_s.arg(client.clientId).arg(ack.cseq));
    return order;
}

/** The board a newcomer gets from each of these nodes, when every node gives the same one (and, when head is not 0,
 *  welcomes at that head); nullopt, saying why, otherwise. */
std::optional<Board> oneBoardEverywhere(const QList<QUrl> &urls, quint64 head = 0)
{
    std::optional<Board> first;
    for (const QUrl &url : urls) {
        TestClient look(u"client-look-0009"_s);
        if (!waitUntil([&] { return look.join(url, kRoom); })) {
            qWarning("a newcomer could not join %s", qPrintable(url.toString()));
            return std::nullopt;
        }
        if (head && look.welcome()->head != head) {
            qWarning("%s welcomed at %llu, not %llu", qPrintable(url.toString()), look.welcome()->head, head);
            return std::nullopt;
        }
        const Board board = look.boardSinceWelcome();
        if (first && !(board == *first)) {
            qWarning("%s gives another board", qPrintable(url.toString()));
            return std::nullopt;
        }
        first = board;
    }
    return first;
}

//! Send every op not acknowledged yet (a client's outbox after a reconnect) and wait for all the answers.
bool resendUnacknowledged(TestClient &client, const QList<Op> &ops, const QSet<quint64> &acked)
{
    for (const Op &op : ops) {
        if (!acked.contains(op.cseq))
            client.send(op);
    }
    return waitUntil(
        [&] {
            for (const Op &op : ops) {
                if (!acked.contains(op.cseq) && !client.ackFor(op.cseq) && !client.rejectFor(op.cseq))
                    return false;
            }
            return true;
        },
        60000);
}

/** The member list a client shows: its last welcome's members, then every presence after it, in order (by client
 *  id). */
QMap<QString, Member> listedBy(const TestClient &client)
{
    QMap<QString, Member> listed;
    for (const Message &message : client.messages()) {
        if (const auto *welcome = std::get_if<Welcome>(&message)) {
            listed.clear();
            for (const Member &member : welcome->members)
                listed.insert(member.client, member);
        } else if (const auto *presence = std::get_if<Presence>(&message)) {
            if (presence->event == PresenceEvent::Left)
                listed.remove(presence->member.client);
            else
                listed.insert(presence->member.client, presence->member);
        }
    }
    return listed;
}

//! How many times client was told that member left.
int leftCount(const TestClient &client, const QString &member)
{
    const QList<Presence> all = client.all<Presence>();
    return int(std::count_if(all.cbegin(), all.cend(), [&member](const Presence &p) {
        return p.event == PresenceEvent::Left && p.member.client == member;
    }));
}

//! Snapshots the servers of this process stored (their log says "room '...': snapshot at N").
QAtomicInt g_snapshots;
QtMessageHandler g_previousHandler = nullptr;
void countSnapshots(QtMsgType type, const QMessageLogContext &context, const QString &message)
{
    if (message.contains(u"': snapshot at "_s))
        g_snapshots.ref();
    if (type != QtInfoMsg || qstrcmp(context.category, "inkroom.server.room") != 0)
        g_previousHandler(type, context, message); // the rooms' own story is only counted here
}

//! Count the snapshots the servers of this process store until the returned guard goes.
auto countingSnapshots()
{
    g_snapshots.storeRelaxed(0);
    g_previousHandler = qInstallMessageHandler(countSnapshots);
    QLoggingCategory::setFilterRules(u"inkroom.server.room.info=true"_s);
    return qScopeGuard([] {
        QLoggingCategory::setFilterRules(QString());
        qInstallMessageHandler(g_previousHandler);
    });
}

//! Two nodes that compact the room every 40 ops (20 kept behind the snapshot), Ann a member of one, Bob of the other.
struct CompactingNodes
{
    explicit CompactingNodes(const QString &store)
        : a(tweak(store))
        , b(tweak(store))
    { }
    static std::function<void(server::ServerConfig &)> tweak(const QString &store)
    {
        return [store](server::ServerConfig &config) {
            config.store = store;
            config.compactEvery = 40;
            config.retainOps = 20;
        };
    }
    bool start() { return a.start() && b.start() && ann.join(a.url(), kRoom) && bob.join(b.url(), kRoom); }

    ServerFixture a;
    ServerFixture b;
    TestClient ann {u"client-ann-0001"_s};
    TestClient bob {u"client-bob-0002"_s};
};

struct Finished
{
    int code = -1;
    QString out;
    QString err;
};

Finished runToEnd(const QStringList &arguments)
{
    QProcess process;
    process.start(QStringLiteral(INKROOM_SERVER_EXE), arguments);
    Finished result;
    if (!process.waitForFinished(60000))
        return result;
    result.out = QString::fromUtf8(process.readAllStandardOutput());
    result.err = QString::fromUtf8(process.readAllStandardError());
    result.code = process.exitStatus() == QProcess::NormalExit ? process.exitCode() : -1;
    return result;
}

} // namespace

class TestServerPgServer : public QObject
{
    Q_OBJECT

    PostgresServer m_postgres;

    QString newDatabase()
    {
        QString why;
        const QString url = m_postgres.createDatabase(&why);
        if (url.isEmpty())
            qFatal("%s", qPrintable(why));
        return url;
    }

    //! The room's log in this database holds count ops, each (client, cseq) once, at seq 1 to count.
    bool logHoldsEachOnce(const QString &store, int count)
    {
        QString output;
        if (!m_postgres.psql(QUrl(store).path().mid(1),
                             u"SELECT count(*), count(DISTINCT (client, cseq)), min(seq), max(seq) FROM ops"_s,
                             &output))
            return false;
        const QString expected = u"%1|%1|1|%1"_s.arg(count);
        if (output.trimmed() != expected)
            qWarning("the log holds %s, not %s", qPrintable(output.trimmed()), qPrintable(expected));
        return output.trimmed() == expected;
    }

private Q_SLOTS:
    void initTestCase()
    {
        QString why;
        // A missing PostgreSQL fails the test with the reason (CI installs it): never a silent skip.
        QVERIFY2(m_postgres.start(&why), qPrintable(why));
    }

    void commandLine()
    {
        QTemporaryDir dir;
        Finished run = runToEnd({u"--help"_s});
        QCOMPARE(run.code, 0);
        QVERIFY(run.out.contains(u"--store <url>"_s));
        QVERIFY(run.out.contains(u"postgresql://"_s));
        QVERIFY(run.out.simplified().contains(u"Several inkroom-server nodes may share one PostgreSQL store"_s));

        run = runToEnd({u"--data-dir"_s, dir.path(), u"--store"_s, u"mysql://ann:hunter2@db/rooms"_s});
        QCOMPARE(run.code, 2);
        QVERIFY2(run.err.contains(u"--store:"_s), qPrintable(run.err));
        QVERIFY2(!run.err.contains(u"hunter2"_s), qPrintable(run.err));

        // An unreachable database: a clear error and a non-zero exit, never a crash, and no password in it.
        run = runToEnd({u"--data-dir"_s, dir.path(), u"--insecure"_s, u"--no-announce"_s, u"--port"_s, u"0"_s,
                        u"--store"_s, u"postgresql://ann:hunter2@/inkroom?host=%1/nowhere"_s.arg(dir.path())});
        QCOMPARE(run.code, 1);
        QVERIFY2(run.err.contains(u"cannot open postgresql://ann@/inkroom"_s), qPrintable(run.err));
        QVERIFY2(!run.err.contains(u"hunter2"_s) && !run.out.contains(u"hunter2"_s), qPrintable(run.err));

        run = runToEnd({u"--data-dir"_s, dir.path(), u"--check"_s, u"--store"_s, newDatabase()});
        QCOMPARE(run.code, 1);
        QVERIFY(run.out.contains(u"--check checks an SQLite store"_s));
    }

    /** Draw and chat on a server that keeps its rooms in PostgreSQL, SIGKILL it mid-stream, start it again on the same
     *  database: everything acknowledged is there exactly once, in order; the rest is taken once when resent. */
    void sigkillLosesNothing()
    {
        QTemporaryDir dir;
        const QString store = newDatabase();
        ServerProcess server;
        QVERIFY(server.start(dir.path(), store));
        QVERIFY(server.output().contains(u"Rooms stored in: postgresql://inkroom@/inkroom_"_s));

        TestClient ann(u"client-ann-0001"_s);
        QVERIFY(ann.join(server.url(), kRoom));
        const QString epoch = ann.welcome()->epoch;
        constexpr int kTotal = 1500;
        constexpr int kKillAfterAcks = 600;
        QList<Op> ops;
        for (int i = 0; i < kTotal; ++i)
            ops.append(i % 5 == 0 ? ann.makeChat(u"chat %1"_s.arg(i)) : ann.makeAdd(1 + i % 7));
        // Up to 100 in flight; the kill below lands while the server is reading and committing the last of them.
        const int sent = ann.streamUntilAcked(ops, 100, kKillAfterAcks);
        QVERIFY(sent > 0);
        server.kill();
        QVERIFY(ann.waitForClose());
        QSet<quint64> acked;
        QHash<quint64, quint64> seqOf;
        for (const Ack &ack : ann.all<Ack>()) {
            acked.insert(ack.cseq);
            seqOf.insert(ack.cseq, ack.seq);
        }
        qInfo("killed with %d ops sent and %d acknowledged", sent, int(acked.size()));

        QVERIFY(server.start(dir.path(), store));
        TestClient again(u"client-ann-0001"_s);
        QVERIFY(again.join(server.url(), kRoom, ResumePoint {epoch, 0}));
        QCOMPARE(again.welcome()->epoch, epoch);
        const QList<Op> log = again.all<Op>();
        QCOMPARE(quint64(log.size()), again.welcome()->head);
        QSet<quint64> logged;
        for (int i = 0; i < log.size(); ++i) {
            QCOMPARE(log.at(i).seq, quint64(i + 1));
            QVERIFY2(!logged.contains(log.at(i).cseq), "an op is in the log twice");
            logged.insert(log.at(i).cseq);
        }
        for (quint64 cseq : std::as_const(acked)) {
            QVERIFY2(logged.contains(cseq), qPrintable(u"acknowledged op %1 was lost"_s.arg(cseq)));
            QCOMPARE(log.at(qsizetype(seqOf.value(cseq)) - 1).cseq, cseq);
        }

        // The outbox sends again what it did not see acknowledged, and the rest: each is taken once.
        again.clear();
        for (int i = 0; i < kTotal; ++i) {
            if (!acked.contains(ops.at(i).cseq))
                again.send(ops.at(i));
        }
        QVERIFY(again.waitForAnswer(ops.last().cseq, 60000));
        for (const Ack &ack : again.all<Ack>())
            QCOMPARE(ack.duplicate, logged.contains(ack.cseq));
        QCOMPARE(again.count<Reject>(), 0);

        // What an administrator sees in the database: every op once, its seqs without a gap.
        QString output;
        const QString database = QUrl(store).path().mid(1);
        QVERIFY(m_postgres.psql(database, u"SELECT count(*), count(DISTINCT cseq), min(seq), max(seq) FROM ops"_s,
                                &output));
        QCOMPARE(output.trimmed(), u"%1|%1|1|%1"_s.arg(kTotal));
    }

    /** The limits hold on PostgreSQL as on SQLite: the board's item limit refuses an add, the refused add is not
     *  stored, and after a restart of the server on the same database the room is what was acknowledged. */
    void limitsHoldAcrossRestart()
    {
        const QString store = newDatabase();
        ServerFixture fixture([&store](server::ServerConfig &config) {
            config.store = store;
            config.maxBoardItems = 3;
        });
        QVERIFY(fixture.start());
        TestClient ann(u"client-ann-0001"_s);
        QVERIFY(ann.join(fixture.url(), kRoom));
        QList<quint64> cseqs;
        for (int i = 0; i < 4; ++i)
            cseqs.append(ann.sendOp(ann.makeAdd()));
        QVERIFY(ann.waitForAnswer(cseqs.last()));
        QCOMPARE(ann.count<Ack>(), 3);
        QCOMPARE(ann.rejectFor(cseqs.last())->code, ErrorCode::BoardFull);
        const quint64 chat = ann.sendOp(ann.makeChat(u"still here"_s));
        QVERIFY(ann.waitForAnswer(chat));
        QVERIFY(ann.ackFor(chat));
        ann.close();

        QVERIFY(fixture.restart());
        TestClient bob(u"client-bob-0002"_s);
        QVERIFY(bob.join(fixture.url(), kRoom));
        QCOMPARE(bob.boardSinceWelcome().size(), 3);
        QCOMPARE(bob.welcome()->head, quint64(4));
        QString output;
        QVERIFY(m_postgres.psql(QUrl(store).path().mid(1), u"SELECT count(*) FROM ops"_s, &output));
        QCOMPARE(output.trimmed(), u"4"_s);
    }

    /** The database crashes under a running server and comes back: the op whose commit failed is refused, its
     *  sender is closed with 4022, nothing unacknowledged is stored, and after the database is back the client
     *  rejoins, resends, and every change is there exactly once. */
    void databaseRestartsUnderTheServer()
    {
        const QString store = newDatabase();
        ServerFixture fixture([&store](server::ServerConfig &config) { config.store = store; });
        QVERIFY(fixture.start());
        TestClient ann(u"client-ann-0001"_s);
        QVERIFY(ann.join(fixture.url(), kRoom));
        const QString epoch = ann.welcome()->epoch;
        QList<Op> ops;
        for (int i = 0; i < 10; ++i)
            ops.append(ann.makeAdd(3));
        for (int i = 0; i < 5; ++i)
            ann.send(ops.at(i));
        QVERIFY(ann.waitForAnswer(ops.at(4).cseq));
        QCOMPARE(ann.count<Ack>(), 5);

        QString why;
        QVERIFY2(m_postgres.stop(true, &why), qPrintable(why));
        ann.send(ops.at(5));
        QVERIFY(ann.waitForClose());
        QCOMPARE(ann.closeCode(), quint16(CloseCode::StoreLost));
        QVERIFY(!ann.ackFor(ops.at(5).cseq));
        const std::optional<Reject> refused = ann.rejectFor(ops.at(5).cseq);
        QVERIFY(refused);
        QVERIFY(refused->retry);

        // While the database is away a join is refused with a retryable close; once it is back, it goes through.
        TestClient early(u"client-bob-0002"_s);
        QVERIFY(!early.join(fixture.url(), kRoom));
        QVERIFY(isRetryable(early.closeCode()));
        QVERIFY2(m_postgres.restart(&why), qPrintable(why));
        std::unique_ptr<TestClient> back;
        QVERIFY(waitUntil([&] {
            back = std::make_unique<TestClient>(u"client-ann-0001"_s);
            return back->join(fixture.url(), kRoom, ResumePoint {epoch, 0});
        }));
        QCOMPARE(back->welcome()->epoch, epoch);
        QCOMPARE(back->count<Op>(), 5);
        // Everything again (an outbox that is not sure): the first five are duplicates, the rest new.
        back->clear();
        for (const Op &op : std::as_const(ops))
            back->send(op);
        QVERIFY(back->waitForAnswer(ops.last().cseq));
        QCOMPARE(back->count<Ack>(), 10);
        for (const Ack &ack : back->all<Ack>())
            QCOMPARE(ack.duplicate, ack.cseq <= ops.at(4).cseq);
        QString problem;
        QVERIFY2(fixture.server().checkConsistency(&problem), qPrintable(problem));
        TestClient check;
        QVERIFY(check.join(fixture.url(), kRoom));
        QCOMPARE(check.boardSinceWelcome().size(), 10);
    }
    /** Three nodes on one database serve one room, a member on each; each member sends 300 changes at once, so the
     *  three commit to the room concurrently. Every member sees every change exactly once, live, in one order with no
     *  gap; the database holds each once; the three nodes' boards are the same. */
    void threeNodesServeOneRoomInOneOrder()
    {
        const QString store = newDatabase();
        QTemporaryDir dirs[3];
        ServerProcess nodes[3];
        const QStringList ids = {u"client-ann-0001"_s, u"client-bob-0002"_s, u"client-cat-0003"_s};
        std::vector<std::unique_ptr<TestClient>> clients;
        for (int i = 0; i < 3; ++i) {
            QVERIFY(nodes[i].start(dirs[i].path(), store));
            clients.push_back(std::make_unique<TestClient>(ids.at(i)));
            QVERIFY(clients.back()->join(nodes[i].url(), kRoom));
        }
        constexpr int kEach = 300;
        QList<QList<Op>> ops(3);
        for (int i = 0; i < 3; ++i) {
            for (int n = 0; n < kEach; ++n)
                ops[i].append(n % 4 == 0 ? clients[i]->makeChat(u"chat %1"_s.arg(n)) : clients[i]->makeAdd(1 + n % 5));
        }
        // Interleaved, so that all three nodes have batches on their way at once.
        for (int n = 0; n < kEach; ++n) {
            for (int i = 0; i < 3; ++i)
                clients[i]->send(ops[i].at(n));
        }
        QVERIFY(waitUntil(
            [&] {
                for (const auto &client : clients) {
                    if (client->count<Ack>() + client->count<Reject>() < kEach || client->count<Op>() < 2 * kEach)
                        return false;
                }
                return true;
            },
            60000));
        const QMap<quint64, QString> order = orderSeenBy(*clients[0]);
        QCOMPARE(order.size(), 3 * kEach);
        QCOMPARE(order.firstKey(), quint64(1));
        QCOMPARE(order.lastKey(), quint64(3 * kEach));
        for (const auto &client : clients) {
            QCOMPARE(client->count<Reject>(), 0);
            QCOMPARE(client->count<Op>(), 2 * kEach); // each of the others' changes once
            QCOMPARE(orderSeenBy(*client), order);
        }
        QVERIFY(logHoldsEachOnce(store, 3 * kEach));
        // A newcomer gets the same board from every node.
        const std::optional<Board> board =
            oneBoardEverywhere({nodes[0].url(), nodes[1].url(), nodes[2].url()}, quint64(3 * kEach));
        QVERIFY(board);
        QCOMPARE(board->size(), qsizetype(3 * (kEach - kEach / 4)));
    }

    /** Newcomers of a room that does not exist yet say hello to two nodes at the same moment: one node creates it,
     *  the other finds the new row (never a "damaged index", never a second room), and everybody gets in. */
    void joinsRaceToCreateARoom()
    {
        const QString store = newDatabase();
        QTemporaryDir dirA;
        QTemporaryDir dirB;
        ServerProcess nodeA;
        ServerProcess nodeB;
        QVERIFY(nodeA.start(dirA.path(), store));
        QVERIFY(nodeB.start(dirB.path(), store));
        constexpr int kRooms = 8;
        constexpr int kEach = 8;
        std::vector<std::unique_ptr<TestClient>> clients;
        for (int r = 0; r < kRooms; ++r) {
            for (int i = 0; i < kEach; ++i) {
                clients.push_back(
                    std::make_unique<TestClient>(u"client-race-%1%2"_s.arg(r).arg(i, 4, 10, QChar(u'0'))));
                QVERIFY(clients.back()->connectTo(i % 2 ? nodeB.url() : nodeA.url()));
            }
        }
        for (size_t n = 0; n < clients.size(); ++n)
            clients[n]->send(clients[n]->hello(u"race-%1"_s.arg(n / kEach)));
        QVERIFY(waitUntil([&] {
            return std::all_of(clients.begin(), clients.end(),
                               [](const auto &c) { return c->template count<Synced>() > 0 || !c->isConnected(); });
        }));
        for (const auto &client : clients)
            QVERIFY2(client->count<Synced>() == 1,
                     qPrintable(u"%1 closed with %2"_s.arg(client->clientId).arg(client->closeCode())));
        QString output;
        QVERIFY(m_postgres.psql(QUrl(store).path().mid(1), u"SELECT count(*) FROM rooms"_s, &output));
        QCOMPARE(output.trimmed(), QString::number(kRooms));
    }

    /** Both nodes compact the room as it grows (every 40 ops, 20 kept behind the snapshot): one at a time, never back
     *  to an older snapshot, and a third node that loads the room afterwards serves the same board as the two. */
    void compactionOnTwoNodesKeepsOneBoard()
    {
        const QString store = newDatabase();
        CompactingNodes nodes(store);
        QVERIFY(nodes.start());
        ServerFixture &a = nodes.a;
        ServerFixture &b = nodes.b;
        TestClient &ann = nodes.ann;
        TestClient &bob = nodes.bob;
        constexpr int kEach = 200;
        QList<quint64> last(2);
        for (int n = 0; n < kEach; ++n) {
            last[0] = ann.sendOp(n % 10 == 9 ? ann.makeChat(u"chat"_s) : ann.makeAdd(2));
            last[1] = bob.sendOp(bob.makeAdd(2));
            if (n % 20 == 0) // let the commits and compaction steps of both nodes interleave
                QTest::qWait(5);
        }
        QVERIFY(ann.waitForAnswer(last[0]));
        QVERIFY(bob.waitForAnswer(last[1]));
        QVERIFY(waitUntil([&] { return ann.count<Op>() == kEach && bob.count<Op>() == kEach; }));
        QCOMPARE(ann.count<Reject>() + bob.count<Reject>(), 0);
        QCOMPARE(orderSeenBy(ann), orderSeenBy(bob));
        QString problem;
        QVERIFY2(a.server().checkConsistency(&problem), qPrintable(problem));
        QVERIFY2(b.server().checkConsistency(&problem), qPrintable(problem));
        QString output;
        QVERIFY(m_postgres.psql(QUrl(store).path().mid(1), u"SELECT snapshot_seq > 0, head FROM rooms"_s, &output));
        QCOMPARE(output.trimmed(), u"t|%1"_s.arg(2 * kEach));
        ServerFixture c(CompactingNodes::tweak(store));
        QVERIFY(c.start());
        const std::optional<Board> board = oneBoardEverywhere({a.url(), b.url(), c.url()});
        QVERIFY(board);
        QCOMPARE(board->size(), qsizetype(2 * kEach - kEach / 10));
    }

    /** A snapshot one node stored is the other node's too: the other does not write it again when its own member's
     *  change comes next (it did before, doubling the work of compaction). */
    void aSnapshotIsWrittenByOneNodeOnly()
    {
        const QString store = newDatabase();
        CompactingNodes nodes(store);
        QVERIFY(nodes.start());
        ServerFixture &b = nodes.b;
        TestClient &ann = nodes.ann;
        TestClient &bob = nodes.bob;
        const auto counting = countingSnapshots();
        quint64 last = 0;
        for (int n = 0; n < 45; ++n)
            last = ann.sendOp(ann.makeAdd(2));
        QVERIFY(ann.waitForAnswer(last));
        QString output;
        const QString database = QUrl(store).path().mid(1);
        QVERIFY(waitUntil([&] {
            return m_postgres.psql(database, u"SELECT snapshot_seq FROM rooms"_s, &output)
                && output.trimmed() != u"0"_s;
        }));
        QVERIFY(waitUntil([&] { return bob.count<Op>() == 45; }));
        // Bob's node commits next, 45 ops after the room's first snapshot as it loaded it, 5 after the one A stored.
        last = bob.sendOp(bob.makeAdd(2));
        QVERIFY(bob.waitForAnswer(last));
        QVERIFY(bob.ackFor(last));
        QTest::qWait(300); // a compaction step a turn: it would have written by now
        QCOMPARE(g_snapshots.loadRelaxed(), 1);
        QString problem;
        QVERIFY2(b.server().checkConsistency(&problem), qPrintable(problem));
    }

    /** Live traffic crosses nodes: a cursor and a live stroke sent on one node reach the room's member on the other
     *  (batched into notifications). What arrives on the live channel is checked like network input: anybody who
     *  can NOTIFY in the database can put text there, and only the volatile kinds are delivered. */
    void liveTrafficCrossesNodes()
    {
        const QString store = newDatabase();
        ServerFixture a([&store](server::ServerConfig &config) { config.store = store; });
        ServerFixture b([&store](server::ServerConfig &config) { config.store = store; });
        QVERIFY(a.start());
        QVERIFY(b.start());
        TestClient ann(u"client-ann-0001"_s);
        TestClient bob(u"client-bob-0002"_s);
        QVERIFY(ann.join(a.url(), kRoom));
        QVERIFY(bob.join(b.url(), kRoom));
        ann.send(Cursor {QString(), 12.5, 40.0, true});
        Live live;
        live.id = u"client-ann-0001:99"_s;
        live.points = {QPointF(1, 2), QPointF(3, 4)};
        ann.send(live);
        QVERIFY(bob.waitFor<Cursor>());
        QVERIFY(bob.waitFor<Live>());
        QCOMPARE(bob.last<Cursor>()->client, ann.clientId);
        QCOMPARE(bob.last<Cursor>()->x, 12.5);
        QCOMPARE(bob.last<Live>()->client, ann.clientId);
        QCOMPARE(bob.last<Live>()->points.size(), 2);

        // Forged notifications: a durable op is never delivered through the live channel, nor is garbage; a cursor
        // (what the channel is for) is, which shows the forgery reached the node.
        const QString database = QUrl(store).path().mid(1);
        QString output;
        const auto notify = [&](const QByteArray &message) {
            const QString text = QString::fromUtf8(message).replace(u"'"_s, u"''"_s);
            return m_postgres.psql(database,
                                   u"SELECT pg_notify('inkroom_live', 'forged' || chr(10) || "
                                   "(SELECT id FROM rooms LIMIT 1) || ' ' || '%1')"_s.arg(text),
                                   &output);
        };
        Op forged = ann.makeChat(u"forged"_s);
        forged.seq = 99;
        forged.client = ann.clientId;
        QVERIFY(notify(encode(forged)));
        QVERIFY(notify("{not json"));
        QVERIFY(notify(encode(Cursor {u"client-eve-0005"_s, 1, 1, true})));
        QVERIFY(waitUntil([&] { return bob.last<Cursor>()->client == u"client-eve-0005"_s; }));
        QCOMPARE(bob.count<Op>(), 0);
    }

    /** Notifications are only hints: a node that hears them delivers another node's change at once; a node that
     *  lost one (a test hook drops it) still delivers the change, from its regular look at the database. */
    void lostNotificationIsRepaired()
    {
        const QString store = newDatabase();
        ServerFixture a([&store](server::ServerConfig &config) { config.store = store; });
        // Hears every notification, never looks by itself: whatever it delivers came through a notification.
        ServerFixture b([&store](server::ServerConfig &config) {
            config.store = store;
            config.nodeCatchUpMs = 0;
        });
        // Loses the first notification, and looks at the database every 200 ms.
        ServerFixture c([&store](server::ServerConfig &config) {
            config.store = store;
            config.nodeCatchUpMs = 200;
            config.dropHeadNotifications = 1;
        });
        QVERIFY(a.start());
        QVERIFY(b.start());
        QVERIFY(c.start());
        TestClient ann(u"client-ann-0001"_s);
        TestClient bob(u"client-bob-0002"_s);
        TestClient cat(u"client-cat-0003"_s);
        QVERIFY(ann.join(a.url(), kRoom));
        QVERIFY(bob.join(b.url(), kRoom));
        QVERIFY(cat.join(c.url(), kRoom));
        const quint64 cseq = ann.sendOp(ann.makeAdd());
        QVERIFY(ann.waitForAnswer(cseq));
        QVERIFY(ann.ackFor(cseq));
        QVERIFY(bob.waitFor<Op>());
        QVERIFY(cat.waitFor<Op>());
        QCOMPARE(bob.last<Op>()->cseq, cseq);
        QCOMPARE(cat.last<Op>()->cseq, cseq);
        QCOMPARE(cat.count<Op>(), 1);
        // Bob's reply goes the other way, through the same hints.
        const quint64 reply = bob.sendOp(bob.makeChat(u"got it"_s));
        QVERIFY(bob.waitForAnswer(reply));
        QVERIFY(ann.waitFor<Op>());
        QVERIFY(cat.waitFor<Op>(2));
        QCOMPARE(orderSeenBy(ann), orderSeenBy(bob));
        QCOMPARE(orderSeenBy(cat), orderSeenBy(bob));
    }

    /** A node is SIGKILLed while its member streams changes; the member reconnects to another node and sends again
     *  what was not acknowledged: each change is committed exactly once, and a member of the other node saw every
     *  change once, in order. */
    void killedNodesClientsCarryOnElsewhere()
    {
        const QString store = newDatabase();
        QTemporaryDir dirA;
        QTemporaryDir dirB;
        ServerProcess nodeA;
        ServerProcess nodeB;
        QVERIFY(nodeA.start(dirA.path(), store));
        QVERIFY(nodeB.start(dirB.path(), store));
        TestClient bob(u"client-bob-0002"_s);
        QVERIFY(bob.join(nodeB.url(), kRoom));
        TestClient ann(u"client-ann-0001"_s);
        QVERIFY(ann.join(nodeA.url(), kRoom));
        const QString epoch = ann.welcome()->epoch;
        constexpr int kTotal = 600;
        QList<Op> ops;
        for (int i = 0; i < kTotal; ++i)
            ops.append(i % 5 == 0 ? ann.makeChat(u"chat %1"_s.arg(i)) : ann.makeAdd(1 + i % 7));
        const int sent = ann.streamUntilAcked(ops, 100, 200);
        QVERIFY(sent > 0);
        nodeA.kill();
        QVERIFY(ann.waitForClose());
        QSet<quint64> acked;
        for (const Ack &ack : ann.all<Ack>())
            acked.insert(ack.cseq);
        qInfo("node killed with %d ops sent and %d acknowledged", sent, int(acked.size()));

        TestClient again(u"client-ann-0001"_s);
        QVERIFY(again.join(nodeB.url(), kRoom, ResumePoint {epoch, 0}));
        const quint64 loggedBefore = again.welcome()->head;
        QVERIFY(loggedBefore >= quint64(acked.size()));
        again.clear();
        QVERIFY(resendUnacknowledged(again, ops, acked));
        QCOMPARE(again.count<Reject>(), 0);
        for (const Ack &ack : again.all<Ack>())
            QCOMPARE(ack.duplicate, ack.seq <= loggedBefore);
        QVERIFY(waitUntil([&] { return bob.count<Op>() >= kTotal; }));
        const QMap<quint64, QString> order = orderSeenBy(bob);
        QCOMPARE(bob.count<Op>(), kTotal);
        QCOMPARE(order.size(), kTotal);
        QCOMPARE(order.lastKey(), quint64(kTotal));
        for (int i = 0; i < kTotal; ++i)
            QCOMPARE(order.value(quint64(i + 1)).section(u'/', 0, 0), ann.clientId);
        QString output;
        QVERIFY(m_postgres.psql(QUrl(store).path().mid(1),
                                u"SELECT count(*), count(DISTINCT cseq), min(seq), max(seq) FROM ops"_s, &output));
        QCOMPARE(output.trimmed(), u"%1|%1|1|%1"_s.arg(kTotal));
    }

    /** The database crashes (pg_ctl stop -m immediate) under two nodes with a member streaming on each, and comes
     *  back: the members are closed with 4022, reconnect (each to the other node) and resend; every change is then
     *  in the log exactly once with no gap, and both nodes serve the same board. */
    void databaseRestartsUnderTwoNodes()
    {
        const QString store = newDatabase();
        QTemporaryDir dirA;
        QTemporaryDir dirB;
        ServerProcess nodeA;
        ServerProcess nodeB;
        QVERIFY(nodeA.start(dirA.path(), store));
        QVERIFY(nodeB.start(dirB.path(), store));
        const QList<QUrl> urls = {nodeA.url(), nodeB.url()};
        const QStringList ids = {u"client-ann-0001"_s, u"client-bob-0002"_s};
        std::vector<std::unique_ptr<TestClient>> clients;
        QList<QList<Op>> ops(2);
        constexpr int kEach = 300;
        for (int i = 0; i < 2; ++i) {
            clients.push_back(std::make_unique<TestClient>(ids.at(i)));
            QVERIFY(clients[i]->join(urls.at(i), kRoom));
            for (int n = 0; n < kEach; ++n)
                ops[i].append(n % 3 == 0 ? clients[i]->makeChat(u"chat %1"_s.arg(n)) : clients[i]->makeAdd(2));
        }
        const QString epoch = clients[0]->welcome()->epoch;
        for (int n = 0; n < kEach / 2; ++n) {
            for (int i = 0; i < 2; ++i)
                clients[i]->send(ops[i].at(n));
        }
        QVERIFY(waitUntil([&] { return clients[0]->count<Ack>() >= 50 && clients[1]->count<Ack>() >= 50; }));
        QString why;
        QVERIFY2(m_postgres.stop(true, &why), qPrintable(why));
        for (int i = 0; i < 2; ++i) {
            for (int n = kEach / 2; n < kEach; ++n)
                clients[i]->send(ops[i].at(n));
        }
        QList<QSet<quint64>> acked(2);
        for (int i = 0; i < 2; ++i) {
            QVERIFY(clients[i]->waitForClose());
            QCOMPARE(clients[i]->closeCode(), quint16(CloseCode::StoreLost));
            for (const Ack &ack : clients[i]->all<Ack>())
                acked[i].insert(ack.cseq);
        }
        QVERIFY2(m_postgres.restart(&why), qPrintable(why));
        std::vector<std::unique_ptr<TestClient>> back(2);
        for (int i = 0; i < 2; ++i) {
            QVERIFY(waitUntil(
                [&] {
                    back[i] = std::make_unique<TestClient>(ids.at(i));
                    return back[i]->join(urls.at(1 - i), kRoom, ResumePoint {epoch, 0});
                },
                30000));
            back[i]->clear();
        }
        for (int i = 0; i < 2; ++i) {
            QVERIFY(resendUnacknowledged(*back[i], ops[i], acked[i]));
            QCOMPARE(back[i]->count<Reject>(), 0);
        }
        QVERIFY(logHoldsEachOnce(store, 2 * kEach));
        const std::optional<Board> board = oneBoardEverywhere(urls, quint64(2 * kEach));
        QVERIFY(board);
        QCOMPARE(board->size(), qsizetype(2 * (kEach - kEach / 3)));
    }

    /** Presence crosses nodes: members of one room on three nodes list each other (welcome and presence), with new
     *  names and colours, and the roles the room gives them; a view (following) crosses too. A member that moved to
     *  another node while its old connection still ran is listed once and stays listed when the old one ends; the
     *  nodes' heartbeats keep everybody listed past several leases. */
    void presenceCrossesNodes()
    {
        const QString store = newDatabase();
        const auto config = [&store](server::ServerConfig &c) {
            c.store = store;
            c.nodeHeartbeatMs = 200;
            c.nodeLeaseMs = 2000;
        };
        ServerFixture a(config);
        ServerFixture b(config);
        ServerFixture c(config);
        QVERIFY(a.start());
        QVERIFY(b.start());
        QVERIFY(c.start());
        TestClient bob(u"client-bob-0002"_s, u"Bob"_s);
        QVERIFY(bob.join(b.url(), kRoom)); // the room's first member: its owner
        TestClient ann(u"client-ann-0001"_s, u"Ann"_s);
        QVERIFY(ann.join(a.url(), kRoom));
        QVERIFY(waitUntil([&] { return listedBy(bob).contains(ann.clientId); }));
        QVERIFY(waitUntil([&] { return listedBy(ann).contains(bob.clientId); }));
        QCOMPARE(listedBy(bob).value(ann.clientId).name, u"Ann"_s);

        ann.send(Profile {u"Ann B"_s, 0xff00aa00});
        QVERIFY(waitUntil([&] { return listedBy(bob).value(ann.clientId).name == u"Ann B"_s; }));
        QCOMPARE(listedBy(bob).value(ann.clientId).colour, Colour(0xff00aa00));

        // A role the owner gives on B: a newcomer on C lists Ann with it.
        Op role;
        role.kind = OpKind::SetRole;
        role.target = ann.clientId;
        role.role = Role::Viewer;
        role.cseq = bob.nextCseq++;
        QVERIFY(bob.waitForAnswer(bob.sendOp(role)));
        QVERIFY(bob.ackFor(role.cseq));
        TestClient cat(u"client-cat-0003"_s, u"Cat"_s);
        QVERIFY(cat.join(c.url(), kRoom));
        QVERIFY(waitUntil([&] { return listedBy(cat).size() == 3; }));
        QCOMPARE(listedBy(cat).value(ann.clientId).role, std::optional<Role>(Role::Viewer));
        QCOMPARE(listedBy(cat).value(ann.clientId).name, u"Ann B"_s);
        QCOMPARE(listedBy(cat).value(bob.clientId).role, std::optional<Role>(Role::Owner));

        // Following: Ann's view reaches the members of the other nodes.
        ann.send(View {QString(), 10, 20, 300, 200});
        QVERIFY(bob.waitFor<View>());
        QVERIFY(cat.waitFor<View>());
        QCOMPARE(cat.last<View>()->client, ann.clientId);

        // Ann moves to B while her link to A still runs: listed once everywhere, and still when the old link ends.
        TestClient moved(ann.clientId, u"Ann B"_s);
        moved.colour = 0xff00aa00;
        QVERIFY(moved.join(b.url(), kRoom));
        // B's words arrive in the order B said them: once C has the new name, it has heard of Ann on B.
        moved.send(Profile {u"Ann M"_s, 0xff00aa00});
        QVERIFY(waitUntil([&] { return listedBy(cat).value(ann.clientId).name == u"Ann M"_s; }));
        ann.close();
        // A's words arrive in the order A said them: once Dan's join on A is heard, so is Ann's leaving A.
        TestClient dan(u"client-dan-0004"_s, u"Dan"_s);
        QVERIFY(dan.join(a.url(), kRoom));
        QVERIFY(
            waitUntil([&] { return listedBy(cat).contains(dan.clientId) && listedBy(bob).contains(dan.clientId); }));
        QVERIFY(listedBy(cat).contains(ann.clientId));
        QVERIFY(listedBy(bob).contains(ann.clientId));
        QVERIFY(listedBy(dan).contains(ann.clientId));
        QCOMPARE(leftCount(cat, ann.clientId), 0);
        QCOMPARE(leftCount(bob, ann.clientId), 0);

        // Heartbeats keep the others' members listed: nobody leaves over several leases.
        QTest::qWait(5000);
        for (const TestClient *member : {&bob, &cat, &dan, &moved})
            QCOMPARE(listedBy(*member).size(), 4);

        // Leaving for good: gone from every list.
        moved.close();
        QVERIFY(waitUntil([&] { return !listedBy(cat).contains(ann.clientId); }));
        QVERIFY(waitUntil([&] { return !listedBy(dan).contains(ann.clientId); }));
        QVERIFY(waitUntil([&] { return !listedBy(bob).contains(ann.clientId); }));
        QCOMPARE(leftCount(cat, ann.clientId), 1);
    }

    /** A node is SIGKILLed: its members leave the member lists of the other nodes once its lease runs out (no
     *  heartbeat); the member that moves to another node is listed again. */
    void presenceOfAKilledNodeRunsOut()
    {
        const QString store = newDatabase();
        QTemporaryDir dirA;
        ServerProcess nodeA;
        QVERIFY(nodeA.start(dirA.path(), store));
        ServerFixture b([&store](server::ServerConfig &c) {
            c.store = store;
            c.nodeLeaseMs = 3000;
        });
        QVERIFY(b.start());
        TestClient bob(u"client-bob-0002"_s, u"Bob"_s);
        QVERIFY(bob.join(b.url(), kRoom));
        TestClient ann(u"client-ann-0001"_s, u"Ann"_s);
        QVERIFY(ann.join(nodeA.url(), kRoom));
        QVERIFY(waitUntil([&] { return listedBy(bob).contains(ann.clientId); }));
        QElapsedTimer clock;
        clock.start();
        nodeA.kill();
        QVERIFY(ann.waitForClose());
        QVERIFY(waitUntil([&] { return !listedBy(bob).contains(ann.clientId); }, 30000));
        qInfo("a killed node's member left the other node's list after %lld ms (lease 3000 ms)", clock.elapsed());
        QCOMPARE(leftCount(bob, ann.clientId), 1);

        TestClient again(ann.clientId, u"Ann"_s);
        QVERIFY(again.join(b.url(), kRoom));
        QVERIFY(waitUntil([&] { return listedBy(bob).contains(ann.clientId); }));
    }

    /** Refusals: a room's member limit counts its members on every node (a join past it is refused with room_full on
     *  any node); what arrives on the presence channel is checked like network input (garbage, a bad member, a node id
     *  that is not one, more members than a room holds: nothing of it is listed), and a well-formed line shows the
     *  forgeries reached the node. */
    void presenceIsLimitedAndChecked()
    {
        const QString store = newDatabase();
        const auto config = [&store](server::ServerConfig &c) {
            c.store = store;
            c.maxRoomMembers = 3;
        };
        ServerFixture a(config);
        ServerFixture b(config);
        QVERIFY(a.start());
        QVERIFY(b.start());
        TestClient ann(u"client-ann-0001"_s, u"Ann"_s);
        TestClient bob(u"client-bob-0002"_s, u"Bob"_s);
        TestClient cat(u"client-cat-0003"_s, u"Cat"_s);
        QVERIFY(ann.join(a.url(), kRoom));
        QVERIFY(bob.join(b.url(), kRoom));
        QVERIFY(cat.join(a.url(), kRoom));
        QVERIFY(waitUntil([&] { return listedBy(bob).size() == 3; }));
        for (const QUrl &url : {a.url(), b.url()}) {
            TestClient dan(u"client-dan-0004"_s, u"Dan"_s);
            QVERIFY(!dan.join(url, kRoom));
            QCOMPARE(dan.closeCode(), quint16(CloseCode::RoomFull));
        }
        cat.close();
        QVERIFY(waitUntil([&] { return listedBy(bob).size() == 2; }));
        TestClient dan(u"client-dan-0004"_s, u"Dan"_s);
        QVERIFY(dan.join(b.url(), kRoom));

        const QString database = QUrl(store).path().mid(1);
        QString output;
        QVERIFY(m_postgres.psql(database, u"SELECT id FROM rooms"_s, &output));
        const QByteArray room = output.trimmed().toUtf8();
        const auto notify = [&](const QByteArray &payload) {
            const QString text =
                QString::fromUtf8(payload).replace(u"'"_s, u"''"_s).replace(u"\n"_s, u"' || chr(10) || '"_s);
            return m_postgres.psql(database, u"SELECT pg_notify('inkroom_presence', '%1')"_s.arg(text), &output);
        };
        const auto line = [&room](const QString &client, const QString &name) {
            Member member;
            member.client = client;
            member.name = name;
            return QByteArray(room + " + " + encode(Presence {PresenceEvent::Joined, member}));
        };
        const qsizetype before = listedBy(bob).size();
        QVERIFY(notify("forged\n{not a line"));
        QVERIFY(notify("forged\n" + room
                       + " + {\"type\":\"presence\",\"event\":\"joined\",\"member\":{\"client\":\"x\"}}"));
        QVERIFY(notify("forged\nabc + " + line(u"client-eve-0005"_s, u"Eve"_s).mid(room.size() + 3)));
        QVERIFY(notify("forged\n" + room + " - not a client id!"));
        QVERIFY(notify(QByteArray(40, 'f') + "\n" + line(u"client-eve-0005"_s, u"Eve"_s)));
        // A forged node that lists more members in the room than it may have: only as many as a room has.
        QVERIFY(notify("flood\n" + line(u"client-fay-0006"_s, u"Fay"_s) + "\n" + line(u"client-gus-0007"_s, u"Gus"_s)
                       + "\n" + line(u"client-hal-0008"_s, u"Hal"_s) + "\n" + line(u"client-ivy-0009"_s, u"Ivy"_s)));
        QVERIFY(notify("forged\n" + line(u"client-eve-0005"_s, u"Eve"_s)));
        QVERIFY(waitUntil([&] { return listedBy(bob).contains(u"client-eve-0005"_s); }));
        QCOMPARE(listedBy(bob).value(u"client-eve-0005"_s).name, u"Eve"_s);
        QVERIFY(!listedBy(bob).contains(u"x"_s));
        QVERIFY(!listedBy(bob).contains(u"client-ivy-0009"_s));
        QCOMPARE(listedBy(bob).size(), before + 4); // Eve, Fay, Gus and Hal
    }
};

QTEST_GUILESS_MAIN(TestServerPgServer)
#include "tst_server_pgserver.moc"
