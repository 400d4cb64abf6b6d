// inkroom-cli end to end: the real executable against the real server, through QProcess.
#include "cliprocess.h"
#include "faultproxy.h"
#include "serverfixture.h"
#include "session.h"
#include "testutil.h"

#include <QDir>
#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QTemporaryDir>
#include <QTest>

using namespace Qt::StringLiterals;
using namespace inkroom;
using namespace inkroom::client;
using namespace inkroom::test;

namespace {

constexpr int kWait = 15000;
const QString kRoom = u"cli"_s;

//! inkroom-cli, as built next to this test.
class Cli : public CliProcess
{
public:
    explicit Cli(const QStringList &arguments)
        : CliProcess(QStringLiteral(INKROOM_CLI_EXE), arguments)
    { }
};

QStringList texts(const QList<QJsonObject> &chats)
{
    QStringList list;
    for (const QJsonObject &e : chats)
        list << e.value("text"_L1).toString();
    return list;
}

} // namespace

class TestCli : public QObject
{
    Q_OBJECT

    std::unique_ptr<ServerFixture> m_server;
    std::unique_ptr<QTemporaryDir> m_state;

    QStringList arguments(const QUrl &url, const QString &name, const QStringList &more = {})
    {
        return QStringList {u"--server"_s, url.toString(), u"--room"_s,      kRoom,
                            u"--name"_s,   name,           u"--state-dir"_s, m_state->path()}
        + more;
    }

    std::unique_ptr<Session> observer()
    {
        auto s = std::make_unique<Session>();
        s->setTimings(fastTimings());
        s->join(m_server->url(), kRoom, u"Observer"_s, Qt::darkGreen);
        return s;
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

    void helpVersionAndBadArguments()
    {
        QProcess p;
        p.start(QStringLiteral(INKROOM_CLI_EXE), {u"--help"_s});
        QVERIFY(p.waitForFinished(kWait));
        QCOMPARE(p.exitCode(), 0);
        const QString help = QString::fromUtf8(p.readAllStandardOutput());
        QVERIFY(help.contains(u"--server"_s) && help.contains(u"--room"_s) && help.contains(u"--state-dir"_s));
        p.start(QStringLiteral(INKROOM_CLI_EXE), {u"--version"_s});
        QVERIFY(p.waitForFinished(kWait));
        QCOMPARE(p.exitCode(), 0);
        QVERIFY(p.readAllStandardOutput().startsWith("inkroom-cli "));
        p.start(QStringLiteral(INKROOM_CLI_EXE), {u"--room"_s, u"x"_s});
        QVERIFY(p.waitForFinished(kWait));
        QCOMPARE(p.exitCode(), 2);
        QVERIFY(p.readAllStandardError().contains("--server"));
        p.start(QStringLiteral(INKROOM_CLI_EXE),
                {u"--server"_s, u"http://x"_s, u"--room"_s, u"r"_s, u"--name"_s, u"n"_s});
        QVERIFY(p.waitForFinished(kWait));
        QCOMPARE(p.exitCode(), 2);
    }

    void linesInJsonOutAndQuitWaitsForTheAcks()
    {
        auto obs = observer();
        QTRY_COMPARE_WITH_TIMEOUT(obs->state(), Session::Online, kWait);
        obs->sendChat(u"history one"_s);
        obs->sendChat(u"history two"_s);
        obs->addShape(BoardDocument::Rect, Qt::red, 2, {0, 0}, {5, 5});
        QTRY_COMPARE_WITH_TIMEOUT(obs->pendingCount(), 0, kWait);

        Cli cli(arguments(m_server->url(), u"Bot"_s));
        cli.write(u"hello there"_s);
        cli.write(u"second line ✓"_s);
        cli.write(u"/quit"_s);
        QVERIFY(cli.waitForExit());
        QCOMPARE(cli.exitCode(), 0);
        QCOMPARE(cli.badLines(), 0);

        const QList<QJsonObject> chats = cli.events(u"chat"_s);
        QCOMPARE(texts(chats),
                 (QStringList {u"history one"_s, u"history two"_s, u"hello there"_s, u"second line ✓"_s}));
        for (const QJsonObject &e : chats) {
            QVERIFY(e.value("seq"_L1).toDouble() > 0);
            QVERIFY(!e.value("author"_L1).toString().isEmpty());
            QVERIFY(e.value("time"_L1).toDouble() > 0);
            QVERIFY2(!e.value("client"_L1).toString().isEmpty(), QJsonDocument(e).toJson().constData());
        }
        QCOMPARE(chats.at(0).value("author"_L1).toString(), u"Observer"_s);
        QCOMPARE(chats.at(2).value("author"_L1).toString(), u"Bot"_s);
        QVERIFY(chats.at(2).value("own"_L1).toBool());
        QVERIFY(chats.at(2).value("seq"_L1).toDouble() < chats.at(3).value("seq"_L1).toDouble());

        QStringList states;
        for (const QJsonObject &e : cli.events(u"state"_s))
            states << e.value("state"_L1).toString();
        QCOMPARE(states.mid(0, 3), (QStringList {u"connecting"_s, u"joining"_s, u"online"_s}));
        QCOMPARE(cli.events(u"welcome"_s).size(), 1);
        QCOMPARE(cli.events(u"synced"_s).size(), 1);
        QCOMPARE(cli.events(u"ack"_s).size(), 2);
        QCOMPARE(cli.events(u"op"_s).size(), 0); // the rectangle came in the snapshot, which has its own event
        QCOMPARE(cli.events(u"snapshot"_s).first().value("items"_L1).toInt(), 1);

        QTRY_COMPARE_WITH_TIMEOUT(obs->chat()->count(), 4, kWait);
        QCOMPARE(obs->chat()->messages().at(2).text, u"hello there"_s);
    }

    void wssNeedsAFingerprintOrConsent()
    {
        ServerFixture server([](server::ServerConfig &config) { config.insecure = false; });
        QVERIFY(server.start());
        const QString fingerprint = server.server()->certificateFingerprint();
        const QString known = m_state->filePath(u"known-servers.json"_s);
        const QStringList common {u"--known-servers"_s, known, u"--ephemeral"_s};

        // Neither --fingerprint nor --accept-new-certificate: refused, with the fingerprint and what to do.
        {
            Cli cli(arguments(server.url(), u"Wary"_s, common));
            cli.write(u"never sent"_s);
            cli.closeInput();
            QVERIFY(cli.waitForExit());
            QCOMPARE(cli.exitCode(), 1);
            const QString errors = cli.errors();
            QVERIFY2(errors.contains(fingerprint) && errors.contains(u"--fingerprint"_s)
                         && errors.contains(u"--accept-new-certificate"_s),
                     qPrintable(errors));
            QCOMPARE(cli.events(u"certificate"_s).size(), 1);
            QCOMPARE(cli.events(u"certificate"_s).first().value("fingerprint"_L1).toString(), fingerprint);
            QVERIFY(!cli.events(u"certificate"_s).first().value("trusted"_L1).toBool());
            QCOMPARE(server.server()->loadedRoomCount(), 0);
            QVERIFY(!QFile::exists(known));
        }
        // --fingerprint, spelt any way: it joins, and remembers nothing.
        {
            Cli cli(arguments(server.url(), u"Pinned"_s,
                              common + QStringList {u"--fingerprint"_s, QString(fingerprint).remove(u':').toLower()}));
            cli.write(u"pinned"_s);
            cli.closeInput();
            QVERIFY(cli.waitForExit());
            QCOMPARE(cli.exitCode(), 0);
            QCOMPARE(texts(cli.events(u"chat"_s)), QStringList {u"pinned"_s});
            QVERIFY(!QFile::exists(known));
        }
        // A --fingerprint the server does not have: refused, naming both.
        {
            const QString wrong = u"12:"_s.repeated(31) + u"34"_s;
            Cli cli(arguments(server.url(), u"Wrong"_s, common + QStringList {u"--fingerprint"_s, wrong}));
            cli.closeInput();
            QVERIFY(cli.waitForExit());
            QCOMPARE(cli.exitCode(), 1);
            const QString errors = cli.errors();
            QVERIFY2(errors.contains(fingerprint) && errors.contains(wrong), qPrintable(errors));
        }
        // --accept-new-certificate: joins and pins; the next run needs nothing.
        {
            Cli cli(arguments(server.url(), u"Trusting"_s, common + QStringList {u"--accept-new-certificate"_s}));
            cli.write(u"first use"_s);
            cli.closeInput();
            QVERIFY(cli.waitForExit());
            QCOMPARE(cli.exitCode(), 0);
            QVERIFY(cli.events(u"certificate"_s).first().value("trusted"_L1).toBool());
            QVERIFY(QFile::exists(known));
        }
        {
            Cli cli(arguments(server.url(), u"Again"_s, common));
            cli.write(u"known now"_s);
            cli.closeInput();
            QVERIFY(cli.waitForExit());
            QCOMPARE(cli.exitCode(), 0);
            QCOMPARE(cli.events(u"certificate"_s).size(), 0);
        }
        // Another certificate at the same address: refused, also with --accept-new-certificate.
        server.stop();
        QVERIFY(QDir(server.dataDir() + u"/tls"_s).removeRecursively());
        QVERIFY(server.start(server.port()));
        {
            Cli cli(arguments(server.url(), u"Later"_s, common + QStringList {u"--accept-new-certificate"_s}));
            cli.write(u"never sent either"_s);
            cli.closeInput();
            QVERIFY(cli.waitForExit());
            QCOMPARE(cli.exitCode(), 1);
            const QString errors = cli.errors();
            QVERIFY2(errors.contains(fingerprint) && errors.contains(server.server()->certificateFingerprint()),
                     qPrintable(errors));
            QCOMPARE(server.server()->loadedRoomCount(), 0);
        }
        // Certificate options make no sense for ws://.
        Cli plain(arguments(m_server->url(), u"Plain"_s, QStringList {u"--accept-new-certificate"_s}));
        QVERIFY(plain.waitForExit());
        QCOMPARE(plain.exitCode(), 2);
    }

    void theEndOfInputQuitsToo()
    {
        Cli cli(arguments(m_server->url(), u"Piper"_s));
        cli.write(u"one"_s);
        cli.write(u"two"_s);
        cli.closeInput();
        QVERIFY(cli.waitForExit());
        QCOMPARE(cli.exitCode(), 0);
        QCOMPARE(texts(cli.events(u"chat"_s)), (QStringList {u"one"_s, u"two"_s}));
    }

    void othersEventsArePrintedAsTheyHappen()
    {
        Cli cli(arguments(m_server->url(), u"Watcher"_s));
        QVERIFY(cli.waitFor([](const QJsonObject &e) { return e.value("state"_L1).toString() == u"online"_s; }));
        auto obs = observer();
        QVERIFY(cli.waitFor([](const QJsonObject &e) {
            return e.value("type"_L1).toString() == u"presence"_s && e.value("event"_L1).toString() == u"joined"_s
                && e.value("name"_L1).toString() == u"Observer"_s;
        }));
        QTRY_COMPARE_WITH_TIMEOUT(obs->state(), Session::Online, kWait);
        obs->setTyping(true);
        obs->sendChat(u"live message"_s);
        const QString id = obs->addShape(BoardDocument::Arrow, Qt::red, 2, {0, 0}, {9, 9});
        QVERIFY(cli.waitFor([&id](const QJsonObject &e) {
            return e.value("type"_L1).toString() == u"op"_s && e.value("kind"_L1).toString() == u"add"_s
                && e.value("item"_L1).toObject().value("id"_L1).toString() == id
                && e.value("item"_L1).toObject().value("kind"_L1).toString() == u"arrow"_s;
        }));
        QVERIFY(cli.waitFor([](const QJsonObject &e) {
            return e.value("type"_L1).toString() == u"chat"_s && e.value("text"_L1).toString() == u"live message"_s
                && e.value("author"_L1).toString() == u"Observer"_s;
        }));
        QVERIFY(cli.waitFor([](const QJsonObject &e) { return e.value("type"_L1).toString() == u"typing"_s; }));
        obs->leave();
        QVERIFY(cli.waitFor([](const QJsonObject &e) {
            return e.value("type"_L1).toString() == u"presence"_s && e.value("event"_L1).toString() == u"left"_s;
        }));
        cli.write(u"/quit"_s);
        QVERIFY(cli.waitForExit());
        QCOMPARE(cli.exitCode(), 0);
    }

    void aWrongPasswordExitsWithTheReason()
    {
        auto owner = std::make_unique<Session>();
        owner->setTimings(fastTimings());
        owner->join(m_server->url(), kRoom, u"Owner"_s, Qt::red, u"sesame"_s);
        QTRY_COMPARE_WITH_TIMEOUT(owner->state(), Session::Online, kWait);
        Cli cli(arguments(m_server->url(), u"Intruder"_s, {u"--password"_s, u"wrong"_s}));
        QVERIFY(cli.waitForExit());
        QCOMPARE(cli.exitCode(), 1);
        QVERIFY(cli.errors().contains(u"password"_s));
        const QList<QJsonObject> states = cli.events(u"state"_s);
        QCOMPARE(states.last().value("state"_L1).toString(), u"failed"_s);
        QCOMPARE(states.last().value("failure"_L1).toString(), u"wrong_password"_s);

        Cli right(arguments(m_server->url(), u"Friend"_s, {u"--password"_s, u"sesame"_s}));
        right.write(u"let me in"_s);
        right.closeInput();
        QVERIFY(right.waitForExit());
        QCOMPARE(right.exitCode(), 0);
    }

    void aTimeoutGivesUpOnAnUnreachableServer()
    {
        FaultProxy proxy;
        QVERIFY(proxy.listen(m_server->port()));
        proxy.setRefuse(true);
        Cli cli(arguments(proxy.url(), u"Patient"_s, {u"--timeout"_s, u"0.5"_s}));
        cli.write(u"never delivered"_s);
        cli.closeInput();
        QVERIFY(cli.waitForExit());
        QCOMPARE(cli.exitCode(), 1);
        QVERIFY(cli.errors().contains(u"gave up"_s));
    }

    void killedWhileOfflineItDeliversWhenStartedAgain()
    {
        FaultProxy proxy;
        QVERIFY(proxy.listen(m_server->port()));
        proxy.setRefuse(true); // the server is unreachable
        {
            Cli cli(arguments(proxy.url(), u"Phoenix"_s));
            cli.write(u"written offline"_s);
            cli.write(u"also offline"_s);
            QVERIFY(cli.waitFor([](const QJsonObject &e) {
                return e.value("type"_L1).toString() == u"saved"_s && e.value("cseq"_L1).toInt() == 2;
            }));
            QVERIFY(
                cli.waitFor([](const QJsonObject &e) { return e.value("state"_L1).toString() == u"reconnecting"_s; }));
            cli.kill(); // SIGKILL: no clean-up of any kind
        }
        proxy.setRefuse(false);
        auto obs = observer();
        QTRY_COMPARE_WITH_TIMEOUT(obs->state(), Session::Online, kWait);
        Cli again(arguments(proxy.url(), u"Phoenix"_s));
        again.closeInput(); // nothing new: just deliver what is waiting, then exit
        QVERIFY(again.waitForExit());
        QCOMPARE(again.exitCode(), 0);
        QCOMPARE(texts(again.events(u"chat"_s)), (QStringList {u"written offline"_s, u"also offline"_s}));
        QTRY_COMPARE_WITH_TIMEOUT(obs->chat()->count(), 2, kWait);
        QCOMPARE(obs->chat()->messages().at(0).text, u"written offline"_s);
        QCOMPARE(obs->chat()->messages().at(1).text, u"also offline"_s);
    }
};

QTEST_GUILESS_MAIN(TestCli)
#include "tst_client_cli.moc"
