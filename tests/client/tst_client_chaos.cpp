// Randomized runs: several clients change the board and chat while the proxy cuts, stalls, delays, splits and
// half-opens their links, clients crash and come back from their journals, and the server is stopped, killed and
// restarted on its data. At the end every client shows the same board and the same chat, and every change made
// is in the room's log exactly once, in one order.
//
// INKROOM_CHAOS_SEED=n repeats a run; INKROOM_CHAOS_RUNS=n sets how many runs (default 3).
#include "chaosactions.h"
#include "faultproxy.h"
#include "serverfixture.h"
#include "session.h"
#include "testutil.h"

#include <QRandomGenerator>
#include <QTemporaryDir>
#include <QTest>

#include <memory>

using namespace Qt::StringLiterals;
using namespace inkroom;
using namespace inkroom::client;
using namespace inkroom::test;

namespace {

constexpr int kSettleMs = 40000;
const QString kRoom = u"chaos"_s;

struct Player
{
    QString name;
    std::unique_ptr<FaultProxy> proxy;
    std::unique_ptr<QTemporaryDir> stateDir; //!< players with a journal may crash
    std::unique_ptr<Session> session;
    qint64 healAt = -1; //!< when a temporary fault ends (ms into the run)
};

} // namespace

class TestChaos : public QObject
{
    Q_OBJECT

    //! Items drawn while a journal opened get their real ids then, also in a session that is going away.
    QHash<QString, QString> m_renamed;

    void startSession(Player &player)
    {
        player.session = std::make_unique<Session>();
        connect(player.session.get(), &Session::itemsRenamed, this,
                [this](const QHash<QString, QString> &ids) { m_renamed.insert(ids); });
        Timings t = fastTimings();
        t.backoffMaxMs = 300;
        player.session->setTimings(t);
        player.session->setStateDirectory(player.stateDir ? player.stateDir->path() : QString());
        player.session->join(player.proxy->url(), kRoom, player.name, QColor(u"#8e24aa"_s));
    }

    void heal(Player &player)
    {
        player.proxy->setStalled(false);
        player.proxy->setHalfOpen(false);
        player.proxy->setRefuse(false);
        player.proxy->setDelay(0);
        player.proxy->setSplit(0);
        player.healAt = -1;
    }

    void run(quint32 seed, int runIndex)
    {
        QRandomGenerator rng(seed);
        ServerFixture server([](server::ServerConfig &config) { config.compactEvery = 50; });
        QVERIFY(server.start());

        // The observer stays on a direct link for the whole run and records the room's log as it sees it.
        Session observer;
        observer.setTimings(fastTimings());
        QHash<QString, int> addsSeen; // item id -> how many add ops the log holds for it (undo may add it again)
        QHash<QString, int> chatsSeen;
        QHash<QString, int> opsSeen; // "client/cseq" -> how many times the log holds that op
        quint64 lastSeq = 0;
        bool ordered = true;
        connect(&observer, &Session::opApplied, this, [&](const proto::Op &op, bool) {
            ordered = ordered && op.seq > lastSeq;
            lastSeq = op.seq;
            ++opsSeen[op.client + u'/' + QString::number(op.cseq)];
            if (op.kind == proto::OpKind::Add)
                ++addsSeen[op.item.id];
            else if (op.kind == proto::OpKind::Chat)
                ++chatsSeen[op.text];
        });
        observer.join(server.url(), kRoom, u"Observer"_s, Qt::gray);
        QTRY_COMPARE_WITH_TIMEOUT(observer.state(), Session::Online, 10000);

        std::vector<Player> players(4);
        for (int i = 0; i < int(players.size()); ++i) {
            Player &p = players[size_t(i)];
            p.name = u"P%1"_s.arg(i);
            p.proxy = std::make_unique<FaultProxy>();
            QVERIFY(p.proxy->listen(server.port()));
            if (i < 2)
                p.stateDir = std::make_unique<QTemporaryDir>();
            startSession(p);
        }

        ChangesMade made;
        int faults = 0;
        int crashes = 0;
        int restarts = 0;
        qint64 serverBackAt = -1;
        QElapsedTimer clock;
        clock.start();
        const int steps = 350;
        for (int step = 0; step < steps; ++step) {
            const qint64 now = clock.elapsed();
            for (Player &p : players) {
                if (p.healAt >= 0 && now >= p.healAt)
                    heal(p);
            }
            if (serverBackAt >= 0 && now >= serverBackAt) {
                QVERIFY(server.start(server.port()));
                serverBackAt = -1;
            }

            Player &p = players[rng.bounded(quint32(players.size()))];
            Session &s = *p.session;
            const int roll = int(rng.bounded(100));
            if (roll < 78) {
                makeRandomChange(s, rng, &made);
            } else if (roll < 94) {
                // A fault on this player's link.
                ++faults;
                const qint64 healIn = injectRandomFault(*p.proxy, rng);
                if (healIn >= 0)
                    p.healAt = now + healIn;
            } else if (roll < 97) {
                // A client crashes and comes back from its journal.
                if (p.stateDir) {
                    ++crashes;
                    p.session.reset();
                    startSession(p);
                }
            } else if (server.isRunning() && restarts < 3) {
                // The server goes away (cleanly or not) and comes back on its data a moment later.
                ++restarts;
                if (rng.bounded(2))
                    server.stop();
                else
                    server.kill();
                serverBackAt = now + 100 + rng.bounded(800);
            }
            QTest::qWait(int(rng.bounded(25)));
        }

        // Heal everything and let the room settle.
        if (!server.isRunning())
            QVERIFY(server.start(server.port()));
        for (Player &p : players) {
            heal(p);
            p.session->setTyping(false);
        }
        QList<Session *> everyone {&observer};
        for (Player &p : players)
            everyone << p.session.get();
        const auto settled = [&everyone] {
            for (Session *s : everyone) {
                if (s->state() != Session::Online || s->pendingCount() != 0
                    || s->board()->confirmed().seq() != everyone.first()->board()->confirmed().seq())
                    return false;
            }
            return true;
        };
        if (!QTest::qWaitFor(settled, kSettleMs)) {
            for (Session *s : everyone)
                qWarning() << s->name() << s->state() << s->statusText() << s->pendingCount()
                           << s->board()->confirmed().seq();
            QFAIL("the room did not settle");
        }
        // A late joiner takes a snapshot of the same room.
        Session late;
        late.setTimings(fastTimings());
        late.join(server.url(), kRoom, u"Late"_s, Qt::gray);
        QTRY_COMPARE_WITH_TIMEOUT(late.state(), Session::Online, 10000);
        QTRY_COMPARE_WITH_TIMEOUT(late.board()->confirmed().seq(), observer.board()->confirmed().seq(), 10000);

        qInfo("run %d seed %u: %d steps, %d chats, %d adds, %d faults, %d crashes, %d server restarts, head %llu, "
              "%lld ms",
              runIndex, seed, steps, int(made.chats.size()), int(made.adds.size()), faults, crashes, restarts,
              observer.board()->confirmed().seq(), clock.elapsed());

        // The same board everywhere, to the bit, and the same chat in the same order.
        const QByteArray digest = observer.board()->confirmed().digest();
        const QStringList chat = chatLines(observer);
        for (Session *s : everyone) {
            QVERIFY2(s->board()->confirmed().digest() == digest, qPrintable(s->name()));
            QCOMPARE(s->board()->pendingOpCount(), 0);
            QCOMPARE(chatLines(*s), chat);
        }
        QCOMPARE(late.board()->confirmed().digest(), digest);
        // Every change made is in the log exactly once, in one increasing order.
        QVERIFY(ordered);
        QCOMPARE(chatsSeen.size(), made.chats.size());
        for (const QString &text : std::as_const(made.chats))
            QVERIFY2(chatsSeen.value(text) == 1, qPrintable(u"%1: %2 times"_s.arg(text).arg(chatsSeen.value(text))));
        for (const QString &added : std::as_const(made.adds)) {
            // An item drawn while its player's journal was opening got its real id a moment later.
            const QString id = m_renamed.value(added, added);
            QVERIFY2(addsSeen.value(id) >= 1, qPrintable(id));
        }
        for (auto it = opsSeen.cbegin(); it != opsSeen.cend(); ++it)
            QVERIFY2(it.value() == 1, qPrintable(u"op %1: %2 times"_s.arg(it.key()).arg(it.value())));
        QCOMPARE(quint64(opsSeen.size()), observer.board()->confirmed().seq()); // one op per seq, none missing
        QCOMPARE(chat.size(), made.chats.size());
    }

private Q_SLOTS:
    void everyClientEndsWithTheSameRoom()
    {
        runSeeded(u"INKROOM_CHAOS"_s, 3, [this](quint32 seed, int number) { run(seed, number); });
    }
};

QTEST_GUILESS_MAIN(TestChaos)
#include "tst_client_chaos.moc"
