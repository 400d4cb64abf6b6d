// A room at several addresses (server nodes on one database): the client moves on to the next address when its link
// ends, without waiting while an address of the round is still untried; the room's journal follows it; trust stays
// per address; a refusal is not skipped; a crash (SIGKILL of inkroom-cli) on the second address resumes on whichever
// address answers. Several addresses of one database are modelled by fault proxies in front of one real server: what
// the room committed is one log, so "exactly once" can be checked.
#include "addressrotation.h"
#include "cliprocess.h"
#include "faultproxy.h"
#include "journal.h"
#include "serverfixture.h"
#include "session.h"
#include "testutil.h"

#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSignalSpy>
#include <QTcpServer>
#include <QTemporaryDir>
#include <QTest>

using namespace Qt::StringLiterals;
using namespace inkroom;
using namespace inkroom::client;
using namespace inkroom::test;

namespace {

constexpr int kWait = 15000;
const QString kRoom = u"nodes"_s;

//! Loopback addresses where nothing listens (nodes that are down: connections are refused), all different.
QList<QUrl> deadAddresses(int count)
{
    std::vector<std::unique_ptr<QTcpServer>> probes;
    QList<QUrl> urls;
    for (int i = 0; i < count; ++i) {
        probes.push_back(std::make_unique<QTcpServer>());
        if (!probes.back()->listen(QHostAddress::LocalHost))
            return {};
        urls << QUrl(u"ws://127.0.0.1:%1"_s.arg(probes.back()->serverPort()));
    }
    return urls; // the probes close here
}

//! Chat texts the room committed, as a session on a direct link applied them (each op once, in the room's order).
struct Observer
{
    explicit Observer(const QUrl &url)
    {
        session.setTimings(fastTimings());
        QObject::connect(&session, &Session::opApplied, [this](const proto::Op &op, bool) {
            if (op.kind == proto::OpKind::Chat)
                texts.append(op.text);
        });
        session.join(url, kRoom, u"Observer"_s, Qt::gray);
    }
    Session session;
    QStringList texts;
};

bool writeKnownServers(const QString &path, const QHash<QString, QString> &pins)
{
    QJsonObject servers;
    for (auto it = pins.cbegin(); it != pins.cend(); ++it)
        servers.insert(it.key(), QJsonObject {{"sha256"_L1, it.value()}});
    QFile file(path);
    const QByteArray bytes = QJsonDocument(QJsonObject {{"servers"_L1, servers}}).toJson();
    return file.open(QIODevice::WriteOnly) && file.write(bytes) == bytes.size();
}

void secure(server::ServerConfig &config)
{
    config.insecure = false;
}

} // namespace

class TestFailover : public QObject
{
    Q_OBJECT

    std::unique_ptr<ServerFixture> m_server;
    std::unique_ptr<FaultProxy> m_first;
    std::unique_ptr<FaultProxy> m_second;
    QTemporaryDir m_dir;

    std::unique_ptr<Session> newSession(const QString &stateDir = {})
    {
        auto session = std::make_unique<Session>();
        session->setTimings(fastTimings());
        session->setStateDirectory(stateDir);
        return session;
    }

    //! Each line of the room once, and all of them there.
    static void checkOnce(const QStringList &room, const QStringList &sent)
    {
        for (const QString &text : sent)
            QVERIFY2(room.count(text) == 1,
                     qPrintable(u"%1 is in the room %2 times"_s.arg(text).arg(room.count(text))));
    }

private Q_SLOTS:
    void init()
    {
        m_server = std::make_unique<ServerFixture>();
        QVERIFY(m_server->start());
        m_first = std::make_unique<FaultProxy>();
        m_second = std::make_unique<FaultProxy>();
        QVERIFY(m_first->listen(m_server->port()));
        QVERIFY(m_second->listen(m_server->port()));
    }

    void cleanup()
    {
        m_first.reset();
        m_second.reset();
        m_server.reset();
    }

    //! The rotation alone: each address once per round without waiting, then a wait; the one that answered first.
    void rotationTriesEachAddressOncePerRound()
    {
        const QList<QUrl> urls {QUrl(u"ws://a:1"_s), QUrl(u"ws://b:2"_s), QUrl(u"ws://c:3"_s)};
        AddressRotation rotation;
        rotation.reset(urls);
        QCOMPARE(rotation.current(), urls.at(0));
        QVERIFY(rotation.advance()); // b at once
        QVERIFY(rotation.advance()); // c at once
        QVERIFY(!rotation.advance()); // a again, after the backoff
        QCOMPARE(rotation.current(), urls.at(0));
        rotation.newRound();
        QVERIFY(rotation.advance());
        QCOMPARE(rotation.current(), urls.at(1));
        rotation.answered();
        // Opened again (a rejoin): the address that answered is tried first, the round starts there.
        rotation.reset(urls);
        QCOMPARE(rotation.current(), urls.at(1));
        QVERIFY(rotation.advance());
        QCOMPARE(rotation.current(), urls.at(2));
        QVERIFY(rotation.advance());
        QCOMPARE(rotation.current(), urls.at(0));
        QVERIFY(!rotation.advance());
        // One address: never "at once", always the backoff.
        rotation.reset({urls.at(2)});
        QVERIFY(!rotation.advance());
        QCOMPARE(rotation.current(), urls.at(2));
        // Addresses the preferred one is not among start at the first.
        rotation.reset({QUrl(u"ws://d:4"_s), QUrl(u"ws://e:5"_s)});
        QCOMPARE(rotation.current(), QUrl(u"ws://d:4"_s));
    }

    //! The first address refuses connections (its node is down): the client joins by the second at once, without a
    //! backoff wait (attempt stays 0), and says which address it uses.
    void joinsByTheAddressThatAnswers()
    {
        const QUrl dead = deadAddresses(1).value(0);
        auto ann = newSession();
        QSignalSpy reconnecting(ann.get(), &Session::attemptChanged);
        ann->join(QList<QUrl> {dead, m_second->url()}, kRoom, u"Ann"_s, Qt::red);
        QTRY_COMPARE_WITH_TIMEOUT(ann->state(), Session::Online, kWait);
        QCOMPARE(ann->serverUrl(), m_second->url());
        QCOMPARE(ann->serverKey(), KnownServers::keyFor(m_second->url()));
        QCOMPARE(ann->serverUrls(), (QList<QUrl> {dead, m_second->url()}));
        QCOMPARE(ann->attempt(), 0);
        QCOMPARE(reconnecting.count(), 0);
        QCOMPARE(m_first->acceptedLinks(), 0);
    }

    //! The node in use dies with changes in flight (committed, acks lost with it): the client moves to the other
    //! address by itself, resends, and every change is in the room exactly once. Then the other way round.
    void movesWhenTheNodeInUseDies()
    {
        Observer observer(m_server->url());
        QTRY_COMPARE_WITH_TIMEOUT(observer.session.state(), Session::Online, kWait);
        auto ann = newSession(m_dir.filePath(u"ann"_s));
        ann->join(QList<QUrl> {m_first->url(), m_second->url()}, kRoom, u"Ann"_s, Qt::red);
        QTRY_COMPARE_WITH_TIMEOUT(ann->state(), Session::Online, kWait);
        QCOMPARE(ann->serverUrl(), m_first->url());
        QSignalSpy moved(ann.get(), &Session::serverUrlChanged);

        QStringList sent;
        for (const auto &[node, other] : {std::pair {m_first.get(), m_second.get()}, {m_second.get(), m_first.get()}}) {
            // The server commits, but no ack comes back: the changes are in flight when the node dies.
            node->setStalled(true, FaultProxy::ToClient);
            for (int i = 0; i < 5; ++i) {
                sent << u"line %1"_s.arg(sent.size() + 1);
                QVERIFY(ann->sendChat(sent.last()));
            }
            QTRY_COMPARE_WITH_TIMEOUT(observer.texts.size(), sent.size(), kWait);
            node->setRefuse(true);
            node->cutAll();
            QTRY_COMPARE_WITH_TIMEOUT(ann->serverUrl(), other->url(), kWait);
            QTRY_COMPARE_WITH_TIMEOUT(ann->state(), Session::Online, kWait);
            QTRY_COMPARE_WITH_TIMEOUT(ann->pendingCount(), 0, kWait);
            node->setStalled(false, FaultProxy::ToClient);
            node->setRefuse(false);
        }
        QVERIFY(moved.count() >= 2);
        QTRY_COMPARE_WITH_TIMEOUT(observer.texts.size(), sent.size(), kWait);
        checkOnce(observer.texts, sent);
        QCOMPARE(ann->refusals()->rowCount(), 0);
    }

    //! Every address down: a round fails, then the client waits its backoff (Reconnecting) before the next round,
    //! and comes back by whichever address answers first.
    void aRoundThatFailsEverywhereWaits()
    {
        auto ann = newSession();
        ann->join(QList<QUrl> {m_first->url(), m_second->url()}, kRoom, u"Ann"_s, Qt::red);
        QTRY_COMPARE_WITH_TIMEOUT(ann->state(), Session::Online, kWait);
        m_first->setRefuse(true);
        m_second->setRefuse(true);
        m_first->cutAll();
        QTRY_VERIFY_WITH_TIMEOUT(ann->attempt() >= 2, kWait);
        QVERIFY(ann->sendChat(u"while every node is down"_s));
        m_second->setRefuse(false);
        QTRY_COMPARE_WITH_TIMEOUT(ann->state(), Session::Online, kWait);
        QCOMPARE(ann->serverUrl(), m_second->url());
        QTRY_COMPARE_WITH_TIMEOUT(ann->pendingCount(), 0, kWait);
    }

    //! Giving up counts rounds, not addresses: with two dead addresses and a limit of 2, it gives up after two rounds
    //! (four attempts) and names both addresses.
    void givingUpCountsRoundsAndNamesEveryAddress()
    {
        const QList<QUrl> dead = deadAddresses(2);
        QCOMPARE(dead.size(), 2);
        const QUrl a = dead.at(0);
        const QUrl b = dead.at(1);
        auto ann = newSession();
        Timings t = fastTimings();
        t.giveUpAfterAttempts = 2;
        ann->setTimings(t);
        ann->join(QList<QUrl> {a, b}, kRoom, u"Ann"_s, Qt::red);
        QTRY_COMPARE_WITH_TIMEOUT(ann->state(), Session::Failed, kWait);
        QCOMPARE(ann->failure(), Session::Unreachable);
        QCOMPARE(ann->attempt(), 1); // one wait between the two rounds
        QVERIFY2(ann->reason().contains(KnownServers::keyFor(a)) && ann->reason().contains(KnownServers::keyFor(b)),
                 qPrintable(ann->reason()));
    }

    //! A refusal is the room's answer, not a dead node: a wrong password on the first address fails as it does with
    //! one address, and the second is never tried.
    void aRefusalIsNotSkipped()
    {
        auto owner = newSession();
        owner->join(m_server->url(), kRoom, u"Owner"_s, Qt::blue, u"secret"_s);
        QTRY_COMPARE_WITH_TIMEOUT(owner->state(), Session::Online, kWait);
        auto ann = newSession();
        ann->join(QList<QUrl> {m_first->url(), m_second->url()}, kRoom, u"Ann"_s, Qt::red, u"wrong"_s);
        QTRY_COMPARE_WITH_TIMEOUT(ann->state(), Session::Failed, kWait);
        QCOMPARE(ann->failure(), Session::WrongPassword);
        QCOMPARE(ann->serverUrl(), m_first->url());
        QCOMPARE(m_second->acceptedLinks(), 0);
    }

    //! Several addresses are all ws:// or all wss://, at most MaxRoomAddresses: anything else is refused before
    //! anything is sent.
    void badAddressListsAreRefused()
    {
        auto ann = newSession();
        ann->join(QList<QUrl> {m_first->url(), QUrl(u"wss://127.0.0.1:1"_s)}, kRoom, u"Ann"_s, Qt::red);
        QCOMPARE(ann->state(), Session::Failed);
        QCOMPARE(ann->failure(), Session::InvalidSettings);
        QList<QUrl> tooMany;
        for (int i = 0; i <= MaxRoomAddresses; ++i)
            tooMany << QUrl(u"ws://127.0.0.1:%1"_s.arg(1000 + i));
        ann->join(tooMany, kRoom, u"Ann"_s, Qt::red);
        QCOMPARE(ann->failure(), Session::InvalidSettings);
        ann->join(QList<QUrl> {}, kRoom, u"Ann"_s, Qt::red);
        QCOMPARE(ann->failure(), Session::InvalidSettings);
        QCOMPARE(m_first->acceptedLinks(), 0);
    }

    //! The journal belongs to the room and the identity, not to an address: changes made while every node is down
    //! are found again when the room is joined with its addresses in another order, and delivered once.
    void theJournalFollowsTheRoomAcrossAddresses()
    {
        Observer observer(m_server->url());
        QTRY_COMPARE_WITH_TIMEOUT(observer.session.state(), Session::Online, kWait);
        const QString state = m_dir.filePath(u"journal"_s);
        QString clientId;
        {
            m_first->setRefuse(true);
            m_second->setRefuse(true);
            auto ann = newSession(state);
            QSignalSpy saved(ann.get(), &Session::outboxSaved);
            ann->join(QList<QUrl> {m_first->url(), m_second->url()}, kRoom, u"Ann"_s, Qt::red);
            QTRY_VERIFY_WITH_TIMEOUT(!ann->clientId().isEmpty(), kWait);
            clientId = ann->clientId();
            QVERIFY(ann->sendChat(u"made offline"_s));
            QTRY_VERIFY_WITH_TIMEOUT(saved.count() > 0, kWait);
            QVERIFY(Journal::exists(state, m_first->url().toString(), kRoom));
        }
        m_first->setRefuse(false);
        m_second->setRefuse(false);
        auto again = newSession(state);
        again->join(QList<QUrl> {m_second->url(), m_first->url()}, kRoom, u"Ann"_s, Qt::red);
        QTRY_COMPARE_WITH_TIMEOUT(again->state(), Session::Online, kWait);
        QCOMPARE(again->clientId(), clientId);
        QCOMPARE(again->serverUrl(), m_second->url());
        QTRY_COMPARE_WITH_TIMEOUT(again->pendingCount(), 0, kWait);
        QTRY_COMPARE_WITH_TIMEOUT(observer.texts.size(), 1, kWait);
        checkOnce(observer.texts, {u"made offline"_s});
        QVERIFY(!Journal::exists(state, m_second->url().toString(), kRoom));
    }

    //! Trust is per address: each node has its own certificate. A node never seen asks (AwaitingTrust) when the
    //! client moves to it; a node whose certificate is not the pinned one stops the client (ServerIdentityChanged),
    //! it is never skipped for the next address.
    void trustIsPerAddressAndAMismatchIsShown()
    {
        ServerFixture a(secure);
        ServerFixture b(secure);
        QVERIFY(a.start());
        QVERIFY(b.start());
        const QUrl aUrl = a.url(); // (a stopped fixture no longer says it was wss://)
        const QUrl bUrl = b.url();
        const QString known = m_dir.filePath(u"known-servers.json"_s);
        QVERIFY(writeKnownServers(known, {{KnownServers::keyFor(a.url()), a.server()->certificateFingerprint()}}));
        auto ann = newSession();
        ann->setKnownServersFile(known);
        ann->join(QList<QUrl> {aUrl, bUrl}, kRoom, u"Ann"_s, Qt::red);
        QTRY_COMPARE_WITH_TIMEOUT(ann->state(), Session::Online, kWait);
        QCOMPARE(ann->serverUrl(), aUrl);

        // a dies: b was never seen, so the user is asked about b's own certificate.
        a.stop();
        QTRY_COMPARE_WITH_TIMEOUT(ann->state(), Session::AwaitingTrust, kWait);
        QCOMPARE(ann->serverUrl(), bUrl);
        QCOMPARE(ann->pendingFingerprint(), b.server()->certificateFingerprint());
        QVERIFY(ann->trustCertificate());
        QTRY_COMPARE_WITH_TIMEOUT(ann->state(), Session::Online, kWait);

        // a comes back with another certificate (somebody else on its address), and b dies: the client stops at a.
        const quint16 port = a.port();
        ServerFixture impostor(secure);
        QVERIFY(impostor.start(port));
        b.stop();
        QTRY_COMPARE_WITH_TIMEOUT(ann->state(), Session::Failed, kWait);
        QCOMPARE(ann->failure(), Session::ServerIdentityChanged);
        QCOMPARE(ann->serverUrl(), aUrl);
        QCOMPARE(impostor.server()->loadedRoomCount(), 0);
    }

    //! inkroom-cli --server repeated: it joins by the address that answers and names it in its state events; what it
    //! refuses on the command line exits 2.
    void cliTakesSeveralServers()
    {
        const QUrl dead = deadAddresses(1).value(0);
        CliProcess cli(QStringLiteral(INKROOM_CLI_EXE),
                       {u"--server"_s, dead.toString(), u"--server"_s, m_second->url().toString(), u"--room"_s, kRoom,
                        u"--name"_s, u"Cli"_s, u"--ephemeral"_s});
        QVERIFY(cli.waitFor([](const QJsonObject &e) {
            return e.value("type"_L1) == "state"_L1 && e.value("state"_L1) == "online"_L1;
        }));
        QCOMPARE(cli.events(u"state"_s).constLast().value("server"_L1).toString(), m_second->url().toString());
        cli.write(u"hello from the cli"_s);
        cli.closeInput();
        QVERIFY2(cli.waitForExit(), qPrintable(cli.errors()));
        QCOMPARE(cli.exitCode(), 0);

        const QList<QStringList> refused {
            {u"--server"_s, u"ws://127.0.0.1:1"_s, u"--server"_s, u"wss://127.0.0.1:2"_s},
            {u"--server"_s, u"ws://127.0.0.1:1"_s, u"--server"_s, u"http://127.0.0.1:2"_s},
            {u"--server"_s, u"wss://127.0.0.1:1"_s, u"--server"_s, u"wss://127.0.0.1:2"_s, u"--fingerprint"_s,
             QString(64, u'a')},
        };
        QStringList nine;
        for (int i = 0; i <= MaxRoomAddresses; ++i)
            nine << u"--server"_s << u"ws://127.0.0.1:%1"_s.arg(1000 + i);
        for (const QStringList &servers : refused + QList<QStringList> {nine}) {
            CliProcess bad(QStringLiteral(INKROOM_CLI_EXE),
                           servers + QStringList {u"--room"_s, kRoom, u"--name"_s, u"Cli"_s, u"--ephemeral"_s});
            QVERIFY(bad.waitForExit());
            QCOMPARE(bad.exitCode(), 2);
            QVERIFY2(bad.errors().contains(u"--"_s), qPrintable(bad.errors()));
        }
    }

    //! inkroom-cli killed (SIGKILL) while on the second address, with changes on disk and unacknowledged: started
    //! again with the same journal while only the first address answers, it resumes there and every change is in the
    //! room exactly once.
    void cliKilledOnTheSecondAddressResumesOnTheFirst()
    {
        Observer observer(m_server->url());
        QTRY_COMPARE_WITH_TIMEOUT(observer.session.state(), Session::Online, kWait);
        const QString state = m_dir.filePath(u"cli"_s);
        const QStringList arguments {u"--server"_s,    m_first->url().toString(),
                                     u"--server"_s,    m_second->url().toString(),
                                     u"--room"_s,      kRoom,
                                     u"--name"_s,      u"Cli"_s,
                                     u"--state-dir"_s, state};
        const auto online = [](const QJsonObject &e) {
            return e.value("type"_L1) == "state"_L1 && e.value("state"_L1) == "online"_L1;
        };
        m_first->setRefuse(true);
        QStringList typed;
        {
            CliProcess cli(QStringLiteral(INKROOM_CLI_EXE), arguments);
            QVERIFY(cli.waitFor(online));
            QCOMPARE(cli.events(u"state"_s).constLast().value("server"_L1).toString(), m_second->url().toString());
            // Half of it reaches the room, none of the acks come back.
            m_second->setStalled(true, FaultProxy::ToClient);
            for (int i = 1; i <= 6; ++i)
                typed << u"cli line %1"_s.arg(i);
            cli.write(typed);
            QVERIFY(cli.waitFor([](const QJsonObject &e) {
                return e.value("type"_L1) == "saved"_L1 && e.value("cseq"_L1).toInt() >= 6;
            }));
            QTRY_VERIFY_WITH_TIMEOUT(!observer.texts.isEmpty(), kWait);
            cli.kill();
            QVERIFY(cli.waitForExit());
            QVERIFY(cli.crashed());
            QVERIFY(cli.events(u"ack"_s).isEmpty());
        }
        m_second->setRefuse(true);
        m_second->cutAll();
        m_first->setRefuse(false);
        CliProcess again(QStringLiteral(INKROOM_CLI_EXE), arguments);
        QVERIFY(again.waitFor(online));
        QCOMPARE(again.events(u"state"_s).constLast().value("server"_L1).toString(), m_first->url().toString());
        again.closeInput();
        QVERIFY2(again.waitForExit(), qPrintable(again.errors()));
        QCOMPARE(again.exitCode(), 0);
        QTRY_COMPARE_WITH_TIMEOUT(observer.texts.size(), typed.size(), kWait);
        checkOnce(observer.texts, typed);
    }
};

QTEST_GUILESS_MAIN(TestFailover)
#include "tst_client_failover.moc"
