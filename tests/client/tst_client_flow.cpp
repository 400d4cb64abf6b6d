// Flow: a long offline spell, a burst typed at once and a server that cannot store for a while, each through the
// real inkroom-cli against the real server at its default rate limit. Every line arrives exactly once, in order,
// nothing is refused, and the client exits 0.
#include "cliprocess.h"
#include "faultproxy.h"
#include "serverfixture.h"
#include "session.h"
#include "testutil.h"

#include <QDir>
#include <QProcess>
#include <QSignalSpy>
#include <QSqlDatabase>
#include <QSqlQuery>
#include <QTemporaryDir>
#include <QTest>

#include <csignal>

using namespace Qt::StringLiterals;
using namespace inkroom;
using namespace inkroom::client;
using namespace inkroom::test;

namespace {

const QString kRoom = u"flow"_s;

//! Every chat line of the room, as an observer on a direct link sees it applied, in the room's order.
class Observer
{
public:
    explicit Observer(const QUrl &url)
    {
        session.setTimings(fastTimings());
        QObject::connect(&session, &Session::opApplied, [this](const proto::Op &op, bool) {
            if (op.kind == proto::OpKind::Chat)
                lines.append(op.text);
        });
        session.join(url, kRoom, u"Observer"_s, Qt::gray);
    }
    Session session;
    QStringList lines;
};

QStringList numbered(const QString &prefix, int count)
{
    QStringList lines;
    lines.reserve(count);
    for (int i = 0; i < count; ++i)
        lines.append(u"%1 %2"_s.arg(prefix).arg(i, 5, 10, QChar(u'0')));
    return lines;
}

} // namespace

class TestFlow : public QObject
{
    Q_OBJECT

    std::unique_ptr<ServerFixture> m_server;
    std::unique_ptr<QTemporaryDir> m_state;

    QStringList arguments(const QUrl &url, const QString &name)
    {
        return {u"--server"_s, url.toString(), u"--room"_s,      kRoom,
                u"--name"_s,   name,           u"--state-dir"_s, m_state->path()};
    }

    //! The writer's output says nothing was refused, not even for a moment, and it exited 0.
    static void checkNothingRefused(CliProcess &writer)
    {
        QCOMPARE(writer.events(u"reject"_s).size(), 0);
        QCOMPARE(writer.events(u"deferred"_s).size(), 0);
        QCOMPARE(writer.badLines(), 0);
        QCOMPARE(writer.exitCode(), 0);
    }

private Q_SLOTS:
    void init()
    {
        m_server = std::make_unique<ServerFixture>();
        QVERIFY(m_server->start());
        m_state = std::make_unique<QTemporaryDir>();
    }
    void cleanup()
    {
        m_server.reset();
        m_state.reset();
    }

    void tenThousandQueuedOfflineArriveOnceWithNothingRefused()
    {
        Observer observer(m_server->url());
        QTRY_COMPARE_WITH_TIMEOUT(observer.session.state(), Session::Online, 10000);
        FaultProxy link;
        QVERIFY(link.listen(m_server->port()));
        link.setRefuse(true); // offline: the writer cannot reach the server

        CliProcess writer(QStringLiteral(INKROOM_CLI_EXE), arguments(link.url(), u"Offline"_s));
        const QStringList lines = numbered(u"offline"_s, 10000);
        writer.write(lines);
        // All of it on disk before the link comes back.
        QVERIFY(writer.waitFor(
            [](const QJsonObject &e) {
                return e.value("type"_L1).toString() == "queued"_L1
                    && e.value("text"_L1).toString() == "offline 09999"_L1;
            },
            60000));
        const double lastCseq = writer.events(u"queued"_s).last().value("cseq"_L1).toDouble();
        QVERIFY(writer.waitFor(
            [lastCseq](const QJsonObject &e) {
                return e.value("type"_L1).toString() == "saved"_L1 && e.value("cseq"_L1).toDouble() >= lastCseq;
            },
            60000));
        writer.closeInput();
        link.setRefuse(false);
        // 10,000 at the default 200 a second (the client keeps to 180): about a minute.
        QVERIFY2(writer.waitForExit(240000), qPrintable(writer.errors()));
        checkNothingRefused(writer);
        QTRY_COMPARE_WITH_TIMEOUT(observer.lines.size(), lines.size(), 20000);
        QCOMPARE(observer.lines, lines); // each once, in the order typed
    }

    void fiveThousandTypedAtOnceArriveOnceWithNothingRefused()
    {
        Observer observer(m_server->url());
        QTRY_COMPARE_WITH_TIMEOUT(observer.session.state(), Session::Online, 10000);
        CliProcess writer(QStringLiteral(INKROOM_CLI_EXE), arguments(m_server->url(), u"Burst"_s));
        QVERIFY(writer.waitForEvent(u"synced"_s));
        const QStringList lines = numbered(u"burst"_s, 5000);
        writer.write(lines);
        writer.closeInput();
        QVERIFY2(writer.waitForExit(180000), qPrintable(writer.errors()));
        checkNothingRefused(writer);
        QTRY_COMPARE_WITH_TIMEOUT(observer.lines.size(), lines.size(), 20000);
        QCOMPARE(observer.lines, lines);
    }

    void aServerThatCannotStoreForAWhileLosesNothing()
    {
        // The server waits at most 200 ms for its database lock, then answers internal: a disk that is busy or
        // full, as the writer sees it.
        m_server = std::make_unique<ServerFixture>([](server::ServerConfig &c) { c.busyTimeoutMs = 200; });
        QVERIFY(m_server->start());
        Observer observer(m_server->url());
        QTRY_COMPARE_WITH_TIMEOUT(observer.session.state(), Session::Online, 10000);
        CliProcess writer(QStringLiteral(INKROOM_CLI_EXE), arguments(m_server->url(), u"Patient"_s));
        QVERIFY(writer.waitForEvent(u"synced"_s));

        // Another process holds the database's write lock for three seconds.
        QSqlDatabase db = QSqlDatabase::addDatabase(u"QSQLITE"_s, u"lock"_s);
        db.setDatabaseName(QDir(m_server->dataDir()).filePath(u"inkroom.sqlite"_s));
        QVERIFY(db.open());
        {
            QSqlQuery lock(db);
            QVERIFY(lock.exec(u"BEGIN IMMEDIATE"_s));
            const QStringList lines = numbered(u"stored later"_s, 300);
            writer.write(lines);
            writer.closeInput();
            QVERIFY(writer.waitFor(
                [](const QJsonObject &e) {
                    return e.value("type"_L1).toString() == "deferred"_L1
                        && e.value("code"_L1).toString() == "internal"_L1;
                },
                20000));
            QTest::qWait(3000);
            QVERIFY(lock.exec(u"ROLLBACK"_s));
            QVERIFY2(writer.waitForExit(60000), qPrintable(writer.errors()));
            QCOMPARE(writer.exitCode(), 0);
            QCOMPARE(writer.events(u"reject"_s).size(), 0);
            QTRY_COMPARE_WITH_TIMEOUT(observer.lines.size(), lines.size(), 20000);
            QCOMPARE(observer.lines, lines);
        }
        db.close();
        db = QSqlDatabase();
        QSqlDatabase::removeDatabase(u"lock"_s);
    }

    void aFullDiskIsReportedAndNothingIsLost()
    {
        // A real "disk full" for the writer alone: its files may not grow past 160 KB (RLIMIT_FSIZE, with SIGXFSZ
        // ignored, so a write past it fails with EFBIG as on a full disk). Its journal soon cannot take more; it
        // says so, keeps the lines in memory, sends those whose numbers are already on disk, and once the disk has
        // room again (the limit lifted), writes everything and sends the rest.
        Observer observer(m_server->url());
        QTRY_COMPARE_WITH_TIMEOUT(observer.session.state(), Session::Online, 10000);
        std::signal(SIGXFSZ, SIG_IGN); // inherited by the writer
        QStringList args {u"--fsize=160000:unlimited"_s, u"--"_s, QStringLiteral(INKROOM_CLI_EXE)};
        args += arguments(m_server->url(), u"Cramped"_s);
        CliProcess writer(u"prlimit"_s, args);
        QVERIFY(writer.waitForEvent(u"synced"_s));
        QStringList lines;
        for (int i = 0; i < 400; ++i)
            lines.append(u"%1 %2"_s.arg(i, 3, 10, QChar(u'0')).arg(QString(3000, u'x')));
        writer.write(lines);
        QVERIFY2(writer.waitFor(
                     [](const QJsonObject &e) {
                         return e.value("type"_L1).toString() == "problem"_L1
                             && e.value("message"_L1).toString().contains(u"cannot be saved"_s);
                     },
                     30000),
                 qPrintable(writer.errors()));
        // Lines still arrive meanwhile, as far as the numbers on disk reach, and no further.
        QTRY_VERIFY_WITH_TIMEOUT(!observer.lines.isEmpty(), 20000);
        QTest::qWait(2000);
        QVERIFY2(observer.lines.size() < lines.size(), qPrintable(QString::number(observer.lines.size())));
        // Room on the disk again: the journal is written whole, and everything goes.
        QProcess lift;
        lift.start(u"prlimit"_s, {u"--pid"_s, QString::number(writer.processId()), u"--fsize=unlimited"_s});
        QVERIFY(lift.waitForFinished(10000));
        QCOMPARE(lift.exitCode(), 0);
        writer.closeInput();
        QVERIFY2(writer.waitForExit(120000), qPrintable(writer.errors()));
        QCOMPARE(writer.exitCode(), 0);
        QCOMPARE(writer.events(u"reject"_s).size(), 0);
        QTRY_COMPARE_WITH_TIMEOUT(observer.lines.size(), lines.size(), 20000);
        QCOMPARE(observer.lines, lines);
    }

    void aRefusedLineMakesTheWriterExitNonZero()
    {
        // A room refuses a change for good (here: an add past the board's limit); inkroom-cli says so and exits 3.
        m_server = std::make_unique<ServerFixture>([](server::ServerConfig &c) { c.maxBoardItems = 1; });
        QVERIFY(m_server->start());
        Session filler;
        filler.setTimings(fastTimings());
        filler.join(m_server->url(), kRoom, u"Filler"_s, Qt::red);
        QTRY_COMPARE_WITH_TIMEOUT(filler.state(), Session::Online, 10000);
        QVERIFY(!filler.addShape(BoardDocument::Rect, Qt::red, 2, {0, 0}, {5, 5}).isEmpty());
        QTRY_COMPARE_WITH_TIMEOUT(filler.pendingCount(), 0, 10000);
        QVERIFY(filler.board()->itemCount() == 1);
        QSignalSpy rejected(&filler, &Session::changeRejected);
        QVERIFY(!filler.addShape(BoardDocument::Rect, Qt::red, 2, {10, 10}, {15, 15}).isEmpty());
        QTRY_COMPARE_WITH_TIMEOUT(rejected.count(), 1, 10000);
        QCOMPARE(filler.refusals()->count(), 1);
        QVERIFY2(filler.refusals()->latest().contains(u"board"_s), qPrintable(filler.refusals()->latest()));
        QCOMPARE(filler.pendingCount(), 0);
        QCOMPARE(filler.board()->itemCount(), 1);

        // The command-line client: a line that is not valid text is refused too, and the exit status says so.
        CliProcess writer(QStringLiteral(INKROOM_CLI_EXE), arguments(m_server->url(), u"Script"_s));
        QVERIFY(writer.waitForEvent(u"synced"_s));
        writer.write(u"fine"_s);
        writer.write(u"bell \a"_s);
        writer.closeInput();
        QVERIFY(writer.waitForExit());
        QCOMPARE(writer.exitCode(), 3);
        QVERIFY(writer.errors().contains(u"not sent"_s));
    }
};

QTEST_GUILESS_MAIN(TestFlow)
#include "tst_client_flow.moc"
