// The client core over wss://: trust on first use, pinning, a changed certificate as a hard stop, an expected
// fingerprint, and a certificate from a trusted CA accepted without asking. The real server, in-process.
#include "fingerprint.h"
#include "knownservers.h"
#include "serverfixture.h"
#include "session.h"
#include "testutil.h"
#include "tlsidentity.h"

#include <QDir>
#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSignalSpy>
#include <QSslConfiguration>
#include <QTemporaryDir>
#include <QTest>

using namespace Qt::StringLiterals;
using namespace inkroom;
using namespace inkroom::client;
using namespace inkroom::test;

namespace {

constexpr int kWait = 10000;
const QString kRoom = u"tls"_s;

void secure(server::ServerConfig &config)
{
    config.insecure = false;
}

bool writeFile(const QString &path, const QByteArray &bytes)
{
    QFile file(path);
    return file.open(QIODevice::WriteOnly) && file.write(bytes) == bytes.size();
}

//! What the known servers file says about server.
QString pinnedIn(const QString &file, const QString &server)
{
    QFile f(file);
    if (!f.open(QIODevice::ReadOnly))
        return {};
    return QJsonDocument::fromJson(f.readAll())
        .object()
        .value("servers"_L1)
        .toObject()
        .value(server)
        .toObject()
        .value("sha256"_L1)
        .toString();
}

} // namespace

class TestClientTls : public QObject
{
    Q_OBJECT

    QTemporaryDir m_dir;
    std::vector<std::unique_ptr<Session>> m_sessions;

    QString knownServers() const { return m_dir.filePath(u"known-servers.json"_s); }

    Session *newSession(const QString &knownServersFile)
    {
        m_sessions.push_back(std::make_unique<Session>());
        Session *session = m_sessions.back().get();
        session->setTimings(fastTimings());
        session->setKnownServersFile(knownServersFile);
        return session;
    }

    static void join(Session *session, const QUrl &url, const QString &name = u"Ann"_s)
    {
        session->join(url, kRoom, name, QColor(Qt::darkGreen));
    }

private Q_SLOTS:
    void cleanup()
    {
        m_sessions.clear();
        QFile::remove(knownServers());
    }

    void theFirstConnectionAsksAndSendsNothing()
    {
        ServerFixture server(secure);
        QVERIFY(server.start());
        Session *ann = newSession(knownServers());
        QSignalSpy asked(ann, &Session::trustRequested);
        join(ann, server.url());
        QTRY_COMPARE_WITH_TIMEOUT(ann->state(), Session::AwaitingTrust, kWait);
        const QString fingerprint = server.server()->certificateFingerprint();
        QCOMPARE(ann->pendingFingerprint(), fingerprint);
        QCOMPARE(asked.size(), 1);
        QCOMPARE(asked.first().at(0).toString(), u"127.0.0.1:%1"_s.arg(server.port()));
        QCOMPARE(asked.first().at(1).toString(), fingerprint);
        QVERIFY(ann->reason().contains(fingerprint));
        QVERIFY(!ann->encrypted());
        // It waits for the user: no retries, no WebSocket, no hello, no room.
        QTest::qWait(1000);
        QCOMPARE(ann->state(), Session::AwaitingTrust);
        QCOMPARE(asked.size(), 1);
        QCOMPARE(server.server()->connectionCount(), 0);
        QCOMPARE(server.server()->loadedRoomCount(), 0);
        QVERIFY(!QFile::exists(knownServers()));

        QVERIFY(ann->trustCertificate());
        QTRY_COMPARE_WITH_TIMEOUT(ann->state(), Session::Online, kWait);
        QVERIFY(ann->pendingFingerprint().isEmpty());
        QVERIFY(ann->encrypted());
        QCOMPARE(ann->serverFingerprint(), fingerprint);
        QCOMPARE(pinnedIn(knownServers(), ann->serverKey()), fingerprint);
        QVERIFY(ann->sendChat(u"over TLS"_s));
        QTRY_COMPARE_WITH_TIMEOUT(ann->pendingCount(), 0, kWait);
    }

    void laterConnectionsArePinned()
    {
        ServerFixture server(secure);
        QVERIFY(server.start());
        Session *ann = newSession(knownServers());
        join(ann, server.url());
        QTRY_COMPARE_WITH_TIMEOUT(ann->state(), Session::AwaitingTrust, kWait);
        QVERIFY(ann->trustCertificate());
        QTRY_COMPARE_WITH_TIMEOUT(ann->state(), Session::Online, kWait);

        // Another session (another window, a later run) with the same file: no question.
        Session *bo = newSession(knownServers());
        QSignalSpy asked(bo, &Session::trustRequested);
        join(bo, server.url(), u"Bo"_s);
        QTRY_COMPARE_WITH_TIMEOUT(bo->state(), Session::Online, kWait);
        QCOMPARE(asked.size(), 0);

        // The server restarts with the same identity: both reconnect by themselves.
        QVERIFY(server.restart());
        QTRY_COMPARE_WITH_TIMEOUT(ann->state(), Session::Reconnecting, kWait);
        QTRY_COMPARE_WITH_TIMEOUT(ann->state(), Session::Online, kWait);
        QTRY_COMPARE_WITH_TIMEOUT(bo->state(), Session::Online, kWait);
        QCOMPARE(asked.size(), 0);
    }

    void aChangedCertificateIsAHardStop()
    {
        ServerFixture server(secure);
        QVERIFY(server.start());
        const QString before = server.server()->certificateFingerprint();
        Session *ann = newSession(knownServers());
        join(ann, server.url());
        QTRY_COMPARE_WITH_TIMEOUT(ann->state(), Session::AwaitingTrust, kWait);
        QVERIFY(ann->trustCertificate());
        QTRY_COMPARE_WITH_TIMEOUT(ann->state(), Session::Online, kWait);
        QVERIFY(ann->sendChat(u"before the switch"_s));
        QTRY_COMPARE_WITH_TIMEOUT(ann->pendingCount(), 0, kWait);

        // Another server takes the address: same port, a new key and certificate.
        server.stop();
        QVERIFY(QDir(server.dataDir() + u"/tls"_s).removeRecursively());
        QVERIFY(server.start(server.port()));
        const QString after = server.server()->certificateFingerprint();
        QVERIFY(after != before);
        QTRY_COMPARE_WITH_TIMEOUT(ann->state(), Session::Failed, kWait);
        QCOMPARE(ann->failure(), Session::ServerIdentityChanged);
        QVERIFY2(ann->reason().contains(before) && ann->reason().contains(after), qPrintable(ann->reason()));
        QVERIFY(ann->reason().contains(ann->serverKey()));
        // Another spelling of the same address is the same server: the same hard stop, never a first meeting whose
        // trust would accept the changed certificate.
        QUrl mapped = server.url();
        QCOMPARE(mapped.host(), u"127.0.0.1"_s);
        mapped.setHost(u"::ffff:127.0.0.1"_s);
        Session *respelt = newSession(knownServers());
        QSignalSpy respeltAsked(respelt, &Session::trustRequested);
        join(respelt, mapped, u"Cy"_s);
        QTRY_COMPARE_WITH_TIMEOUT(respelt->state(), Session::Failed, kWait);
        QCOMPARE(respelt->failure(), Session::ServerIdentityChanged);
        QCOMPARE(respeltAsked.size(), 0);

        // Work made now waits; the session does not retry by itself and sends the new server nothing.
        QVERIFY(ann->sendChat(u"kept for later"_s));
        QTest::qWait(1500);
        QCOMPARE(ann->state(), Session::Failed);
        QCOMPARE(server.server()->connectionCount(), 0);
        QCOMPARE(server.server()->loadedRoomCount(), 0);
        QCOMPARE(pinnedIn(knownServers(), ann->serverKey()), before);
        // Trying again by hand does not accept it either.
        ann->retryNow();
        QTRY_COMPARE_WITH_TIMEOUT(ann->state(), Session::Failed, kWait);
        QCOMPARE(ann->failure(), Session::ServerIdentityChanged);

        // Once its owner confirms the change: forget the old one, and the new one is offered, never taken silently.
        ann->forgetServerCertificate();
        QTRY_COMPARE_WITH_TIMEOUT(ann->state(), Session::AwaitingTrust, kWait);
        QCOMPARE(ann->pendingFingerprint(), after);
        QVERIFY(ann->trustCertificate());
        QTRY_COMPARE_WITH_TIMEOUT(ann->state(), Session::Online, kWait);
        QTRY_COMPARE_WITH_TIMEOUT(ann->pendingCount(), 0, kWait);
        QCOMPARE(pinnedIn(knownServers(), ann->serverKey()), after);
    }

    //! After a certificate mismatch, once the genuine server is back on its address, a plain "Try again" (retryNow)
    //! connects: the pin was never touched, and what was typed meanwhile arrives once.
    void tryAgainReachesTheGenuineServerWhenItIsBack()
    {
        ServerFixture genuine(secure);
        QVERIFY(genuine.start());
        const quint16 port = genuine.port();
        const QString pinned = genuine.server()->certificateFingerprint();
        Session *ann = newSession(knownServers());
        join(ann, genuine.url());
        QTRY_COMPARE_WITH_TIMEOUT(ann->state(), Session::AwaitingTrust, kWait);
        QVERIFY(ann->trustCertificate());
        QTRY_COMPARE_WITH_TIMEOUT(ann->state(), Session::Online, kWait);

        // Somebody else's server answers on the address for a while.
        genuine.stop();
        ServerFixture impostor(secure);
        QVERIFY(impostor.start(port));
        QTRY_COMPARE_WITH_TIMEOUT(ann->state(), Session::Failed, kWait);
        QCOMPARE(ann->failure(), Session::ServerIdentityChanged);
        QVERIFY(ann->sendChat(u"typed while refused"_s));
        ann->retryNow(); // the impostor is still there: refused again, nothing sent
        QTRY_COMPARE_WITH_TIMEOUT(ann->state(), Session::Failed, kWait);
        QCOMPARE(ann->failure(), Session::ServerIdentityChanged);
        QCOMPARE(impostor.server()->loadedRoomCount(), 0);

        // The genuine server is back: trying again connects, with the pin as it was.
        impostor.stop();
        QVERIFY(genuine.start(port));
        ann->retryNow();
        QTRY_COMPARE_WITH_TIMEOUT(ann->state(), Session::Online, kWait);
        QCOMPARE(ann->failure(), Session::NoFailure);
        QCOMPARE(ann->serverFingerprint(), pinned);
        QCOMPARE(pinnedIn(knownServers(), ann->serverKey()), pinned);
        QTRY_COMPARE_WITH_TIMEOUT(ann->pendingCount(), 0, kWait);
        // Once, in the room's history, for anybody who joins.
        Session *bo = newSession(QString());
        bo->setExpectedFingerprint(pinned);
        join(bo, genuine.url(), u"Bo"_s);
        QTRY_COMPARE_WITH_TIMEOUT(bo->state(), Session::Online, kWait);
        QTRY_COMPARE_WITH_TIMEOUT(bo->chat()->rowCount(), 1, kWait);
    }

    void rejectingDoesNotConnect()
    {
        ServerFixture server(secure);
        QVERIFY(server.start());
        Session *ann = newSession(knownServers());
        join(ann, server.url());
        QTRY_COMPARE_WITH_TIMEOUT(ann->state(), Session::AwaitingTrust, kWait);
        ann->rejectCertificate();
        QCOMPARE(ann->state(), Session::Failed);
        QCOMPARE(ann->failure(), Session::CertificateRejected);
        QVERIFY(ann->pendingFingerprint().isEmpty());
        QVERIFY(!QFile::exists(knownServers()));
        // Trying again asks again.
        ann->retryNow();
        QTRY_COMPARE_WITH_TIMEOUT(ann->state(), Session::AwaitingTrust, kWait);
        ann->leave();
        QCOMPARE(ann->state(), Session::Disconnected);
        QVERIFY(ann->pendingFingerprint().isEmpty());
        QCOMPARE(server.server()->loadedRoomCount(), 0);
    }

    void anExpectedFingerprintDecidesAlone()
    {
        ServerFixture server(secure);
        QVERIFY(server.start());
        const QString fingerprint = server.server()->certificateFingerprint();

        // The right one (in any spelling): connected without a question, and the file is left alone.
        Session *host = newSession(knownServers());
        QSignalSpy asked(host, &Session::trustRequested);
        host->setExpectedFingerprint(QString(fingerprint).remove(u':').toLower());
        QCOMPARE(host->expectedFingerprint(), fingerprint);
        join(host, server.url(), u"Host"_s);
        QTRY_COMPARE_WITH_TIMEOUT(host->state(), Session::Online, kWait);
        QCOMPARE(asked.size(), 0);
        QVERIFY(!QFile::exists(knownServers()));

        // Any other: refused, even when the file would trust the server.
        KnownServers(knownServers()).remember(host->serverKey(), fingerprint);
        Session *other = newSession(knownServers());
        other->setExpectedFingerprint(u"AA"_s.repeated(31) + u"AB"_s);
        join(other, server.url(), u"Other"_s);
        QTRY_COMPARE_WITH_TIMEOUT(other->state(), Session::Failed, kWait);
        QCOMPARE(other->failure(), Session::ServerIdentityChanged);
        QVERIFY(other->reason().contains(fingerprint));
    }

    void aCertificateFromATrustedCaIsAcceptedWithoutAsking()
    {
        // A throwaway CA, trusted by this process only, and certificates it signed.
        QString error;
        server::tls::CertificateRequest caRequest;
        caRequest.commonName = u"Inkroom test CA"_s;
        caRequest.isCa = true;
        const auto ca = server::tls::makeCertificate(caRequest, nullptr, &error);
        QVERIFY2(ca, qPrintable(error));
        server::tls::CertificateRequest forHost;
        forHost.commonName = u"127.0.0.1"_s;
        forHost.addresses = {QHostAddress(QHostAddress::LocalHost)};
        forHost.validityDays = 2;
        const auto matching = server::tls::makeCertificate(forHost, &*ca, &error);
        server::tls::CertificateRequest forOther;
        forOther.commonName = u"elsewhere.example"_s;
        forOther.dnsNames = {u"elsewhere.example"_s};
        forOther.validityDays = 2;
        const auto otherName = server::tls::makeCertificate(forOther, &*ca, &error);
        QVERIFY(matching && otherName);
        QTemporaryDir dir;
        QVERIFY(writeFile(dir.filePath(u"host.crt"_s), matching->certificate + ca->certificate));
        QVERIFY(writeFile(dir.filePath(u"host.key"_s), matching->key));
        QVERIFY(writeFile(dir.filePath(u"other.crt"_s), otherName->certificate));
        QVERIFY(writeFile(dir.filePath(u"other.key"_s), otherName->key));

        const QSslConfiguration original = QSslConfiguration::defaultConfiguration();
        QSslConfiguration withCa = original;
        withCa.addCaCertificate(QSslCertificate::fromData(ca->certificate).value(0));
        QSslConfiguration::setDefaultConfiguration(withCa);
        const auto restore = qScopeGuard([&original] { QSslConfiguration::setDefaultConfiguration(original); });

        {
            ServerFixture server([&dir](server::ServerConfig &config) {
                secure(config);
                config.tlsCertFile = dir.filePath(u"host.crt"_s);
                config.tlsKeyFile = dir.filePath(u"host.key"_s);
            });
            QVERIFY(server.start());
            Session *ann = newSession(knownServers());
            QSignalSpy asked(ann, &Session::trustRequested);
            join(ann, server.url());
            QTRY_COMPARE_WITH_TIMEOUT(ann->state(), Session::Online, kWait);
            QCOMPARE(asked.size(), 0);
            QVERIFY(ann->encrypted());
            QCOMPARE(ann->serverFingerprint(), server.server()->certificateFingerprint());
            // Not pinned: the CA vouches for the next certificate too.
            QVERIFY(!QFile::exists(knownServers()));
            ann->leave();
        }
        {
            // Signed by the same CA, but for another name: that is no reason to trust it; the user is asked.
            ServerFixture server([&dir](server::ServerConfig &config) {
                secure(config);
                config.tlsCertFile = dir.filePath(u"other.crt"_s);
                config.tlsKeyFile = dir.filePath(u"other.key"_s);
            });
            QVERIFY(server.start());
            Session *bo = newSession(knownServers());
            join(bo, server.url(), u"Bo"_s);
            QTRY_COMPARE_WITH_TIMEOUT(bo->state(), Session::AwaitingTrust, kWait);
            QCOMPARE(bo->pendingFingerprint(), server.server()->certificateFingerprint());
        }
    }

    void aPlainServerIsReachedWithWs()
    {
        ServerFixture server; // insecure
        QVERIFY(server.start());
        Session *ann = newSession(knownServers());
        join(ann, server.url());
        QTRY_COMPARE_WITH_TIMEOUT(ann->state(), Session::Online, kWait);
        QVERIFY(!ann->encrypted());
        QVERIFY(ann->serverFingerprint().isEmpty());
        // wss:// to a server without TLS never gets anywhere (and never asks anything).
        Session *bo = newSession(knownServers());
        QSignalSpy asked(bo, &Session::trustRequested);
        QUrl wss = server.url();
        wss.setScheme(u"wss"_s);
        join(bo, wss, u"Bo"_s);
        QTRY_COMPARE_WITH_TIMEOUT(bo->state(), Session::Reconnecting, kWait);
        QCOMPARE(asked.size(), 0);
        // Said in one line, at once (once: "did not answer within 10 s", again and again).
        QVERIFY2(bo->reason().contains(u"--insecure"_s) && bo->reason().contains(u"ws://"_s), qPrintable(bo->reason()));
    }

    void aTlsServerReachedWithWsIsSaidSo()
    {
        // Once: ws:// to a TLS server retried forever with "remote host closed".
        ServerFixture server(secure);
        QVERIFY(server.start());
        Session *ann = newSession(knownServers());
        QUrl ws = server.url();
        ws.setScheme(u"ws"_s);
        join(ann, ws);
        QTRY_COMPARE_WITH_TIMEOUT(ann->state(), Session::Reconnecting, kWait);
        QVERIFY2(ann->reason().contains(u"wss://"_s), qPrintable(ann->reason()));
    }

    void knownServersKeys()
    {
        QCOMPARE(KnownServers::keyFor(QUrl(u"wss://Host.Example:7420"_s)), u"host.example:7420"_s);
        QCOMPARE(KnownServers::keyFor(QUrl(u"wss://[::1]:7420"_s)), u"[::1]:7420"_s);
        QCOMPARE(KnownServers::keyFor(QUrl(u"wss://h"_s)), u"h:443"_s);
        // One server, one key: every spelling of an address (and a name with the root's dot) pins the same.
        QCOMPARE(KnownServers::keyFor(QUrl(u"wss://[::ffff:127.0.0.1]:7420"_s)), u"127.0.0.1:7420"_s);
        QCOMPARE(KnownServers::keyFor(QUrl(u"wss://[::FFFF:7f00:1]:7420"_s)), u"127.0.0.1:7420"_s);
        QCOMPARE(KnownServers::keyFor(QUrl(u"wss://[0:0:0:0:0:0:0:1]:7420"_s)), u"[::1]:7420"_s);
        QCOMPARE(KnownServers::keyFor(QUrl(u"wss://[2001:DB8:0::1]:7420"_s)), u"[2001:db8::1]:7420"_s);
        QCOMPARE(KnownServers::keyFor(QUrl(u"wss://host.example.:7420"_s)), u"host.example:7420"_s);
        KnownServers memory;
        QVERIFY(memory.fingerprintFor(u"h:1"_s).isEmpty());
        QVERIFY(!memory.remember(u"h:1"_s, u"not a fingerprint"_s));
        const QString fingerprint = u"0A"_s.repeated(32);
        QVERIFY(memory.remember(u"h:1"_s, fingerprint.toLower()));
        QCOMPARE(memory.fingerprintFor(u"h:1"_s), proto::normaliseFingerprint(fingerprint));
        QVERIFY(memory.forget(u"h:1"_s));
        QVERIFY(memory.fingerprintFor(u"h:1"_s).isEmpty());
    }
};

QTEST_GUILESS_MAIN(TestClientTls)
#include "tst_client_tls.moc"
