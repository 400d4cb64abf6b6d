// inkroom-cli --replay: the real executable prints a real server's history as JSON lines, compared with the log the
// server keeps on disk.
#include "cliprocess.h"
#include "serverfixture.h"
#include "session.h"
#include "store.h"
#include "testutil.h"

#include <QJsonArray>
#include <QProcess>
#include <QTest>

using namespace Qt::StringLiterals;
using namespace inkroom;
using namespace inkroom::client;
using namespace inkroom::test;

namespace {

constexpr int kWait = 20000;
const QString kRoom = u"minutes"_s;

//! What the server's database holds for the room: the board the history starts at, and the ops after it.
struct Log
{
    quint64 base = 0;
    QList<proto::Item> items;
    QList<proto::Op> ops; //!< with their recipients' direct messages
    QStringList recipients; //!< per op: empty, or a direct message's target
};

Log readLog(const QString &dataDir)
{
    Log log;
    server::Store store;
    QString error;
    if (!store.open(dataDir + u"/inkroom.sqlite"_s, 5000, &error)) {
        qWarning() << "cannot open the store:" << error;
        return log;
    }
    bool ok = false;
    const auto room = store.findRoom(kRoom, &ok);
    if (!ok || !room)
        return log;
    log.base = room->logStart == 0 ? 0 : room->snapshotSeq;
    if (log.base > 0) {
        for (const QByteArray &line : room->snapshot.split('\n')) {
            if (line.isEmpty())
                continue;
            const proto::DecodeResult chunk = proto::decode(line, limits::MaxServerMessageBytes);
            if (chunk.ok())
                log.items += std::get<proto::Snapshot>(chunk.message()).items;
        }
    }
    store.visitLogAfter(room->id, log.base, [&log](const server::LoggedOp &logged) {
        const proto::DecodeResult op = proto::decode(logged.body, limits::MaxServerMessageBytes);
        if (op.ok()) {
            log.ops.append(std::get<proto::Op>(op.message()));
            log.recipients.append(logged.recipient);
        }
        return true;
    });
    store.close();
    return log;
}

} // namespace

class TestCliReplay : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    /** The lines are the log: the snapshot the history starts from (the log was compacted), then every op after it
     *  in seq order with its kind, client, author and time, but the direct messages between others. The server
     *  refuses most of the pages at first (its history rate limit): the replay asks again and misses nothing. */
    void printsTheLogAsJsonLines()
    {
        ServerFixture server([](server::ServerConfig &config) {
            config.compactEvery = 10;
            config.retainOps = 4;
            config.historyPageBytes = 800;
            config.historyBurst = 1;
            config.historyPerSecond = 20;
        });
        QVERIFY(server.start());
        Session ann;
        ann.setTimings(fastTimings());
        ann.join(server.url(), kRoom, u"Ann"_s, Qt::red);
        Session bo;
        bo.setTimings(fastTimings());
        bo.join(server.url(), kRoom, u"Bo"_s, Qt::blue);
        QTRY_COMPARE_WITH_TIMEOUT(ann.state(), Session::Online, kWait);
        QTRY_COMPARE_WITH_TIMEOUT(bo.state(), Session::Online, kWait);
        // 12 ops: one compaction (at 10, 11 or 12: ops commit in groups); what follows stays in the log after it.
        for (int i = 0; i < 12; ++i)
            ann.addShape(BoardDocument::Ellipse, Qt::red, 2, {double(i * 8), 0}, {double(i * 8 + 6), 6});
        QTRY_COMPARE_WITH_TIMEOUT(ann.pendingCount(), 0, kWait);
        QVERIFY(ann.sendDirect(bo.clientId(), u"just between us"_s));
        bo.sendChat(u"minutes are up"_s);
        bo.addText({0, 40}, u"Decisions"_s, Qt::black, 24);
        ann.removeItems({ann.board()->orderedItems().first().id});
        QTRY_COMPARE_WITH_TIMEOUT(ann.pendingCount() + bo.pendingCount(), 0, kWait);

        CliProcess cli(QStringLiteral(INKROOM_CLI_EXE),
                       {u"--server"_s, server.url().toString(), u"--room"_s, kRoom, u"--replay"_s});
        cli.closeInput();
        QVERIFY(cli.waitForExit(kWait));
        QVERIFY2(cli.exitCode() == 0, qPrintable(cli.errors()));
        QCOMPARE(cli.badLines(), 0);
        const QList<QJsonObject> lines = cli.events();
        QCOMPARE(cli.events(u"history"_s).size(), lines.size()); // nothing but the history

        const Log log = readLog(server.dataDir());
        QVERIFY2(log.base > 0, "the log was compacted: the history starts at a snapshot");
        QVERIFY(!lines.isEmpty());
        const QJsonObject snapshot = lines.first();
        QCOMPARE(snapshot.value("kind"_L1).toString(), u"snapshot"_s);
        QCOMPARE(quint64(snapshot.value("seq"_L1).toDouble()), log.base);
        const QJsonArray items = snapshot.value("items"_L1).toArray();
        QCOMPARE(items.size(), log.items.size());
        for (qsizetype i = 0; i < items.size(); ++i) {
            QCOMPARE(items[i].toObject().value("id"_L1).toString(), log.items[i].id);
            QCOMPARE(qint64(items[i].toObject().value("z"_L1).toDouble()), log.items[i].z);
        }

        QList<proto::Op> visible;
        bool sawDirect = false;
        for (qsizetype i = 0; i < log.ops.size(); ++i) {
            if (log.recipients[i].isEmpty())
                visible.append(log.ops[i]);
            else
                sawDirect = true;
        }
        QVERIFY2(sawDirect, "the direct message is in the log, after the snapshot");
        QCOMPARE(lines.size() - 1, visible.size());
        for (qsizetype i = 0; i < visible.size(); ++i) {
            const QJsonObject &line = lines[i + 1];
            const proto::Op &op = visible[i];
            QCOMPARE(quint64(line.value("seq"_L1).toDouble()), op.seq);
            QCOMPARE(line.value("kind"_L1).toString(), proto::opKindName(op.kind));
            QCOMPARE(line.value("client"_L1).toString(), op.client);
            QCOMPARE(line.value("author"_L1).toString(), op.author);
            QCOMPARE(qint64(line.value("time"_L1).toDouble()), op.time);
            if (op.kind == proto::OpKind::Chat)
                QCOMPARE(line.value("text"_L1).toString(), op.text);
            if (op.kind == proto::OpKind::Add)
                QCOMPARE(line.value("item"_L1).toObject().value("id"_L1).toString(), op.item.id);
        }
        QVERIFY(!cli.errors().contains(u"just between us"_s));
        for (const QJsonObject &line : lines)
            QVERIFY(line.value("text"_L1).toString() != u"just between us"_s);
    }

    //! --replay with --export is a usage error; --replay needs no --name.
    void argumentsAreChecked()
    {
        CliProcess both(
            QStringLiteral(INKROOM_CLI_EXE),
            {u"--server"_s, u"ws://127.0.0.1:9"_s, u"--room"_s, kRoom, u"--replay"_s, u"--export"_s, u"x.pdf"_s});
        both.closeInput();
        QVERIFY(both.waitForExit(kWait));
        QCOMPARE(both.exitCode(), 2);
        QVERIFY2(both.errors().contains(u"--replay"_s), qPrintable(both.errors()));

        QProcess help;
        help.start(QStringLiteral(INKROOM_CLI_EXE), {u"--help"_s});
        QVERIFY(help.waitForFinished(kWait));
        QCOMPARE(help.exitCode(), 0);
        const QString text = QString::fromUtf8(help.readAllStandardOutput());
        QVERIFY2(text.contains(u"--replay"_s) && text.contains(u"\"type\":\"history\""_s), qPrintable(text));
    }
};

QTEST_GUILESS_MAIN(TestCliReplay)
#include "tst_client_clireplay.moc"
