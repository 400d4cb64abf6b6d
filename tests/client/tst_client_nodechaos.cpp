// The chaos run across three nodes (issue 17, item 5): three real inkroom-server nodes on one private PostgreSQL
// serve one room. Six clients (client::Session with journals), each given all three addresses in an order of its own,
// three on direct links and three through fault proxies (one proxy per node), and an inkroom-cli process, draw and
// chat without pause while nodes are SIGKILLed and started again, proxy links are cut, stalled, delayed, split and
// left half-open, sessions crash and come back from their journals, and the cli is SIGKILLed and started again on its
// journal. A link stalled towards its node for longer than the client waits holds changes the client then sends to
// another node; they reach the old node when the stall ends, so two nodes are given the same changes. (With the
// server's dedupe and the log's (room, client, cseq) key taken out, 4 runs of 4 failed: "... is in the log twice".)
// At the end:
//   - every client holds the same board (to the bit) and the same chat, and so does a newcomer on each node;
//   - every client lists the six players as the room's members, whichever node each is on;
//   - the database's log of the room holds seq 1 to head with no gap, each (client, cseq) once;
//   - every acknowledgement a client got names the seq at which the log holds exactly that client's cseq;
//   - every change a client numbered is in the log or was refused (shown to its user), never both and never neither,
//     and the log holds nothing nobody numbered;
//   - every line the cli saved to its journal is in the room exactly once, and every line typed to its last run.
//
// INKROOM_NODECHAOS_SEED=n repeats a run; INKROOM_NODECHAOS_RUNS=n sets how many runs (default 1).
#include "chaosactions.h"
#include "cliprocess.h"
#include "faultproxy.h"
#include "postgresfixture.h"
#include "session.h"
#include "testutil.h"

#include <QElapsedTimer>
#include <QJsonDocument>
#include <QProcess>
#include <QRandomGenerator>
#include <QRegularExpression>
#include <QTemporaryDir>
#include <QTest>

#include <memory>
#include <vector>

using namespace Qt::StringLiterals;
using namespace inkroom;
using namespace inkroom::client;
using namespace inkroom::test;

namespace {

constexpr int kStartMs = 30000;
constexpr int kSettleMs = 60000;
const QString kRoom = u"nodechaos"_s;

//! One node: the real inkroom-server on the shared database. Started again after a SIGKILL on the same port, so the
//! addresses clients hold stay right; a restart does not wait (the test's clients keep running meanwhile).
class Node
{
public:
    ~Node() { kill(); }

    bool start(const QString &dataDir, const QString &store)
    {
        m_dataDir = dataDir;
        m_store = store;
        launch();
        static const QRegularExpression address(u"ws://127\\.0\\.0\\.1:(\\d+)"_s);
        QRegularExpressionMatch match;
        QElapsedTimer clock;
        clock.start();
        while (!match.hasMatch() && isRunning() && clock.elapsed() < kStartMs) {
            m_process->waitForReadyRead(100);
            read();
            match = address.match(m_current);
        }
        if (!match.hasMatch()) {
            qWarning().noquote() << "node did not start:" << m_log;
            return false;
        }
        m_port = quint16(match.captured(1).toUInt());
        return true;
    }
    //! Start it again on its port and data directory, without waiting for it.
    void restart()
    {
        kill();
        launch();
    }
    //! SIGKILL: no flush, no goodbye.
    void kill()
    {
        if (!isRunning())
            return;
        m_process->kill();
        m_process->waitForFinished();
        read();
    }
    [[nodiscard]] bool isRunning() const { return m_process && m_process->state() != QProcess::NotRunning; }
    //! Up and listening; a start that failed (its port not free yet after the kill) is tried again.
    bool waitUntilListening()
    {
        return QTest::qWaitFor(
            [this] {
                if (!isRunning())
                    restart();
                read();
                return m_current.contains(u"Listening on port"_s);
            },
            kStartMs);
    }
    [[nodiscard]] QUrl url() const { return QUrl(u"ws://127.0.0.1:%1"_s.arg(m_port)); }
    //! What every run of it printed (the end of it), for a failure's story.
    [[nodiscard]] QString log() const { return m_log.right(20000); }

private:
    void launch()
    {
        m_current.clear();
        m_process = std::make_unique<QProcess>();
        m_process->setProgram(QStringLiteral(INKROOM_SERVER_EXE));
        m_process->setArguments({u"--bind"_s, u"localhost"_s, u"--port"_s, QString::number(m_port), u"--data-dir"_s,
                                 m_dataDir, u"--insecure"_s, u"--no-announce"_s, u"--store"_s, m_store, u"--rate"_s,
                                 u"100000"_s, u"--burst"_s, u"100000"_s});
        m_process->setProcessChannelMode(QProcess::MergedChannels);
        m_process->start();
        m_process->waitForStarted();
    }
    void read()
    {
        const QString more = QString::fromUtf8(m_process->readAll());
        m_current += more;
        m_log += more;
    }

    std::unique_ptr<QProcess> m_process;
    QString m_dataDir;
    QString m_store;
    quint16 m_port = 0;
    QString m_current; //!< what this run printed
    QString m_log;
};

struct Player
{
    QString name;
    QList<QUrl> urls; //!< all three nodes, in this player's order
    std::vector<std::unique_ptr<FaultProxy>> proxies; //!< one per node; empty: direct links
    QTemporaryDir stateDir;
    std::unique_ptr<Session> session;
    QString clientId;
    qint64 healAt = -1; //!< when a temporary fault ends (ms into the run)
};

//! An acknowledgement a client got: the log must hold exactly client's cseq at seq.
struct Acked
{
    QString client;
    quint64 cseq = 0;
    quint64 seq = 0;
};

//! One row of the room's log in the database.
struct Logged
{
    quint64 seq = 0;
    QString client;
    quint64 cseq = 0;
    QString kind;
    QString text; //!< chat: its text; add: the item's id
};

} // namespace

class TestNodeChaos : public QObject
{
    Q_OBJECT

    PostgresServer m_postgres;

    // What the clients said, over every session and process of the run, by client id.
    QHash<QString, QSet<quint64>> m_numbered;
    QHash<QString, QSet<quint64>> m_refused;
    QList<Acked> m_acks;
    QHash<QString, QString> m_renamed; //!< items drawn while a journal opened get their real ids then

    void startSession(Player &player)
    {
        player.session = std::make_unique<Session>();
        Session *s = player.session.get();
        connect(s, &Session::itemsRenamed, this, [this](const QHash<QString, QString> &ids) { m_renamed.insert(ids); });
        connect(s, &Session::changeQueued, this,
                [this, s](const proto::Op &op) { m_numbered[s->clientId()] << op.cseq; });
        connect(s, &Session::acknowledged, this, [this, s](quint64 cseq, quint64 seq) {
            m_acks.append({s->clientId(), cseq, seq});
        });
        connect(s, &Session::changeRejected, this, [this, s](quint64 cseq) { m_refused[s->clientId()] << cseq; });
        Timings t = fastTimings();
        t.backoffMaxMs = 300;
        s->setTimings(t);
        s->setStateDirectory(player.stateDir.path());
        s->join(player.urls, kRoom, player.name, QColor(u"#8e24aa"_s));
    }

    static void heal(Player &player)
    {
        for (const auto &proxy : player.proxies) {
            proxy->setStalled(false);
            proxy->setHalfOpen(false);
            proxy->setRefuse(false);
            proxy->setDelay(0);
            proxy->setSplit(0);
        }
        player.healAt = -1;
    }

    /** A fault on one of a proxied player's links (mostly the one it is on). Returns true when the player's changes
     *  now wait in a stalled link to a node the player will give up on: the player keeps making changes, sends them
     *  again to another node, and the stalled ones reach the old node later (a resend the nodes must not store
     *  twice). */
    static bool fault(Player &player, QRandomGenerator &rng, qint64 now)
    {
        FaultProxy *proxy = player.proxies.at(rng.bounded(quint32(player.proxies.size()))).get();
        const bool stallToServer = rng.bounded(4) == 0;
        for (const auto &candidate : player.proxies) {
            if (candidate->url() == player.session->serverUrl() && (stallToServer || rng.bounded(10) < 7))
                proxy = candidate.get();
        }
        if (stallToServer) {
            proxy->setStalled(true, FaultProxy::ToServer);
            player.healAt = now + 1200 + rng.bounded(1300);
            return true;
        }
        const qint64 healIn = injectRandomFault(*proxy, rng);
        if (healIn >= 0)
            player.healAt = now + healIn;
        return false;
    }

    //! The room's log as the database holds it, in seq order; *head and *logStart from the room's row.
    bool readLog(const QString &store, QList<Logged> *log, quint64 *head, quint64 *logStart)
    {
        const QString database = QUrl(store).path().mid(1);
        QString output;
        if (!m_postgres.psql(database, u"SELECT head, log_start FROM rooms WHERE name = '%1'"_s.arg(kRoom), &output))
            return false;
        const QStringList row = output.trimmed().split(u'|');
        if (row.size() != 2)
            return false;
        *head = row.at(0).toULongLong();
        *logStart = row.at(1).toULongLong();
        if (!m_postgres.psql(database,
                             u"SELECT seq, client, cseq, kind, CASE WHEN kind = 'chat' THEN "
                             "convert_from(body, 'UTF8')::json ->> 'text' WHEN kind = 'add' THEN convert_from(body, "
                             "'UTF8')::json -> "
                             "'item' ->> 'id' ELSE '' END FROM ops WHERE room = "
                             "(SELECT id FROM rooms WHERE name = '%1') ORDER BY seq"_s.arg(kRoom),
                             &output))
            return false;
        for (const QString &line : output.split(u'\n', Qt::SkipEmptyParts)) {
            const QStringList f = line.split(u'|');
            if (f.size() != 5)
                return false;
            log->append({f.at(0).toULongLong(), f.at(1), f.at(2).toULongLong(), f.at(3), f.at(4)});
        }
        return true;
    }

    void run(quint32 seed, int runIndex)
    {
        m_numbered.clear();
        m_refused.clear();
        m_acks.clear();
        m_renamed.clear();
        QRandomGenerator rng(seed);
        QString why;
        const QString store = m_postgres.createDatabase(&why);
        QVERIFY2(!store.isEmpty(), qPrintable(why));
        QTemporaryDir dir;
        std::vector<std::unique_ptr<Node>> nodes;
        QList<QUrl> nodeUrls;
        for (int i = 0; i < 3; ++i) {
            nodes.push_back(std::make_unique<Node>());
            QVERIFY(nodes.back()->start(dir.filePath(u"node%1"_s.arg(i)), store));
            nodeUrls << nodes.back()->url();
        }

        // Six players: 0-2 on direct links, 3-5 through a proxy per node; each starts with a node of its own.
        std::vector<std::unique_ptr<Player>> players;
        for (int i = 0; i < 6; ++i) {
            auto p = std::make_unique<Player>();
            p->name = u"P%1"_s.arg(i);
            QList<QUrl> direct;
            for (int n = 0; n < 3; ++n)
                direct << nodeUrls.at((i + n) % 3);
            if (i < 3) {
                p->urls = direct;
            } else {
                for (const QUrl &url : direct) {
                    p->proxies.push_back(std::make_unique<FaultProxy>());
                    QVERIFY(p->proxies.back()->listen(quint16(url.port())));
                    p->urls << p->proxies.back()->url();
                }
            }
            startSession(*p);
            players.push_back(std::move(p));
        }
        for (const auto &p : players) {
            QTRY_COMPARE_WITH_TIMEOUT(p->session->state(), Session::Online, kStartMs);
            p->clientId = p->session->clientId();
        }

        // The cli writer: lines typed to a real process on a journal of its own, SIGKILLed now and then.
        QTemporaryDir cliState;
        QStringList cliArguments {u"--room"_s, kRoom, u"--name"_s, u"Cli"_s, u"--state-dir"_s, cliState.path()};
        for (int n = 0; n < 3; ++n)
            cliArguments << u"--server"_s << nodeUrls.at((2 + n) % 3).toString();
        std::unique_ptr<CliProcess> cli = std::make_unique<CliProcess>(QStringLiteral(INKROOM_CLI_EXE), cliArguments);
        QList<QList<QJsonObject>> cliRuns; // what each run printed, for the checks
        int cliLines = 0;
        int cliKills = 0;
        const auto endCli = [&](bool kill) {
            if (kill)
                cli->kill();
            cliRuns.append(cli->events());
            cli.reset();
        };

        ChangesMade made;
        int faults = 0;
        int crashes = 0;
        int nodeKills = 0;
        int down = -1; // the node that is down, if any
        qint64 nodeBackAt = -1;
        QElapsedTimer clock;
        clock.start();
        const int steps = 700;
        for (int step = 0; step < steps; ++step) {
            const qint64 now = clock.elapsed();
            for (const auto &p : players) {
                if (p->healAt >= 0 && now >= p->healAt)
                    heal(*p);
            }
            if (down >= 0 && now >= nodeBackAt)
                down = -1;
            // A node is back a moment after its kill (and tried again when its port was not free yet).
            for (int n = 0; n < int(nodes.size()); ++n) {
                if (n != down && !nodes.at(size_t(n))->isRunning())
                    nodes.at(size_t(n))->restart();
            }

            const int roll = int(rng.bounded(1000));
            if (roll < 15 && down < 0 && nodeKills < 6) {
                // A node dies: its clients move to the others; it comes back on its port a moment later.
                down = int(rng.bounded(3));
                nodes.at(size_t(down))->kill();
                nodeBackAt = now + 300 + rng.bounded(1500);
                ++nodeKills;
            } else if (roll < 25 && cliKills < 3) {
                ++cliKills;
                endCli(true);
                cli = std::make_unique<CliProcess>(QStringLiteral(INKROOM_CLI_EXE), cliArguments);
            } else if (roll < 120) {
                cli->write(u"Cli line %1"_s.arg(++cliLines));
            } else {
                Player &p = *players.at(rng.bounded(quint32(players.size())));
                const int what = int(rng.bounded(100));
                if (what < 16 && !p.proxies.empty()) {
                    ++faults;
                    if (fault(p, rng, now)) {
                        for (int i = 0; i < 3; ++i)
                            sendNumberedChat(*p.session, &made);
                    }
                } else if (what < 19) {
                    // The session crashes and comes back from its journal.
                    ++crashes;
                    p.session.reset();
                    startSession(p);
                } else {
                    makeRandomChange(*p.session, rng, &made);
                }
            }
            QTest::qWait(int(rng.bounded(25)));
        }

        const qint64 stepsDoneAt = clock.elapsed();
        // Heal everything and let the room settle.
        for (const auto &node : nodes)
            QVERIFY2(node->waitUntilListening(), qPrintable(node->log()));
        for (const auto &p : players) {
            heal(*p);
            p->session->setTyping(false);
        }
        // The cli's last run types a few more lines and ends when all of them are delivered.
        endCli(false);
        cli = std::make_unique<CliProcess>(QStringLiteral(INKROOM_CLI_EXE), cliArguments);
        QStringList lastLines;
        for (int i = 0; i < 5; ++i)
            lastLines << u"Cli line %1"_s.arg(++cliLines);
        cli->write(lastLines);
        cli->closeInput();
        QVERIFY2(cli->waitForExit(kSettleMs), qPrintable(cli->errors()));
        QCOMPARE(cli->exitCode(), 0);
        endCli(false);
        const qint64 cliDoneAt = clock.elapsed();

        // Every change settled (acknowledged or refused): nothing more is made, so the log's head is the last word,
        // and every client reaches it.
        QList<Session *> everyone;
        for (const auto &p : players)
            everyone << p->session.get();
        QList<Logged> log;
        quint64 head = 0;
        quint64 logStart = 0;
        const auto story = [&] {
            for (Session *s : std::as_const(everyone))
                qWarning() << s->name() << s->serverUrl() << s->state() << s->statusText() << s->pendingCount()
                           << s->board()->confirmed().seq();
            for (const auto &node : nodes)
                qWarning().noquote() << node->log();
        };
        const auto settled = [&everyone] {
            return std::all_of(everyone.cbegin(), everyone.cend(), [](const Session *s) {
                return s->state() == Session::Online && s->pendingCount() == 0;
            });
        };
        if (!QTest::qWaitFor(settled, kSettleMs)) {
            story();
            QFAIL("the changes did not settle");
        }
        const qint64 settledAt = clock.elapsed();
        QVERIFY(readLog(store, &log, &head, &logStart));
        const auto atHead = [&everyone, head] {
            return std::all_of(everyone.cbegin(), everyone.cend(), [head](const Session *s) {
                return s->state() == Session::Online && s->board()->confirmed().seq() == head;
            });
        };
        if (!QTest::qWaitFor(atHead, kSettleMs)) {
            story();
            QFAIL(qPrintable(u"the clients did not all reach the log's head, %1"_s.arg(head)));
        }
        qInfo("run %d seed %u: %d steps, %d chats, %d adds, %d cli lines, %d faults, %d crashes, %d node kills, "
              "%d cli kills, head %llu, %lld ms (steps done at %lld ms, the cli's last run at %lld, settled at %lld)",
              runIndex, seed, steps, int(made.chats.size()), int(made.adds.size()), cliLines, faults, crashes,
              nodeKills, cliKills, head, clock.elapsed(), stepsDoneAt, cliDoneAt, settledAt);

        // Presence crosses the nodes: every client lists the six players (itself included), whichever node each is
        // on, and nobody twice, though some had old connections left on other nodes and some nodes were killed.
        const auto everybodyListed = [&everyone] {
            return std::all_of(everyone.cbegin(), everyone.cend(),
                               [&everyone](const Session *s) { return s->memberCount() == int(everyone.size()); });
        };
        if (!QTest::qWaitFor(everybodyListed, kSettleMs)) {
            for (Session *s : std::as_const(everyone))
                qWarning() << s->name() << s->serverUrl() << "lists" << s->memberCount() << "members";
            QFAIL("the clients do not all list everybody in the room");
        }

        // The same board everywhere, to the bit, and the same chat in the same order; a newcomer on each node too.
        const QByteArray digest = everyone.first()->board()->confirmed().digest();
        const QStringList chat = chatLines(*everyone.first());
        for (Session *s : everyone) {
            QVERIFY2(s->board()->confirmed().digest() == digest, qPrintable(s->name()));
            QCOMPARE(s->board()->pendingOpCount(), 0);
            QCOMPARE(chatLines(*s), chat);
        }
        for (const QUrl &url : nodeUrls) {
            Session late;
            late.setTimings(fastTimings());
            late.join(url, kRoom, u"Late"_s, Qt::gray);
            QTRY_COMPARE_WITH_TIMEOUT(late.state(), Session::Online, kStartMs);
            QCOMPARE(late.board()->confirmed().seq(), head);
            QVERIFY2(late.board()->confirmed().digest() == digest, qPrintable(url.toString()));
            QCOMPARE(chatLines(late), chat);
        }

        // The log: seq 1 to head, no gap, each (client, cseq) once (nothing was compacted away in a run this short).
        QCOMPARE(logStart, quint64(0));
        QCOMPARE(quint64(log.size()), head);
        QHash<QString, QHash<quint64, quint64>> logged; // client -> cseq -> seq
        for (qsizetype i = 0; i < log.size(); ++i) {
            const Logged &op = log.at(i);
            QCOMPARE(op.seq, quint64(i + 1));
            QVERIFY2(!logged[op.client].contains(op.cseq),
                     qPrintable(u"%1/%2 is in the log twice"_s.arg(op.client).arg(op.cseq)));
            logged[op.client].insert(op.cseq, op.seq);
        }
        // Every acknowledgement names the seq at which the log holds that change.
        for (const Acked &ack : std::as_const(m_acks)) {
            QVERIFY2(logged.value(ack.client).value(ack.cseq) == ack.seq,
                     qPrintable(u"%1/%2 was acknowledged at seq %3, the log has it at %4"_s.arg(ack.client)
                                    .arg(ack.cseq)
                                    .arg(ack.seq)
                                    .arg(logged.value(ack.client).value(ack.cseq))));
        }
        // Every change a session numbered is committed or shown refused, never both; nothing else is committed.
        int refusedCount = 0;
        for (const auto &p : players) {
            const QSet<quint64> numbered = m_numbered.value(p->clientId);
            const QSet<quint64> refused = m_refused.value(p->clientId);
            refusedCount += int(refused.size());
            const QHash<quint64, quint64> committed = logged.value(p->clientId);
            for (const quint64 cseq : numbered) {
                QVERIFY2(committed.contains(cseq) != refused.contains(cseq),
                         qPrintable(u"%1 cseq %2: committed %3, refused %4"_s.arg(p->name)
                                        .arg(cseq)
                                        .arg(committed.contains(cseq))
                                        .arg(refused.contains(cseq))));
            }
            for (auto it = committed.cbegin(); it != committed.cend(); ++it)
                QVERIFY2(numbered.contains(it.key()),
                         qPrintable(u"%1 never numbered cseq %2"_s.arg(p->name).arg(it.key())));
        }
        // Chat made in a session is in the room once (chat is never refused here).
        QHash<QString, int> texts;
        for (const Logged &op : std::as_const(log)) {
            if (op.kind == u"chat"_s)
                ++texts[op.text];
        }
        for (const QString &text : std::as_const(made.chats))
            QVERIFY2(texts.value(text) == 1, qPrintable(u"%1: %2 times"_s.arg(text).arg(texts.value(text))));
        // Every item drawn is in the log (adds are never refused here; undo may add one again).
        QSet<QString> added;
        for (const Logged &op : std::as_const(log)) {
            if (op.kind == u"add"_s)
                added.insert(op.text);
        }
        for (const QString &id : std::as_const(made.adds))
            QVERIFY2(added.contains(m_renamed.value(id, id)), qPrintable(id));

        // The cli: what it saved is in the room once, its acks name the right seq, nothing was refused, and the lines
        // typed to its last run all arrived.
        for (const QList<QJsonObject> &events : std::as_const(cliRuns)) {
            QString client;
            quint64 saved = 0;
            QHash<quint64, QString> queued;
            for (const QJsonObject &e : events) {
                const QString type = e.value("type"_L1).toString();
                const quint64 cseq = quint64(e.value("cseq"_L1).toDouble());
                QVERIFY2(type != "reject"_L1, QJsonDocument(e).toJson().constData());
                if (type == "identity"_L1)
                    client = e.value("client"_L1).toString();
                else if (type == "queued"_L1)
                    queued.insert(cseq, e.value("text"_L1).toString());
                else if (type == "saved"_L1)
                    saved = std::max(saved, cseq);
                else if (type == "ack"_L1)
                    QVERIFY2(logged.value(client).value(cseq) == quint64(e.value("seq"_L1).toDouble()),
                             qPrintable(u"the cli's cseq %1 acknowledged at another seq"_s.arg(cseq)));
            }
            for (auto it = queued.cbegin(); it != queued.cend(); ++it) {
                if (it.key() <= saved)
                    QVERIFY2(texts.value(it.value()) == 1,
                             qPrintable(u"%1 (saved): %2 times"_s.arg(it.value()).arg(texts.value(it.value()))));
            }
        }
        for (const QString &line : std::as_const(lastLines))
            QVERIFY2(texts.value(line) == 1, qPrintable(u"%1: %2 times"_s.arg(line).arg(texts.value(line))));
        for (auto it = texts.cbegin(); it != texts.cend(); ++it)
            QVERIFY2(it.value() == 1, qPrintable(u"%1: %2 times"_s.arg(it.key()).arg(it.value())));
        qInfo("run %d: %d acknowledgements checked, %d changes refused and shown", runIndex, int(m_acks.size()),
              refusedCount);
    }

private Q_SLOTS:
    void initTestCase()
    {
        QString why;
        // A missing PostgreSQL fails the test with the reason (CI installs it): never a silent skip.
        QVERIFY2(m_postgres.start(&why), qPrintable(why));
    }

    void everyClientEndsWithTheSameRoom()
    {
        runSeeded(u"INKROOM_NODECHAOS"_s, 1, [this](quint32 seed, int number) { run(seed, number); });
    }
};

QTEST_GUILESS_MAIN(TestNodeChaos)
#include "tst_client_nodechaos.moc"
