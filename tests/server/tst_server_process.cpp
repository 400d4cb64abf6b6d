#include "closecodes.h"
#include "serverharness.h"

#include <QProcess>
#include <QRegularExpression>
#include <QSet>
#include <QTemporaryDir>
#include <QTest>

#include <csignal>

using namespace Qt::StringLiterals;
using namespace inkroom;
using namespace inkroom::proto;
using namespace inkroom::test;

namespace {

const QString kRoom = u"durable"_s;

//! The real inkroom-server, as an operator starts it.
class ServerProcess
{
public:
    ~ServerProcess()
    {
        if (m_process.state() != QProcess::NotRunning) {
            m_process.kill();
            m_process.waitForFinished();
        }
    }

    //! Start with these options; plain ws:// unless secure (the default of inkroom-server: wss://).
    bool start(const QString &dataDir, const QStringList &extra = {}, bool secure = false)
    {
        m_output.clear();
        m_process.setProgram(QStringLiteral(INKROOM_SERVER_EXE));
        m_process.setArguments(QStringList {u"--bind"_s, u"localhost"_s, u"--port"_s, u"0"_s, u"--data-dir"_s, dataDir}
                               + (secure ? QStringList() : QStringList {u"--insecure"_s}) + extra);
        m_process.setProcessChannelMode(QProcess::SeparateChannels);
        m_process.start();
        if (!m_process.waitForStarted())
            return false;
        static const QRegularExpression address(u"(wss?)://127\\.0\\.0\\.1:(\\d+)"_s);
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
        m_url = QUrl(match.captured(1) + u"://127.0.0.1:"_s + match.captured(2));
        return true;
    }

    [[nodiscard]] QUrl url() const { return m_url; }
    [[nodiscard]] QProcess &process() { return m_process; }
    QString output()
    {
        m_output += QString::fromUtf8(m_process.readAllStandardOutput());
        return m_output;
    }
    void kill()
    {
        m_process.kill(); // SIGKILL: no flush, no goodbye
        m_process.waitForFinished();
    }

private:
    QProcess m_process;
    QString m_output;
    QUrl m_url;
};

//! Run the executable to completion with these arguments.
int runToEnd(const QStringList &arguments, QString *output)
{
    QProcess process;
    process.setProcessChannelMode(QProcess::MergedChannels);
    process.start(QStringLiteral(INKROOM_SERVER_EXE), arguments);
    if (!process.waitForFinished(kWaitMs))
        return -1;
    *output = QString::fromUtf8(process.readAll());
    return process.exitStatus() == QProcess::NormalExit ? process.exitCode() : -1;
}

} // namespace

class TestServerProcess : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void sigkillRightAfterAcksLosesNothing_data()
    {
        QTest::addColumn<int>("total");
        QTest::addColumn<int>("killAfterAcks");
        QTest::addColumn<int>("largeEvery");
        QTest::newRow("small ops") << 4000 << 1500 << 0;
        // Every third op is decoded by a worker thread (above the server's 32 KiB): acknowledged only once committed.
        QTest::newRow("large ops among them") << 600 << 200 << 3;
    }

    void sigkillRightAfterAcksLosesNothing()
    {
        QFETCH(int, total);
        QFETCH(int, killAfterAcks);
        QFETCH(int, largeEvery);
        QTemporaryDir dir;
        // Rate limits lifted, message and byte rates both: this test is about what a kill does, not about refusals.
        const QStringList fast {u"--rate"_s,   u"100000"_s,  u"--burst"_s,        u"100000"_s,
                                u"--op-kib"_s, u"1048576"_s, u"--op-burst-kib"_s, u"1048576"_s};
        ServerProcess server;
        QVERIFY(server.start(dir.path(), fast));

        TestClient ann(u"client-ann-0001"_s);
        QVERIFY(ann.join(server.url(), kRoom));
        const QString epoch = ann.welcome()->epoch;

        // Stream ops with up to 200 in flight; kill the server in the middle of the stream.
        const int kTotal = total;
        const int kKillAfterAcks = killAfterAcks;
        QList<Op> ops;
        for (int i = 0; i < kTotal; ++i) {
            if (largeEvery > 0 && i % largeEvery == 0)
                ops.append(ann.makeAdd(3000));
            else
                ops.append(i % 5 == 0 ? ann.makeChat(u"chat %1"_s.arg(i)) : ann.makeAdd(1 + i % 7));
        }
        const int sent = ann.streamUntilAcked(ops, 200, kKillAfterAcks);
        QVERIFY(sent > 0);
        server.kill();
        qInfo("killed with %d ops sent and %d acknowledged so far", sent, int(ann.count<Ack>()));
        // Acks already on their way are acks too.
        QVERIFY(ann.waitForClose());
        QSet<quint64> acked;
        QHash<quint64, quint64> seqOf;
        for (const Ack &ack : ann.all<Ack>()) {
            QVERIFY(!ack.duplicate);
            acked.insert(ack.cseq);
            seqOf.insert(ack.cseq, ack.seq);
        }
        QVERIFY(acked.size() >= kKillAfterAcks);

        // The same data directory, a new process: every acknowledged op is there, exactly once, in place.
        QVERIFY(server.start(dir.path(), fast));
        TestClient again(u"client-ann-0001"_s);
        QVERIFY(again.join(server.url(), kRoom, ResumePoint {epoch, 0}));
        QCOMPARE(again.welcome()->epoch, epoch);
        QVERIFY(!again.welcome()->snapshot);
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
        QCOMPARE(again.welcome()->acked, *std::max_element(logged.cbegin(), logged.cend()));

        // The client's outbox resends everything it has not seen acknowledged: nothing is applied twice.
        again.clear();
        for (int i = 0; i < sent; ++i) {
            if (!acked.contains(ops.at(i).cseq))
                again.send(ops.at(i));
        }
        for (int i = sent; i < kTotal; ++i)
            again.send(ops.at(i));
        QVERIFY(again.waitForAnswer(ops.last().cseq, 60000));
        for (const Ack &ack : again.all<Ack>())
            QCOMPARE(ack.duplicate, logged.contains(ack.cseq));
        QCOMPARE(again.count<Reject>(), 0);

        TestClient check;
        QVERIFY(check.join(server.url(), kRoom, ResumePoint {epoch, 0}));
        QSet<quint64> all;
        for (const Op &op : check.all<Op>()) {
            QVERIFY(!all.contains(op.cseq));
            all.insert(op.cseq);
        }
        QCOMPARE(all.size(), qsizetype(kTotal));
    }

    //! New client ids that join together are each on disk before their welcome: killed right after the welcomes, the
    //! server still refuses another installation's secret for every one of them.
    void newIdsWelcomedTogetherSurviveSigkill()
    {
        QTemporaryDir dir;
        ServerProcess server;
        QVERIFY(server.start(dir.path()));
        std::vector<std::unique_ptr<TestClient>> pupils;
        for (int i = 0; i < 12; ++i)
            pupils.push_back(std::make_unique<TestClient>(u"client-pupil-%1"_s.arg(i, 4, 10, QChar(u'0'))));
        for (const auto &pupil : pupils)
            QVERIFY(pupil->connectTo(server.url()));
        for (const auto &pupil : pupils)
            pupil->send(pupil->hello(kRoom));
        for (const auto &pupil : pupils)
            QVERIFY(pupil->waitFor<Welcome>());
        server.kill();

        QVERIFY(server.start(dir.path()));
        // Four impostors (a fifth refused secret from one address would be too_many_attempts); every pupil gets in.
        for (int i = 0; i < int(pupils.size()); ++i) {
            if (i % 3 == 0) {
                TestClient impostor(pupils.at(i)->clientId);
                impostor.secret = u"an-impostors-secret-0123456789"_s;
                QVERIFY(!impostor.join(server.url(), kRoom));
                QCOMPARE(impostor.closeCode(), quint16(CloseCode::BadSecret));
            }
            TestClient again(pupils.at(i)->clientId);
            QVERIFY(again.join(server.url(), kRoom));
        }
    }

    //! Roles, bans, the default role and the lock are durable like every acknowledged op.
    void rolesSurviveSigkill()
    {
        QTemporaryDir dir;
        ServerProcess server;
        QVERIFY(server.start(dir.path()));
        TestClient teacher(u"client-teacher-01"_s), pupil(u"client-pupil-0001"_s), vandal(u"client-vandal-001"_s);
        QVERIFY(teacher.join(server.url(), kRoom));
        QVERIFY(pupil.join(server.url(), kRoom));
        QVERIFY(vandal.join(server.url(), kRoom));
        const auto control = [&teacher](OpKind kind, const QString &target = {}) {
            Op op;
            op.kind = kind;
            op.cseq = teacher.nextCseq++;
            op.target = target;
            return op;
        };
        Op viewer = control(OpKind::SetRole, pupil.clientId);
        viewer.role = Role::Viewer;
        Op guests = control(OpKind::SetDefaultRole);
        guests.role = Role::Viewer;
        Op ban = control(OpKind::Kick, vandal.clientId);
        ban.ban = true;
        const Op lock = control(OpKind::Lock);
        for (const Op &op : {viewer, guests, ban, lock})
            teacher.send(op);
        QVERIFY(teacher.waitForAnswer(lock.cseq));
        QCOMPARE(teacher.count<Ack>(), 4);
        server.kill(); // right after the acks

        QVERIFY(server.start(dir.path()));
        TestClient pupilAgain(pupil.clientId);
        QVERIFY(pupilAgain.join(server.url(), kRoom));
        const Welcome welcome = *pupilAgain.welcome();
        QVERIFY(welcome.locked);
        QCOMPARE(welcome.defaultRole, Role::Viewer);
        QCOMPARE(welcome.members.constLast().role, Role::Viewer);
        const Op add = pupilAgain.makeAdd();
        pupilAgain.send(add);
        QVERIFY(pupilAgain.waitForAnswer(add.cseq));
        QCOMPARE(pupilAgain.rejectFor(add.cseq)->code, ErrorCode::ViewOnly);
        TestClient vandalAgain(vandal.clientId);
        QVERIFY(!vandalAgain.join(server.url(), kRoom));
        QCOMPARE(vandalAgain.closeCode(), quint16(CloseCode::Banned));
        TestClient teacherAgain(teacher.clientId);
        teacherAgain.nextCseq = teacher.nextCseq;
        QVERIFY(teacherAgain.join(server.url(), kRoom));
        QCOMPARE(teacherAgain.welcome()->members.constLast().client, teacher.clientId); // the joiner is last
        QCOMPARE(teacherAgain.welcome()->members.constLast().role, Role::Owner);
    }

    void sigtermShutsDownCleanly()
    {
        QTemporaryDir dir;
        ServerProcess server;
        QVERIFY(server.start(dir.path()));
        QVERIFY(server.output().contains(u"inkroom-server "_s));
        QVERIFY(server.output().contains(dir.path()));
        TestClient ann;
        QVERIFY(ann.join(server.url(), kRoom));
        const quint64 cseq = ann.sendOp(ann.makeAdd());
        QVERIFY(ann.waitForAnswer(cseq));

        server.process().terminate(); // SIGTERM
        QVERIFY(ann.waitForClose());
        QCOMPARE(ann.closeCode(), quint16(CloseCode::GoingAway));
        QVERIFY(waitUntil([&server] { return server.process().state() == QProcess::NotRunning; }));
        QCOMPARE(server.process().exitStatus(), QProcess::NormalExit);
        QCOMPARE(server.process().exitCode(), 0);
        QVERIFY(server.output().contains(u"Stopped."_s));

        // SIGINT (Ctrl+C) too, and the data is still there.
        QVERIFY(server.start(dir.path()));
        TestClient bo;
        QVERIFY(bo.join(server.url(), kRoom));
        QCOMPARE(bo.welcome()->head, 1u);
        ::kill(pid_t(server.process().processId()), SIGINT);
        QVERIFY(bo.waitForClose());
        QCOMPARE(bo.closeCode(), quint16(CloseCode::GoingAway));
        QVERIFY(waitUntil([&server] { return server.process().state() == QProcess::NotRunning; }));
        QCOMPARE(server.process().exitCode(), 0);
    }

    void printsItsFingerprintAtEveryStart()
    {
        QTemporaryDir dir;
        static const QRegularExpression line(u"Certificate fingerprint \\(SHA-256\\): ([0-9A-F:]{95})\n"_s);
        QString first;
        for (int run = 0; run < 2; ++run) {
            ServerProcess server;
            QVERIFY(server.start(dir.path(), {}, true));
            QCOMPARE(server.url().scheme(), u"wss"_s);
            const QRegularExpressionMatch match = line.match(server.output());
            QVERIFY2(match.hasMatch(), qPrintable(server.output()));
            QVERIFY(server.output().contains(dir.path() + u"/tls/server.crt"_s));
            if (run == 0)
                first = match.captured(1);
            QCOMPARE(match.captured(1), first); // the same identity, kept in the data directory
            // A client that checks for exactly that certificate joins.
            TestClient ann;
            ann.acceptCertificate(first);
            QVERIFY(ann.join(server.url(), kRoom));
            ::kill(pid_t(server.process().processId()), SIGTERM);
            QVERIFY(waitUntil([&server] { return server.process().state() == QProcess::NotRunning; }));
        }
        ServerProcess plain;
        QVERIFY(plain.start(dir.path()));
        QCOMPARE(plain.url().scheme(), u"ws"_s);
        QVERIFY(plain.output().contains(u"INSECURE"_s));
        QVERIFY(!plain.output().contains(u"fingerprint"_s));
    }

    void commandLine()
    {
        QString output;
        QCOMPARE(runToEnd({u"--version"_s}, &output), 0);
        QVERIFY(output.contains(u"inkroom-server"_s));
        QCOMPARE(runToEnd({u"--help"_s}, &output), 0);
        for (const QString &option : {u"--bind"_s, u"--port"_s, u"--data-dir"_s, u"--max-connections"_s,
                                      u"--max-room-members"_s, u"--op-kib"_s, u"--op-burst-kib"_s, u"--verbose"_s})
            QVERIFY2(output.contains(option), qPrintable(option));
        QVERIFY(runToEnd({u"--no-such-option"_s}, &output) != 0);
        QVERIFY(runToEnd({u"--port"_s, u"http"_s}, &output) != 0);
        QVERIFY(output.contains(u"--port"_s));
        // The byte rate's burst below the largest message: a clear error, not a server that refuses every large op.
        QVERIFY(runToEnd({u"--op-burst-kib"_s, u"512"_s}, &output) != 0);
        QVERIFY2(output.contains(u"--op-burst-kib: '512' is not a whole number from 1024"_s), qPrintable(output));

        // Two servers cannot share a data directory.
        QTemporaryDir dir;
        ServerProcess first;
        QVERIFY(first.start(dir.path()));
        QVERIFY(runToEnd({u"--port"_s, u"0"_s, u"--data-dir"_s, dir.path()}, &output) != 0);
        QVERIFY(output.contains(u"in use"_s));
    }
};

QTEST_GUILESS_MAIN(TestServerProcess)
#include "tst_server_process.moc"
