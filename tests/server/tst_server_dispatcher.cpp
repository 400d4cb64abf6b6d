// The epoll event dispatcher (server/epolldispatcher.*), which the desktop app's hosting thread and the load
// generator run on: Qt's timers, socket notifiers, posted events and wake-ups behave as on Qt's own dispatcher, and
// a whole server session works on it. This program's main thread runs on it too (see main() below).
#include "epolldispatcher.h"
#include "serverharness.h"
#include "turntrace.h"

#include <QElapsedTimer>
#include <QFile>
#include <QSemaphore>
#include <QTcpServer>
#include <QTcpSocket>
#include <QTemporaryDir>
#include <QTest>
#include <QThread>
#include <QTimer>

#include <algorithm>
#include <memory>

using namespace inkroom;
using namespace inkroom::test;
using namespace Qt::StringLiterals;

namespace {

//! A thread on an EpollDispatcher of its own, running its event loop until destroyed.
class EpollThread
{
public:
    EpollThread()
    {
        m_thread.setEventDispatcher(server::EpollDispatcher::create());
        m_thread.start();
        m_context.moveToThread(&m_thread);
    }
    ~EpollThread()
    {
        m_thread.quit();
        m_thread.wait();
    }
    //! Run f on the thread and wait for it to return.
    void run(const std::function<void()> &f)
    {
        QSemaphore done;
        QMetaObject::invokeMethod(
            &m_context,
            [&] {
                f();
                done.release();
            },
            Qt::QueuedConnection);
        done.acquire();
    }
    QThread &thread() { return m_thread; }
    QObject &context() { return m_context; }

private:
    QThread m_thread;
    QObject m_context;
};

} // namespace

class TestServerDispatcher : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void theMainThreadRunsOnIt()
    {
        QVERIFY(qobject_cast<server::EpollDispatcher *>(QAbstractEventDispatcher::instance()));
    }

    void timersFireOnTimeAndStopWhenTold()
    {
        QElapsedTimer clock;
        clock.start();
        int single = 0;
        qint64 singleAt = 0;
        QTimer::singleShot(30, this, [&] {
            ++single;
            singleAt = clock.elapsed();
        });
        int repeats = 0;
        QTimer repeating;
        repeating.setInterval(5);
        connect(&repeating, &QTimer::timeout, this, [&] {
            if (++repeats == 4)
                repeating.stop(); // stopped from its own handler: no fifth
        });
        repeating.start();
        int zero = 0;
        QTimer::singleShot(0, this, [&] { ++zero; });
        QTRY_COMPARE(single, 1);
        QVERIFY2(singleAt >= 29, qPrintable(u"fired after %1 ms"_s.arg(singleAt)));
        QTRY_COMPARE(repeats, 4);
        QCOMPARE(zero, 1);
        QTest::qWait(50);
        QCOMPARE(repeats, 4);
        QCOMPARE(single, 1);
    }

    void aTimerKnowsWhatIsLeft()
    {
        QTimer timer;
        timer.setSingleShot(true);
        timer.start(10000);
        const int left = timer.remainingTime();
        QVERIFY2(left > 9000 && left <= 10000, qPrintable(QString::number(left)));
        timer.stop();
        QCOMPARE(timer.remainingTime(), -1);
    }

    void anotherThreadWakesAWaitingLoop()
    {
        EpollThread worker;
        QVERIFY(qobject_cast<server::EpollDispatcher *>(worker.thread().eventDispatcher()));
        // The worker waits in epoll with no timer at all: only the wake-up can bring the call in.
        QTest::qWait(50);
        QElapsedTimer clock;
        clock.start();
        bool ran = false;
        worker.run([&] { ran = QThread::currentThread() != qApp->thread(); });
        QVERIFY(ran);
        QVERIFY2(clock.elapsed() < 2000, qPrintable(QString::number(clock.elapsed())));
    }

    /** A thread's own posts do not write the eventfd (the thread is not waiting): posted from a socket handler, from a
     *  posted event while the posted events are being sent (which Qt holds for the next round), or from a timer,
     *  each is still delivered at once, with no timer or socket left to end the wait. */
    void aThreadsOwnPostsAreDeliveredWithoutAWakeUp()
    {
        EpollThread worker;
        QTest::qWait(50);
        QSemaphore delivered;
        QElapsedTimer clock;
        clock.start();
        // A chain of posts, each from the one before: all but the first are posted while posted events are sent.
        std::function<void(int)> chain = [&](int left) {
            if (left == 0) {
                delivered.release();
                return;
            }
            QMetaObject::invokeMethod(
                &worker.context(), [&chain, left] { chain(left - 1); }, Qt::QueuedConnection);
        };
        worker.run([&] { chain(50); });
        QVERIFY2(delivered.tryAcquire(1, 2000), "a post from the thread itself waited for a wake-up");
        // From a zero timer, then nothing else on the thread.
        worker.run([&] {
            QTimer::singleShot(0, &worker.context(), [&] {
                QMetaObject::invokeMethod(
                    &worker.context(), [&] { delivered.release(); }, Qt::QueuedConnection);
            });
        });
        QVERIFY2(delivered.tryAcquire(1, 2000), "a post from a timer waited for a wake-up");
        QVERIFY2(clock.elapsed() < 2000, qPrintable(QString::number(clock.elapsed())));
        // Another thread's post still wakes the waiting loop.
        QTest::qWait(50);
        worker.run([] {});
    }

    void socketsCarryALargeTransferBothWays()
    {
        // Both ends on the worker: a megabyte each way needs the write notifiers switched on and off many times.
        EpollThread worker;
        std::unique_ptr<QTcpServer> listener;
        std::unique_ptr<QTcpSocket> client;
        QTcpSocket *accepted = nullptr;
        QByteArray receivedByClient;
        QByteArray receivedByServer;
        const QByteArray payload = QByteArray(1 << 20, 'x') + QByteArray("end");
        std::atomic<bool> done {false};
        worker.run([&] {
            listener = std::make_unique<QTcpServer>();
            QVERIFY(listener->listen(QHostAddress::LocalHost));
            QObject::connect(listener.get(), &QTcpServer::newConnection, listener.get(), [&] {
                accepted = listener->nextPendingConnection();
                QObject::connect(accepted, &QTcpSocket::readyRead, accepted, [&] {
                    receivedByServer += accepted->readAll();
                    if (receivedByServer.size() == payload.size())
                        accepted->write(receivedByServer); // echo it all back
                });
            });
            client = std::make_unique<QTcpSocket>();
            QObject::connect(client.get(), &QTcpSocket::connected, client.get(), [&] { client->write(payload); });
            QObject::connect(client.get(), &QTcpSocket::readyRead, client.get(), [&] {
                receivedByClient += client->readAll();
                if (receivedByClient.size() == payload.size())
                    done = true;
            });
            client->connectToHost(QHostAddress::LocalHost, listener->serverPort());
        });
        QTRY_VERIFY_WITH_TIMEOUT(done.load(), 10000);
        worker.run([&] {
            QCOMPARE(receivedByServer, payload);
            QCOMPARE(receivedByClient, payload);
            client.reset();
            listener.reset();
        });
    }

    void aNotifierDeletedByAnEarlierHandlerIsNotCalled()
    {
        // Two sockets become readable in the same turn; the first one's handler deletes the second.
        QTcpServer listener;
        QVERIFY(listener.listen(QHostAddress::LocalHost));
        QTcpSocket a;
        QTcpSocket b;
        a.connectToHost(QHostAddress::LocalHost, listener.serverPort());
        b.connectToHost(QHostAddress::LocalHost, listener.serverPort());
        QTRY_COMPARE(a.state(), QAbstractSocket::ConnectedState);
        QTRY_COMPARE(b.state(), QAbstractSocket::ConnectedState);
        QList<QTcpSocket *> peers;
        QTRY_VERIFY((peers += listener.nextPendingConnection(), peers.removeAll(nullptr), peers.size() == 2));
        int reads = 0;
        for (QTcpSocket *peer : std::as_const(peers)) {
            connect(peer, &QTcpSocket::readyRead, this, [&, peer] {
                ++reads;
                peer->readAll();
                for (QTcpSocket *other : std::as_const(peers)) {
                    if (other != peer)
                        delete other;
                }
                peers = {peer};
            });
        }
        a.write("a");
        b.write("b");
        a.flush();
        b.flush();
        QTest::qWait(200);
        QCOMPARE(reads, 1);
        qDeleteAll(peers);
    }

    void aWholeServerSessionRunsOnIt()
    {
        // Server and members on this thread's epoll dispatcher: join, ops acked and delivered, a chat, a leave.
        ServerFixture fixture;
        QVERIFY(fixture.start());
        TestClient ann(u"client-ann-0001"_s, u"Ann"_s);
        TestClient bob(u"client-bob-0002"_s, u"Bob"_s);
        QVERIFY(ann.join(fixture.url(), u"epoll"_s));
        QVERIFY(bob.join(fixture.url(), u"epoll"_s));
        QList<proto::Op> ops;
        for (int i = 0; i < 200; ++i)
            ops.append(ann.makeAdd(20));
        QVERIFY(ann.streamUntilAcked(ops, 32, 200) >= 200);
        const quint64 chat = ann.sendOp(ann.makeChat(u"hello over epoll"_s));
        QVERIFY(ann.waitForAnswer(chat));
        QVERIFY(ann.ackFor(chat));
        QTRY_COMPARE_WITH_TIMEOUT(bob.boardSinceWelcome().size(), 200, 10000);
        const auto chatArrived = [&bob] {
            const QList<proto::Op> received = bob.all<proto::Op>();
            return std::any_of(received.cbegin(), received.cend(), [](const proto::Op &op) {
                return op.kind == proto::OpKind::Chat && op.text == u"hello over epoll"_s;
            });
        };
        QTRY_VERIFY_WITH_TIMEOUT(chatArrived(), 10000);
        ann.close();
        QVERIFY(ann.waitForClose());
    }

    void theServersOwnTimersRunOnIt()
    {
        // A connection that never finishes its WebSocket handshake is closed by the server's handshake timer.
        ServerFixture fixture([](server::ServerConfig &config) { config.handshakeTimeoutMs = 300; });
        QVERIFY(fixture.start());
        QTcpSocket silent;
        silent.connectToHost(QHostAddress::LocalHost, fixture.url().port());
        QTRY_COMPARE(silent.state(), QAbstractSocket::ConnectedState);
        QTRY_COMPARE_WITH_TIMEOUT(silent.state(), QAbstractSocket::UnconnectedState, 10000);
    }
    void aTurnTraceRecordsWhatTheTurnsDid()
    {
        // Off unless asked for; while on, every turn is a line: live strokes read, relayed and written show up.
        QVERIFY(!server::TurnTrace::active());
        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        const QString path = dir.filePath(u"turns.tsv"_s);
        {
            server::TurnTrace trace(path);
            QCOMPARE(server::TurnTrace::active(), &trace);
            ServerFixture fixture;
            QVERIFY(fixture.start());
            TestClient ann(u"client-ann-0001"_s, u"Ann"_s);
            TestClient bob(u"client-bob-0002"_s, u"Bob"_s);
            QVERIFY(ann.join(fixture.url(), u"traced"_s));
            QVERIFY(bob.join(fixture.url(), u"traced"_s));
            for (int i = 0; i < 20; ++i) {
                proto::Live live;
                live.id = u"stroke-1"_s;
                live.from = quint32(i);
                live.points = {QPointF(i, i)};
                ann.send(live);
            }
            QVERIFY(bob.waitFor<proto::Live>(20));
        }
        QVERIFY(!server::TurnTrace::active());
        QFile file(path);
        QVERIFY(file.open(QIODevice::ReadOnly));
        const QList<QByteArray> lines = file.readAll().trimmed().split('\n');
        QCOMPARE(lines.constFirst(),
                 "start_us\twait_us\tbusy_us\tready\tmessages\tbytes_in\tdeliveries\twrites\tbytes_out");
        QVERIFY(lines.size() > 2);
        qint64 messages = 0, deliveries = 0, writes = 0, bytesOut = 0;
        for (qsizetype i = 1; i < lines.size(); ++i) {
            const QList<QByteArray> fields = lines.at(i).split('\t');
            QCOMPARE(fields.size(), 9);
            messages += fields.at(4).toLongLong();
            deliveries += fields.at(6).toLongLong();
            writes += fields.at(7).toLongLong();
            bytesOut += fields.at(8).toLongLong();
        }
        QVERIFY2(messages >= 22, qPrintable(QString::number(messages))); // two hellos, twenty lives
        QVERIFY2(deliveries >= 20, qPrintable(QString::number(deliveries)));
        QVERIFY(writes >= 1);
        QVERIFY(bytesOut > 20 * 50);
    }
};

int main(int argc, char *argv[])
{
    QCoreApplication::setEventDispatcher(server::EpollDispatcher::create());
    QCoreApplication app(argc, argv);
    TestServerDispatcher test;
    return QTest::qExec(&test, argc, argv);
}

#include "tst_server_dispatcher.moc"
