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

    //! A late joiner of room on the hosted server sees the one chat line it holds.
    static void expectOneChatLine(const ui::RoomHost &host, const QString &room)
    {
        client::Session late;
        late.setExpectedFingerprint(host.fingerprint());
        late.join(QUrl(host.localAddress()), room, u"Late"_s, QColor(Qt::red));
        QTRY_COMPARE_WITH_TIMEOUT(late.state(), client::Session::Online, 10000);
        QTRY_COMPARE(late.chat()->rowCount(), 1);
        late.leave();
    }

private Q_SLOTS:
    void hostJoinAndStop()
    {
        QTemporaryDir data;
        ui::RoomHost host;
        host.setDataDir(data.path());
        host.setBindAddress(QHostAddress::LocalHost); // loopback only
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
        expectOneChatLine(host, u"hosted"_s);
        session.leave();
    }

    void takenPortFallsBackToAFreeOne()
    {
        QTemporaryDir first;
        QTemporaryDir second;
        ui::RoomHost a;
        a.setDataDir(first.path());
        a.setBindAddress(QHostAddress::LocalHost); // loopback only
        a.start(0);
        QTRY_COMPARE_WITH_TIMEOUT(a.status(), ui::RoomHost::Running, 10000);
        ui::RoomHost b;
        b.setDataDir(second.path());
        b.setBindAddress(QHostAddress::LocalHost); // loopback only
        b.start(a.port());
        QTRY_COMPARE_WITH_TIMEOUT(b.status(), ui::RoomHost::Running, 10000);
        QVERIFY(b.port() != a.port());
    }

    void aDataDirectoryInUseIsReported()
    {
        QTemporaryDir data;
        ui::RoomHost a;
        a.setDataDir(data.path());
        a.setBindAddress(QHostAddress::LocalHost); // loopback only
        a.start(0);
        QTRY_COMPARE_WITH_TIMEOUT(a.status(), ui::RoomHost::Running, 10000);
        ui::RoomHost b;
        b.setDataDir(data.path());
        b.setBindAddress(QHostAddress::LocalHost); // loopback only
        b.start(0);
        QTRY_COMPARE_WITH_TIMEOUT(b.status(), ui::RoomHost::Failed, 10000);
        QVERIFY(!b.error().isEmpty());
    }

    /** Leave a hosted room, then quit within the shutdown grace: stop() is under way when stopAndWait() comes.
     *  The server must be shut down and deleted once (this deleted it twice: run it under ASan). */
    void stopThenStopAndWait()
    {
        QTemporaryDir data;
        ui::RoomHost host;
        host.setDataDir(data.path());
        host.setBindAddress(QHostAddress::LocalHost); // loopback only
        host.start(0);
        QTRY_COMPARE_WITH_TIMEOUT(host.status(), ui::RoomHost::Running, 10000);
        client::Session session;
        session.setExpectedFingerprint(host.fingerprint());
        session.join(QUrl(host.localAddress()), u"leaving"_s, u"Host"_s, QColor(Qt::blue));
        QTRY_COMPARE_WITH_TIMEOUT(session.state(), client::Session::Online, 10000);

        host.stop();
        QCOMPARE(host.status(), ui::RoomHost::Stopping);
        host.stopAndWait();
        QCOMPARE(host.status(), ui::RoomHost::Stopped);
        QVERIFY(host.localAddress().isEmpty());
        session.leave();

        // The host is usable again afterwards.
        host.start(0);
        QTRY_COMPARE_WITH_TIMEOUT(host.status(), ui::RoomHost::Running, 10000);
    }

    //! Host again while the last server is still saying goodbye: start() waits for it without blocking.
    void hostAgainWhileStopping()
    {
        QTemporaryDir data;
        ui::RoomHost host;
        host.setDataDir(data.path());
        host.setBindAddress(QHostAddress::LocalHost); // loopback only
        host.start(0);
        QTRY_COMPARE_WITH_TIMEOUT(host.status(), ui::RoomHost::Running, 10000);
        client::Session session;
        session.setExpectedFingerprint(host.fingerprint());
        session.join(QUrl(host.localAddress()), u"again"_s, u"Host"_s, QColor(Qt::blue));
        QTRY_COMPARE_WITH_TIMEOUT(session.state(), client::Session::Online, 10000);
        QVERIFY(session.sendChat(u"before"_s));
        QTRY_COMPARE(session.pendingCount(), 0);

        host.stop();
        host.start(0);
        QCOMPARE(host.status(), ui::RoomHost::Starting); // queued behind the stop under way, not waited for here
        QTRY_COMPARE_WITH_TIMEOUT(host.status(), ui::RoomHost::Running, 10000);
        expectOneChatLine(host, u"again"_s);
        session.leave();
    }

    //! Quitting while the server is stopping: the destructor finishes the stop under way, once.
    void destroyWhileStopping()
    {
        QTemporaryDir data;
        auto host = std::make_unique<ui::RoomHost>();
        host->setDataDir(data.path());
        host->setBindAddress(QHostAddress::LocalHost); // loopback only
        host->start(0);
        QTRY_COMPARE_WITH_TIMEOUT(host->status(), ui::RoomHost::Running, 10000);
        host->stop();
        host.reset();
    }

    //! Stop while the server is still starting: it is started, then stopped, and nothing is left running.
    void stopWhileStarting()
    {
        QTemporaryDir data;
        ui::RoomHost host;
        host.setDataDir(data.path());
        host.setBindAddress(QHostAddress::LocalHost); // loopback only
        host.start(0);
        host.stop();
        QTRY_COMPARE_WITH_TIMEOUT(host.status(), ui::RoomHost::Stopped, 10000);
        QCOMPARE(host.port(), 0);
        host.start(0); // and the data directory is free again
        QTRY_COMPARE_WITH_TIMEOUT(host.status(), ui::RoomHost::Running, 10000);
    }

    //! Quitting while hosting stops the server thread cleanly (the destructor waits for it).
    void destroyWhileRunning()
    {
        QTemporaryDir data;
        auto host = std::make_unique<ui::RoomHost>();
        host->setDataDir(data.path());
        host->setBindAddress(QHostAddress::LocalHost); // loopback only
        host->start(0);
        QTRY_COMPARE_WITH_TIMEOUT(host->status(), ui::RoomHost::Running, 10000);
        host.reset();
    }
};

QTEST_GUILESS_MAIN(TestRoomHost)
#include "tst_ui_roomhost.moc"
