// The client paces its ops by the server's byte rate (welcome.opByteRate and opByteBurst, docs/PROTOCOL.md
// "Pacing"): a board of large strokes sent to a server with a small byte budget arrives exactly once and nothing is
// refused, not even for the moment; and so it is when inkroom-cli (the same core) is killed with SIGKILL half way and
// started again on its journal.
#include "cliprocess.h"
#include "serverfixture.h"
#include "session.h"
#include "testutil.h"

#include <QTemporaryDir>
#include <QTest>

using namespace Qt::StringLiterals;
using namespace inkroom;
using namespace inkroom::client;
using namespace inkroom::test;

namespace {

const QString kRoom = u"pacing"_s;
constexpr int kPoints = 10000; //!< about 200 KB a stroke
constexpr int kStrokes = 20; //!< about 4 MB: four times the burst below

//! 512 KiB of ops a second, bursts of 1 MiB (the least a server allows: the largest message).
void smallByteBudget(server::ServerConfig &config)
{
    config.opKibPerSecond = 512;
    config.opBurstKib = 1024;
}

//! Stroke n's points: it starts at x = n, so the board tells the strokes apart.
QList<QPointF> strokePoints(int n)
{
    QList<QPointF> points;
    points.reserve(kPoints);
    for (int i = 0; i < kPoints; ++i)
        points.append(QPointF(n + (i % 1000) * 0.37, 100 + i * 0.013));
    return points;
}

//! A member who counts the strokes the room commits, by the number each starts at.
class Observer
{
public:
    explicit Observer(const QUrl &url)
    {
        session.setTimings(fastTimings());
        QObject::connect(&session, &Session::opApplied, [this](const proto::Op &op, bool) {
            if (op.kind == proto::OpKind::Add && op.item.kind == proto::ItemKind::Stroke && !op.item.points.isEmpty())
                ++strokes[int(op.item.points.constFirst().x())];
        });
        session.join(url, kRoom, u"Observer"_s, Qt::gray);
    }
    //! Every stroke 1..count seen, none twice (and nothing else).
    [[nodiscard]] QString problem(int count) const
    {
        for (int n = 1; n <= count; ++n) {
            if (strokes.value(n) != 1)
                return u"stroke %1 committed %2 times"_s.arg(n).arg(strokes.value(n));
        }
        if (strokes.size() != count)
            return u"%1 different strokes, not %2"_s.arg(strokes.size()).arg(count);
        return {};
    }
    [[nodiscard]] int seen() const { return int(strokes.size()); }

    Session session;
    QHash<int, int> strokes;
};

} // namespace

class TestPacing : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void aBoardOfLargeStrokesGoesOutAtTheByteRateWithNothingRefused()
    {
        ServerFixture server(smallByteBudget);
        QVERIFY(server.start());
        Observer observer(server.url());
        Session writer;
        writer.setTimings(fastTimings());
        int deferred = 0;
        int rejected = 0;
        QStringList codes;
        connect(&writer, &Session::changeDeferred, this, [&](quint64, const QString &code) {
            ++deferred;
            codes.append(code);
        });
        connect(&writer, &Session::changeRejected, this,
                [&](quint64, const QString &, const QString &code, const QString &) {
                    ++rejected;
                    codes.append(code);
                });
        writer.join(server.url(), kRoom, u"Writer"_s, Qt::red);
        QTRY_COMPARE_WITH_TIMEOUT(writer.state(), Session::Online, 10000);
        QTRY_COMPARE_WITH_TIMEOUT(observer.session.state(), Session::Online, 10000);

        // All at once, as a paste would: more than the server takes in a burst.
        qint64 bytes = 0;
        for (int n = 1; n <= kStrokes; ++n) {
            proto::Item item = strokeItem({}, 1);
            item.points = strokePoints(n);
            QVERIFY(!writer.addItem(item).isEmpty());
            proto::Op op;
            op.kind = proto::OpKind::Add;
            op.cseq = quint64(n);
            op.item = item;
            bytes += proto::encode(op).size();
        }
        QVERIFY2(bytes > 3 * 1024 * 1024, qPrintable(QString::number(bytes)));
        QVERIFY(QTest::qWaitFor([&] { return observer.seen() >= kStrokes && writer.pendingCount() == 0; }, 60000));
        QTest::qWait(100);
        QVERIFY2(observer.problem(kStrokes).isEmpty(), qPrintable(observer.problem(kStrokes)));
        // Never refused, not even for the moment: the writer kept to the byte rate.
        QVERIFY2(deferred == 0 && rejected == 0, qPrintable(codes.join(u", "_s)));
    }

    void killedHalfWayItSendsTheRestOnceAfterARestart()
    {
        ServerFixture server(smallByteBudget);
        QVERIFY(server.start());
        Observer observer(server.url());
        QTRY_COMPARE_WITH_TIMEOUT(observer.session.state(), Session::Online, 10000);
        QTemporaryDir state;
        const QStringList arguments {u"--server"_s, server.url().toString(), u"--room"_s, kRoom, u"--name"_s,
                                     u"Writer"_s,   u"--state-dir"_s,        state.path()};

        QStringList lines;
        for (int n = 1; n <= kStrokes; ++n) {
            QString line = u"/stroke"_s;
            for (const QPointF &point : strokePoints(n))
                line += u' ' + QString::number(point.x()) + u' ' + QString::number(point.y());
            lines.append(line);
        }
        auto first = std::make_unique<CliProcess>(QStringLiteral(INKROOM_CLI_EXE), arguments);
        first->write(lines);
        // Every stroke in the journal, a few acknowledged, the rest waiting for the byte rate: killed.
        const auto lastSaved = [&first] {
            qint64 saved = 0;
            for (const QJsonObject &e : first->events(u"saved"_s))
                saved = std::max<qint64>(saved, e.value("cseq"_L1).toInteger());
            return saved;
        };
        const auto lastQueued = [&first] {
            qint64 queued = 0;
            for (const QJsonObject &e : first->events(u"queued"_s))
                queued = std::max<qint64>(queued, e.value("cseq"_L1).toInteger());
            return queued;
        };
        QVERIFY2(
            QTest::qWaitFor(
                [&] { return first->events(u"queued"_s).size() >= kStrokes && lastSaved() >= lastQueued(); }, 30000),
            qPrintable(first->errors()));
        QVERIFY(QTest::qWaitFor([&first] { return first->events(u"ack"_s).size() >= 3; }, 30000));
        const qsizetype ackedBeforeTheKill = first->events(u"ack"_s).size();
        first->kill();
        QVERIFY2(ackedBeforeTheKill < kStrokes, "everything went before the kill: nothing was paced");
        QCOMPARE(first->events(u"deferred"_s).size(), 0);
        QCOMPARE(first->events(u"reject"_s).size(), 0);
        first.reset();

        // Started again on its journal, with nothing more to say: it sends what is left and exits once it is acked.
        CliProcess second(QStringLiteral(INKROOM_CLI_EXE), arguments);
        second.closeInput();
        QVERIFY2(second.waitForExit(90000), qPrintable(second.errors()));
        QCOMPARE(second.exitCode(), 0);
        QCOMPARE(second.events(u"deferred"_s).size(), 0);
        QCOMPARE(second.events(u"reject"_s).size(), 0);
        QVERIFY(QTest::qWaitFor([&] { return observer.seen() >= kStrokes; }, 30000));
        QTest::qWait(100);
        QVERIFY2(observer.problem(kStrokes).isEmpty(), qPrintable(observer.problem(kStrokes)));
    }
};

QTEST_GUILESS_MAIN(TestPacing)
#include "tst_client_pacing.moc"
