// Failover end to end (issue 17, item 3): two real inkroom-server nodes on one private PostgreSQL serve one room; a
// client joined by both addresses is on node A with changes in flight when A is SIGKILLed; it moves to node B by
// itself and every change is acknowledged exactly once, in one order that an observer on B sees too.
#include "postgresfixture.h"
#include "session.h"
#include "testutil.h"

#include <QProcess>
#include <QRegularExpression>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

using namespace Qt::StringLiterals;
using namespace inkroom;
using namespace inkroom::client;
using namespace inkroom::test;

namespace {

constexpr int kWait = 30000;
const QString kRoom = u"nodes"_s;

//! One node: the real inkroom-server, as an operator starts it, on the shared database.
class Node
{
public:
    ~Node() { kill(); }

    bool start(const QString &dataDir, const QString &store)
    {
        m_process.setProgram(QStringLiteral(INKROOM_SERVER_EXE));
        m_process.setArguments({u"--bind"_s, u"localhost"_s, u"--port"_s, u"0"_s, u"--data-dir"_s, dataDir,
                                u"--insecure"_s, u"--no-announce"_s, u"--store"_s, store, u"--rate"_s, u"100000"_s,
                                u"--burst"_s, u"100000"_s});
        m_process.start();
        if (!m_process.waitForStarted())
            return false;
        static const QRegularExpression address(u"ws://127\\.0\\.0\\.1:(\\d+)"_s);
        QRegularExpressionMatch match;
        QElapsedTimer clock;
        clock.start();
        while (!match.hasMatch() && m_process.state() == QProcess::Running && clock.elapsed() < kWait) {
            m_process.waitForReadyRead(100);
            m_output += QString::fromUtf8(m_process.readAllStandardOutput());
            match = address.match(m_output);
        }
        if (!match.hasMatch()) {
            qWarning().noquote() << "node did not start:" << m_output << m_process.readAllStandardError();
            return false;
        }
        m_url = QUrl(u"ws://127.0.0.1:"_s + match.captured(1));
        return true;
    }
    [[nodiscard]] QUrl url() const { return m_url; }
    //! SIGKILL: no flush, no goodbye.
    void kill()
    {
        if (m_process.state() == QProcess::NotRunning)
            return;
        m_process.kill();
        m_process.waitForFinished();
    }

private:
    QProcess m_process;
    QString m_output;
    QUrl m_url;
};

} // namespace

class TestNodes : public QObject
{
    Q_OBJECT

    PostgresServer m_postgres;
    QTemporaryDir m_dir;

private Q_SLOTS:
    void initTestCase()
    {
        QString why;
        // A missing PostgreSQL fails the test with the reason (CI installs it): never a silent skip.
        QVERIFY2(m_postgres.start(&why), qPrintable(why));
    }

    void theClientOfAKilledNodeCarriesOnThroughTheOther()
    {
        QString why;
        const QString store = m_postgres.createDatabase(&why);
        QVERIFY2(!store.isEmpty(), qPrintable(why));
        Node a;
        Node b;
        QVERIFY(a.start(m_dir.filePath(u"a"_s), store));
        QVERIFY(b.start(m_dir.filePath(u"b"_s), store));

        // The observer is on node B all along: what the room committed, in its order.
        Session observer;
        observer.setTimings(fastTimings());
        QList<proto::Op> seen;
        connect(&observer, &Session::opApplied, this, [&seen](const proto::Op &op, bool) {
            if (op.kind == proto::OpKind::Chat)
                seen.append(op);
        });
        observer.join(b.url(), kRoom, u"Observer"_s, Qt::gray);
        QTRY_COMPARE_WITH_TIMEOUT(observer.state(), Session::Online, kWait);

        Session ann;
        ann.setTimings(fastTimings());
        ann.setStateDirectory(m_dir.filePath(u"ann"_s));
        // Each change of Ann's is settled once: by its ack, or (when the ack died with node A) by the catch-up that
        // shows it committed. Either way it joins her confirmed board once, at its seq.
        QStringList settled;
        QSet<quint64> seqs;
        // Node A dies the moment the first of them is acknowledged: the rest are in flight or waiting.
        int acks = 0;
        int waitingAtKill = 0;
        connect(&ann, &Session::acknowledged, this, [&acks, &a, &ann, &waitingAtKill] {
            if (++acks == 1) {
                a.kill();
                waitingAtKill = ann.pendingCount();
            }
        });
        connect(&ann, &Session::opApplied, this, [&settled, &seqs](const proto::Op &op, bool own) {
            if (own && op.kind == proto::OpKind::Chat) {
                settled << op.text;
                seqs.insert(op.seq);
            }
        });
        ann.join(QList<QUrl> {a.url(), b.url()}, kRoom, u"Ann"_s, Qt::red);
        QTRY_COMPARE_WITH_TIMEOUT(ann.state(), Session::Online, kWait);
        QCOMPARE(ann.serverUrl(), a.url());

        QStringList sent;
        for (int i = 1; i <= 60; ++i) {
            sent << u"change %1"_s.arg(i);
            QVERIFY(ann.sendChat(sent.last()));
        }
        QTRY_VERIFY_WITH_TIMEOUT(acks > 0, kWait);
        qInfo("node A killed with %d changes unacknowledged", waitingAtKill);
        QVERIFY(waitingAtKill > 0);
        for (int i = 61; i <= 80; ++i) { // made while moving
            sent << u"change %1"_s.arg(i);
            QVERIFY(ann.sendChat(sent.last()));
        }

        QTRY_COMPARE_WITH_TIMEOUT(ann.serverUrl(), b.url(), kWait);
        QTRY_COMPARE_WITH_TIMEOUT(ann.state(), Session::Online, kWait);
        QTRY_COMPARE_WITH_TIMEOUT(ann.pendingCount(), 0, kWait);
        QCOMPARE(ann.refusals()->rowCount(), 0);
        // Every change settled exactly once, each at a seq of its own, in the order it was made.
        QTRY_COMPARE_WITH_TIMEOUT(settled.size(), sent.size(), kWait);
        QCOMPARE(settled, sent);
        QCOMPARE(seqs.size(), sent.size());
        // The room has each once, in the order they were made, as node B's observer saw it.
        QTRY_COMPARE_WITH_TIMEOUT(seen.size(), sent.size(), kWait);
        QStringList texts;
        for (const proto::Op &op : seen)
            texts << op.text;
        QCOMPARE(texts, sent);
        for (qsizetype i = 1; i < seen.size(); ++i)
            QVERIFY(seen.at(i).seq > seen.at(i - 1).seq);
    }
};

QTEST_GUILESS_MAIN(TestNodes)
#include "tst_client_nodes.moc"
