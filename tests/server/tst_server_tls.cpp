// The server's TLS: its own identity made on first start and kept, given certificate files, wss:// clients, and
// what happens to clients that do not speak TLS or never finish the handshake.
#include "closecodes.h"
#include "fingerprint.h"
#include "protocollimits.h"
#include "serverharness.h"
#include "tlsidentity.h"

#include <QDir>
#include <QFile>
#include <QSslCertificateExtension>
#include <QTest>

using namespace Qt::StringLiterals;
using namespace inkroom;
using namespace inkroom::proto;
using namespace inkroom::test;

namespace {

const QString kRoom = u"secure"_s;

void secure(server::ServerConfig &config)
{
    config.insecure = false;
}

bool writeFile(const QString &path, const QByteArray &bytes)
{
    QFile file(path);
    return file.open(QIODevice::WriteOnly) && file.write(bytes) == bytes.size();
}

QStringList alternativeNames(const QSslCertificate &certificate)
{
    QStringList names;
    const auto entries = certificate.subjectAlternativeNames();
    for (auto it = entries.cbegin(); it != entries.cend(); ++it)
        names << it.value();
    return names;
}

} // namespace

class TestServerTls : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void theServerMakesItsOwnIdentityOnceAndKeepsIt()
    {
        ServerFixture fixture(secure);
        QVERIFY(fixture.start());
        server::Server &server = fixture.server();
        QVERIFY(server.isSecure());
        const QString fingerprint = server.certificateFingerprint();
        QCOMPARE(normaliseFingerprint(fingerprint), fingerprint);
        QCOMPARE(server.localUrl().scheme(), u"wss"_s);
        for (const QUrl &url : server.joinUrls())
            QCOMPARE(url.scheme(), u"wss"_s);

        // Kept in the data directory; the key is readable by its owner only.
        const QString tls = fixture.dataDir() + u"/tls"_s;
        QCOMPARE(server.certificatePath(), tls + u"/server.crt"_s);
        QCOMPARE(QFile::permissions(tls + u"/server.key"_s),
                 QFileDevice::ReadOwner | QFileDevice::WriteOwner | QFileDevice::ReadUser | QFileDevice::WriteUser);
        QVERIFY(!(QFile::permissions(tls) & (QFileDevice::ReadOther | QFileDevice::ReadGroup)));

        // Self-signed, long-lived, an EC key, and names for this computer.
        const QSslCertificate certificate = server.certificate();
        QVERIFY(certificate.isSelfSigned());
        QCOMPARE(server::tls::fingerprintOf(certificate), fingerprint);
        QVERIFY(certificate.expiryDate() > QDateTime::currentDateTimeUtc().addYears(9));
        QVERIFY(certificate.effectiveDate() <= QDateTime::currentDateTimeUtc());
        QCOMPARE(certificate.publicKey().algorithm(), QSsl::Ec);
        const QStringList names = alternativeNames(certificate);
        QVERIFY2(names.contains(u"localhost"_s), qPrintable(names.join(u' ')));
        QVERIFY2(names.contains(u"127.0.0.1"_s), qPrintable(names.join(u' ')));

        // A restart (and a wipe of the rooms, which leaves tls/ alone) keeps the identity.
        QVERIFY(fixture.restart());
        QCOMPARE(fixture.server().certificateFingerprint(), fingerprint);
    }

    void aClientThatTrustsTheCertificateJoinsOverWss()
    {
        ServerFixture fixture(secure);
        QVERIFY(fixture.start());
        TestClient ann;
        ann.acceptCertificate(fixture.server().certificateFingerprint());
        QVERIFY(ann.join(fixture.url(), kRoom));
        QCOMPARE(peerFingerprintOf(ann.socket()), fixture.server().certificateFingerprint());
        TestClient bo;
        bo.acceptCertificate(fixture.server().certificateFingerprint());
        QVERIFY(bo.join(fixture.url(), kRoom));
        const quint64 cseq = ann.sendOp(ann.makeAdd(200));
        QVERIFY(ann.waitForAnswer(cseq));
        QVERIFY(ann.ackFor(cseq));
        QVERIFY(bo.waitFor<Op>());
        QCOMPARE(bo.last<Op>()->item.points.size(), 200);
        // Large messages (snapshot chunks are written straight to the TLS socket) arrive whole.
        for (int i = 0; i < 20; ++i)
            ann.send(ann.makeAdd(limits::MaxPointsPerItem));
        QVERIFY(waitUntil([&ann] { return ann.count<Ack>() == 21; }));
        TestClient late;
        late.acceptCertificate(fixture.server().certificateFingerprint());
        QVERIFY(late.join(fixture.url(), kRoom));
        QCOMPARE(late.boardSinceWelcome().size(), 21);
        QCOMPARE(late.undecodable(), 0);
    }

    void aClientThatDoesNotTrustTheCertificateNeverConnects()
    {
        ServerFixture fixture(secure);
        QVERIFY(fixture.start());
        TestClient eve;
        eve.acceptCertificate(u"00:11"_s);
        QVERIFY(!eve.connectTo(fixture.url()));
        QTRY_COMPARE_WITH_TIMEOUT(fixture.server().connectionCount(), 0, kWaitMs);
        QCOMPARE(fixture.server().loadedRoomCount(), 0);
    }

    void plainClientsAreDroppedAtOnce()
    {
        // A long handshake timeout: the drop comes from the failed TLS handshake, not the timer.
        ServerFixture fixture([](server::ServerConfig &config) {
            secure(config);
            config.handshakeTimeoutMs = 60000;
            config.maxPendingHandshakes = 4;
        });
        QVERIFY(fixture.start());
        QUrl plain = fixture.url();
        plain.setScheme(u"ws"_s);
        for (int i = 0; i < 8; ++i) {
            TestClient lost;
            QVERIFY(!lost.connectTo(plain));
        }
        // Their slots were freed: a real client still gets in.
        TestClient ann;
        ann.acceptCertificate(fixture.server().certificateFingerprint());
        QVERIFY(ann.join(fixture.url(), kRoom));
        QCOMPARE(fixture.server().connectionCount(), 1);
    }

    void tlsHandshakesThatNeverFinishAreDropped()
    {
        ServerFixture fixture([](server::ServerConfig &config) {
            secure(config);
            config.handshakeTimeoutMs = 300;
        });
        QVERIFY(fixture.start());
        // One says nothing; one sends the start of a TLS record and stops.
        RawClient silent;
        QVERIFY(silent.connectTo(fixture.url()));
        RawClient partial;
        QVERIFY(partial.connectTo(fixture.url()));
        partial.socket().write(QByteArray::fromHex("160301"));
        QVERIFY(silent.waitForDisconnect());
        QVERIFY(partial.waitForDisconnect());
        QCOMPARE(fixture.server().connectionCount(), 0);
    }

    /** The server's TLS socket keeps what the kernel does not take and sends it when it can; a reader that stops is
     *  dropped at the output cap like one over ws://, and one that resets while the server writes to it (EPIPE,
     *  ECONNRESET, never SIGPIPE) is just gone. Everybody else gets every op, in order, throughout. */
    void readersThatStopOrResetOverTlsAreDroppedWhileOthersCarryOn()
    {
        ServerFixture fixture([](server::ServerConfig &config) {
            secure(config);
            config.ratePerSecond = 1e6;
            config.rateBurst = 1000000;
            config.opKibPerSecond = 1 << 30;
            config.opBurstKib = 1 << 30;
            config.maxOutputBytes = 1024 * 1024;
            config.volatileDropBytes = 256 * 1024;
        });
        QVERIFY(fixture.start());
        const QUrl url = fixture.url();
        TestClient ann, cy;
        ann.acceptCertificate(fixture.server().certificateFingerprint());
        cy.acceptCertificate(fixture.server().certificateFingerprint());
        QVERIFY(ann.join(url, kRoom));
        QVERIFY(cy.join(url, kRoom));
        auto stuck = rawMember(url, u"client-tls-stuck"_s, kRoom);
        auto leaver = rawMember(url, u"client-tls-leave"_s, kRoom);
        QVERIFY(stuck && leaver);
        stuck->stopReading();
        leaver->stopReading();

        // Big strokes, until the server gives up on the reader that never reads; the other one resets on the way.
        int sent = 0;
        const bool dropped = waitUntil(
            [&] {
                if (sent >= 40 && leaver->isConnected())
                    leaver->socket().abort(); // RST: the server's next write to it fails
                if (fixture.server().connectionCount() == 2)
                    return true;
                if (sent < 600 && ann.count<Ack>() + 20 >= sent) {
                    for (int i = 0; i < 10; ++i, ++sent)
                        ann.send(ann.makeAdd(limits::MaxPointsPerItem));
                }
                return false;
            },
            60000);
        QVERIFY2(
            dropped,
            qPrintable(u"still %1 connections after %2 big ops"_s.arg(fixture.server().connectionCount()).arg(sent)));

        const quint64 after = ann.sendOp(ann.makeChat(u"still here"_s));
        QVERIFY(ann.waitForAnswer(after));
        QVERIFY(ann.ackFor(after));
        QVERIFY(waitUntil([&cy, after] { return cy.last<Op>() && cy.last<Op>()->cseq == after; }));
        QCOMPARE(cy.count<Op>(), sent + 1);
        quint64 seq = 0;
        for (const Op &op : cy.all<Op>()) {
            QVERIFY(op.seq > seq);
            seq = op.seq;
        }
        QVERIFY(ann.isConnected());
        QVERIFY(cy.isConnected());
    }

    /** The frame checks see the decrypted stream: over wss:// too, a client frame without a mask is closed with 1002
     *  (RFC 6455, 5.1), before the join and after it, and its op never reaches the room. */
    void unmaskedFramesOverTlsAreClosedWith1002()
    {
        ServerFixture fixture(secure);
        QVERIFY(fixture.start());
        const QUrl url = fixture.url();
        QCOMPARE(url.scheme(), u"wss"_s);
        TestClient ann;
        ann.acceptCertificate(fixture.server().certificateFingerprint());
        QVERIFY(ann.join(url, kRoom));

        // A member: a masked hello joins, then an unmasked op closes the connection.
        auto member = rawMember(url, u"client-tls-raw-1"_s, kRoom);
        QVERIFY(member);
        Op chat;
        chat.kind = OpKind::Chat;
        chat.cseq = 1;
        chat.text = u"not masked"_s;
        member->socket().write(RawClient::unmaskedFrame(encode(chat)));
        QVERIFY(member->waitForDisconnect());
        QCOMPARE(member->closeCodeReceived(), std::optional<quint16>(QWebSocketProtocol::CloseCodeProtocolError));

        // A stranger: an unmasked hello, in two TLS records.
        RawClient stranger;
        QVERIFY(stranger.connectEncrypted(url) && stranger.upgrade(url));
        const QByteArray hello =
            RawClient::unmaskedFrame(encode(TestClient(u"client-tls-raw-2"_s).hello(kRoom)).left(120));
        stranger.socket().write(hello.left(1));
        stranger.socket().flush();
        QTest::qWait(20);
        stranger.socket().write(hello.mid(1));
        QVERIFY(stranger.waitForDisconnect());
        QCOMPARE(stranger.closeCodeReceived(), std::optional<quint16>(QWebSocketProtocol::CloseCodeProtocolError));

        // The room never saw the op, and its members carry on.
        const quint64 cseq = ann.sendOp(ann.makeChat(u"still here"_s));
        QVERIFY(ann.waitForAnswer(cseq));
        QVERIFY(ann.ackFor(cseq));
        for (const Op &op : ann.all<Op>())
            QVERIFY(op.text != u"not masked"_s);
    }

    void givenCertificateFilesAreUsed()
    {
        QTemporaryDir dir;
        QString error;
        server::tls::CertificateRequest caRequest;
        caRequest.commonName = u"Test CA"_s;
        caRequest.isCa = true;
        const auto ca = server::tls::makeCertificate(caRequest, nullptr, &error);
        QVERIFY2(ca, qPrintable(error));
        server::tls::CertificateRequest leafRequest;
        leafRequest.commonName = u"inkroom.test"_s;
        leafRequest.dnsNames = {u"inkroom.test"_s};
        leafRequest.addresses = {QHostAddress(QHostAddress::LocalHost)};
        leafRequest.validityDays = 30;
        const auto leaf = server::tls::makeCertificate(leafRequest, &*ca, &error);
        QVERIFY2(leaf, qPrintable(error));
        // The certificate file carries the chain: the server's certificate, then the CA's.
        QVERIFY(writeFile(dir.filePath(u"chain.pem"_s), leaf->certificate + ca->certificate));
        QVERIFY(writeFile(dir.filePath(u"key.pem"_s), leaf->key));

        ServerFixture fixture([&dir](server::ServerConfig &config) {
            secure(config);
            config.tlsCertFile = dir.filePath(u"chain.pem"_s);
            config.tlsKeyFile = dir.filePath(u"key.pem"_s);
        });
        QVERIFY(fixture.start());
        const QSslCertificate expected = QSslCertificate::fromData(leaf->certificate).value(0);
        QCOMPARE(fixture.server().certificate(), expected);
        QCOMPARE(fixture.server().certificatePath(), dir.filePath(u"chain.pem"_s));
        QVERIFY(!QFile::exists(fixture.dataDir() + u"/tls"_s)); // nothing made
        TestClient ann;
        ann.acceptCertificate(server::tls::fingerprintOf(expected));
        QVERIFY(ann.join(fixture.url(), kRoom));
    }

    void badCertificateFilesStopTheStart()
    {
        QTemporaryDir dir;
        QString error;
        const auto one = server::tls::makeCertificate({u"one"_s, {}, {}, 30, false}, nullptr, &error);
        const auto two = server::tls::makeCertificate({u"two"_s, {}, {}, 30, false}, nullptr, &error);
        QVERIFY(one && two);
        QVERIFY(writeFile(dir.filePath(u"one.crt"_s), one->certificate));
        QVERIFY(writeFile(dir.filePath(u"two.key"_s), two->key));
        QVERIFY(writeFile(dir.filePath(u"garbage.pem"_s), "not a certificate"));

        const auto startWith = [](const QString &cert, const QString &key, QString *why) {
            QTemporaryDir data;
            server::ServerConfig config = testConfig(data.path());
            config.insecure = false;
            config.tlsCertFile = cert;
            config.tlsKeyFile = key;
            server::Server server(config);
            return server.start(why);
        };
        QVERIFY(!startWith(dir.filePath(u"one.crt"_s), dir.filePath(u"two.key"_s), &error));
        QVERIFY2(error.contains(u"does not belong"_s), qPrintable(error));
        QVERIFY(!startWith(dir.filePath(u"garbage.pem"_s), dir.filePath(u"two.key"_s), &error));
        QVERIFY2(error.contains(u"garbage.pem"_s), qPrintable(error));
        QVERIFY(!startWith(dir.filePath(u"missing.crt"_s), dir.filePath(u"two.key"_s), &error));
        QVERIFY2(error.contains(u"missing.crt"_s), qPrintable(error));
        QVERIFY(!startWith(dir.filePath(u"one.crt"_s), QString(), &error));
    }

    void aHalfIdentityIsNeverReplacedSilently()
    {
        ServerFixture fixture(secure);
        QVERIFY(fixture.start());
        fixture.stop();
        QVERIFY(QFile::remove(fixture.dataDir() + u"/tls/server.key"_s));
        QVERIFY(!fixture.start());
        QVERIFY(QFile::exists(fixture.dataDir() + u"/tls/server.crt"_s));
        QVERIFY(!QFile::exists(fixture.dataDir() + u"/tls/server.key"_s));
    }

    void insecureMeansPlainWs()
    {
        ServerFixture fixture; // the harness's default
        QVERIFY(fixture.start());
        QVERIFY(!fixture.server().isSecure());
        QVERIFY(fixture.server().certificateFingerprint().isEmpty());
        QCOMPARE(fixture.url().scheme(), u"ws"_s);
        QVERIFY(!QFile::exists(fixture.dataDir() + u"/tls"_s));
        TestClient ann;
        QVERIFY(ann.join(fixture.url(), kRoom));
    }

    void fingerprintsAreNormalised()
    {
        const QString canonical =
            u"B0:87:AD:BB:01:3D:D1:4C:54:69:6C:56:C2:6A:28:52:00:B3:4D:1F:3D:F7:1D:6B:0E:1F:D9:D5:01:D4:C0:6C"_s;
        QCOMPARE(normaliseFingerprint(canonical), canonical);
        QCOMPARE(normaliseFingerprint(canonical.toLower()), canonical);
        QCOMPARE(normaliseFingerprint(QString(canonical).remove(u':')), canonical);
        QCOMPARE(normaliseFingerprint(QString(u"SHA256:"_s + canonical)), canonical);
        QCOMPARE(normaliseFingerprint(QString(u"  sha256/"_s + QString(canonical).replace(u':', u' ') + u' ')),
                 canonical);
        QVERIFY(normaliseFingerprint(canonical.left(94)).isEmpty());
        QVERIFY(normaliseFingerprint(QString(canonical + u":00"_s)).isEmpty());
        QVERIFY(normaliseFingerprint(QString(canonical).replace(u'B', u'G')).isEmpty());
        QVERIFY(normaliseFingerprint(QString()).isEmpty());
    }
};

QTEST_GUILESS_MAIN(TestServerTls)
#include "tst_server_tls.moc"
