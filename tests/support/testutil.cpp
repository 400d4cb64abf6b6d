#include "testutil.h"

#include <QRandomGenerator>

namespace inkroom::test {

client::Timings fastTimings()
{
    client::Timings t;
    t.backoffInitialMs = 50;
    t.backoffMaxMs = 400;
    t.backoffJitter = 0.5;
    t.stableAfterMs = 1500;
    // With backoff this short the default ten attempts are gone in about 3 s: tests that keep a server down longer
    // expect the client to keep trying. The tests of giving up set their own limit.
    t.giveUpAfterAttempts = 0;
    t.pingIntervalMs = 200;
    t.deadAfterMs = 1000;
    t.connectTimeoutMs = 1500;
    t.liveIntervalMs = 10;
    t.liveStaleMs = 1000;
    t.liveEndGraceMs = 300;
    t.typingTimeoutMs = 500;
    t.typingRefreshMs = 300;
    t.typingExpireMs = 800;
    t.idleAfterMs = 60000;
    t.leftGraceMs = 300;
    t.resumeSaveMs = 50;
    return t;
}

proto::Item strokeItem(const QString &id, int points, double offset)
{
    proto::Item item;
    item.id = id;
    item.kind = proto::ItemKind::Stroke;
    item.colour = 0xff336699;
    item.width = 3;
    for (int i = 0; i < points; ++i)
        item.points.append(QPointF(offset + i, offset + i * 2));
    return item;
}

proto::Op chatOp(quint64 seq, const QString &client, const QString &text, quint64 cseq)
{
    proto::Op op;
    op.kind = proto::OpKind::Chat;
    op.seq = seq;
    op.cseq = cseq;
    op.client = client;
    op.author = client.left(8);
    op.time = 1700000000000 + qint64(seq);
    op.text = text;
    return op;
}

proto::Op addOp(quint64 seq, const QString &client, const proto::Item &item, quint64 cseq)
{
    proto::Op op;
    op.kind = proto::OpKind::Add;
    op.seq = seq;
    op.cseq = cseq;
    op.client = client;
    op.author = client.left(8);
    op.time = 1700000000000 + qint64(seq);
    op.item = item;
    return op;
}

QStringList chatLines(const client::Session &session)
{
    QStringList lines;
    for (const client::ChatMessage &m : session.chat()->messages()) {
        if (!m.pending)
            lines.append(QStringLiteral("%1 %2 %3: %4").arg(m.seq).arg(m.client, m.author, m.text));
    }
    return lines;
}

void runSeeded(const QString &variable, int defaultRuns, const std::function<void(quint32 seed, int number)> &run)
{
    const QByteArray seedName = (variable + QStringLiteral("_SEED")).toLatin1();
    const QByteArray runsName = (variable + QStringLiteral("_RUNS")).toLatin1();
    const quint32 seed = qEnvironmentVariableIsSet(seedName.constData())
        ? qEnvironmentVariable(seedName.constData()).toUInt()
        : QRandomGenerator::global()->generate();
    const int runs = qEnvironmentVariableIsSet(runsName.constData())
        ? qEnvironmentVariableIntValue(runsName.constData())
        : defaultRuns;
    qInfo("%d runs from seed %u (repeat with %s=%u)", runs, seed, seedName.constData(), seed);
    for (int i = 0; i < runs; ++i) {
        run(seed + quint32(i), i + 1);
        if (QTest::currentTestFailed()) {
            qWarning("failed in run %d, seed %u", i + 1, seed + quint32(i));
            return;
        }
    }
}

} // namespace inkroom::test
