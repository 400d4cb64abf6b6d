#include "fingerprint.h"
#include "roomhost.h"
#include "session.h"

#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

using namespace Qt::StringLiterals;
using namespace inkroom;

//! "Host a room on this computer": the server runs on its own thread and people can join it.
class TestRoomHost : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void hostJoinAndStop()
    {
        QTemporaryDir data;
        ui::RoomHost host;
        host.setDataDir(data.path());
        host.start(0);
        QCOMPARE(host.status(), ui::RoomHost::Starting); // start() never waits for the server
        QTRY_COMPARE_WITH_TIMEOUT(host.status(), ui::RoomHost::Running, 10000);
        QVERIFY(host.port() > 0);
        QVERIFY(!host.addresses().isEmpty());
        // TLS, with the fingerprint people are asked to trust; the host's own client expects exactly that one.
        QVERIFY(host.localAddress().startsWith(u"wss://"_s));
        for (const QString &address : host.addresses())
            QVERIFY(address.startsWith(u"wss://"_s));
        QCOMPARE(proto::normaliseFingerprint(host.fingerprint()), host.fingerprint());
        QVERIFY(!host.fingerprint().isEmpty());
        const QString fingerprint = host.fingerprint();

        client::Session session;
        QSignalSpy asked(&session, &client::Session::trustRequested);
        session.setExpectedFingerprint(host.fingerprint());
        session.join(QUrl(host.localAddress()), u"hosted"_s, u"Host"_s, QColor(Qt::blue));
        QTRY_COMPARE_WITH_TIMEOUT(session.state(), client::Session::Online, 10000);
        QCOMPARE(asked.size(), 0);
        QCOMPARE(session.serverFingerprint(), fingerprint);
        QVERIFY(session.sendChat(u"hello"_s));
        QTRY_COMPARE(session.pendingCount(), 0);

        host.stop();
        QCOMPARE(host.status(), ui::RoomHost::Stopping);
        QTRY_COMPARE_WITH_TIMEOUT(host.status(), ui::RoomHost::Stopped, 10000);
        QVERIFY(host.fingerprint().isEmpty());
        // Everyone is told the server went away, and the client starts reconnecting.
        QTRY_VERIFY_WITH_TIMEOUT(session.state() == client::Session::Reconnecting, 10000);

        // Hosting again serves the same room with its history, and with the same certificate.
        host.start(0);
        QTRY_COMPARE_WITH_TIMEOUT(host.status(), ui::RoomHost::Running, 10000);
        QCOMPARE(host.fingerprint(), fingerprint);
        client::Session late;
        late.setExpectedFingerprint(host.fingerprint());
        late.join(QUrl(host.localAddress()), u"hosted"_s, u"Late"_s, QColor(Qt::red));
        QTRY_COMPARE_WITH_TIMEOUT(late.state(), client::Session::Online, 10000);
        QTRY_COMPARE(late.chat()->rowCount(), 1);
        session.leave();
        late.leave();
    }

    void takenPortFallsBackToAFreeOne()
    {
        QTemporaryDir first;
        QTemporaryDir second;
        ui::RoomHost a;
        a.setDataDir(first.path());
        a.start(0);
        QTRY_COMPARE_WITH_TIMEOUT(a.status(), ui::RoomHost::Running, 10000);
        ui::RoomHost b;
        b.setDataDir(second.path());
        b.start(a.port());
        QTRY_COMPARE_WITH_TIMEOUT(b.status(), ui::RoomHost::Running, 10000);
        QVERIFY(b.port() != a.port());
    }

    void aDataDirectoryInUseIsReported()
    {
        QTemporaryDir data;
        ui::RoomHost a;
        a.setDataDir(data.path());
        a.start(0);
        QTRY_COMPARE_WITH_TIMEOUT(a.status(), ui::RoomHost::Running, 10000);
        ui::RoomHost b;
        b.setDataDir(data.path());
        b.start(0);
        QTRY_COMPARE_WITH_TIMEOUT(b.status(), ui::RoomHost::Failed, 10000);
        QVERIFY(!b.error().isEmpty());
    }

    //! Quitting while hosting stops the server thread cleanly (the destructor waits for it).
    void destroyWhileRunning()
    {
        QTemporaryDir data;
        auto host = std::make_unique<ui::RoomHost>();
        host->setDataDir(data.path());
        host->start(0);
        QTRY_COMPARE_WITH_TIMEOUT(host->status(), ui::RoomHost::Running, 10000);
        host.reset();
    }
};

QTEST_GUILESS_MAIN(TestRoomHost)
#include "tst_ui_roomhost.moc"
