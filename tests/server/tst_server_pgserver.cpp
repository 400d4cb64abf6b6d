// inkroom-server on PostgreSQL (issue 17, items 1 and 5): the real executable with --store postgresql://..., SIGKILLed
// and started again on the same database; an in-process server whose database crashes and comes back under it; and
// the command line's answers to a bad or unreachable store. One private PostgreSQL for the whole executable (a unix
// socket in a temporary directory, no TCP), a fresh database per test function.
#include "closecodes.h"
#include "postgresfixture.h"
#include "serverharness.h"

#include <QProcess>
#include <QRegularExpression>
#include <QSet>
#include <QTemporaryDir>
#include <QTest>

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
};

QTEST_GUILESS_MAIN(TestServerPgServer)
#include "tst_server_pgserver.moc"
