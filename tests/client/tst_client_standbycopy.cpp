// The standby's copy of a room (docs/PROTOCOL.md, "Handing a room over"): whatever a replica says is checked, and a
// part that does not continue the copy throws the whole copy away, so a server is never seeded with a broken room.
#include "standbycopy.h"

#include <QTest>

using namespace Qt::StringLiterals;
using namespace inkroom;
using namespace inkroom::proto;
using client::StandbyCopy;

Q_DECLARE_METATYPE(inkroom::proto::Replica)

namespace {

const QString kEpoch = u"a41f09c2e7d35b10"_s;
const QString kAnn = u"client-ann-0001"_s;

Replica part(quint64 head)
{
    Replica r;
    r.epoch = kEpoch;
    r.head = head;
    return r;
}

Replica reset(quint64 head)
{
    Replica r = part(head);
    r.reset = true;
    r.room = u"design"_s;
    return r;
}

Item stroke(int n, qint64 z)
{
    Item item;
    item.id = u"%1:%2"_s.arg(kAnn).arg(n);
    item.points = {{double(n), 0}, {double(n) + 1, 1}};
    item.z = z;
    return item;
}

Op add(quint64 seq, int n)
{
    Op op;
    op.kind = OpKind::Add;
    op.cseq = quint64(n);
    op.seq = seq;
    op.client = kAnn;
    op.item = stroke(n, 0);
    return op;
}

Op chat(quint64 seq, const QString &text)
{
    Op op;
    op.kind = OpKind::Chat;
    op.cseq = seq;
    op.seq = seq;
    op.client = kAnn;
    op.text = text;
    return op;
}

//! A complete copy of a room at seq 3: two items, one chat message, Ann.
void startCopy(StandbyCopy &copy)
{
    QString why;
    QVERIFY(copy.apply(reset(3), &why));
    Replica board = part(3);
    board.items = {stroke(1, 1), stroke(2, 2)};
    QVERIFY(copy.apply(board, &why));
    Replica rest = part(3);
    rest.chat = {chat(3, u"hi"_s)};
    rest.clients = {ReplicaClient {kAnn, 3, 3, 2, QByteArray(32, 's'), Role::Owner, false}};
    rest.complete = true;
    QVERIFY(copy.apply(rest, &why));
}

} // namespace

class ClientStandbyCopyTest : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    //! Pictures come in pieces after the copy is complete; a whole one, checked against its hash, seeds the room.
    void imagesArriveInPieces()
    {
        StandbyCopy copy;
        startCopy(copy);
        const QByteArray bytes = QByteArray(1000, 'x') + QByteArray(500, 'y');
        const QString hash = blobHashOf(bytes);
        QString why;
        for (qint64 offset : {0, 600, 1200}) {
            QVERIFY(!copy.hasImage(hash));
            Replica piece = part(copy.head());
            piece.blob = BlobData {hash, bytes.size(), offset, bytes.mid(offset, 600)};
            QVERIFY2(copy.apply(piece, &why), qPrintable(why));
        }
        QVERIFY(copy.hasImage(hash));
        QCOMPARE(copy.seed()->blobs.value(hash), bytes);
        // Ops go on after it as before.
        Replica next = part(copy.head() + 1);
        next.ops = {add(copy.head() + 1, 9)};
        QVERIFY2(copy.apply(next, &why), qPrintable(why));
        QCOMPARE(copy.seed()->blobs.size(), 1);
    }

    //! A piece that does not continue the picture, bytes that are not what the hash names, a piece that carries
    //! anything else, or more image bytes than a standby keeps: the whole copy is thrown away.
    void aBadPieceRefusesTheCopy_data()
    {
        QTest::addColumn<int>("fault");
        QTest::newRow("gap") << 0;
        QTest::newRow("wrong hash") << 1;
        QTest::newRow("with ops") << 2;
        QTest::newRow("too many bytes") << 3;
    }
    void aBadPieceRefusesTheCopy()
    {
        QFETCH(int, fault);
        StandbyCopy copy(200000, 100000, 1200);
        startCopy(copy);
        const QByteArray bytes(1000, 'z');
        QString hash = blobHashOf(bytes);
        QList<BlobData> pieces {{hash, 1000, 0, bytes.first(500)}, {hash, 1000, 500, bytes.sliced(500)}};
        Replica extra;
        switch (fault) {
        case 0:
            pieces[1].offset = 600;
            pieces[1].data.chop(100);
            break;
        case 1:
            for (BlobData &piece : pieces)
                piece.hash = blobHashOf("something else");
            break;
        case 2:
            extra = part(copy.head() + 1);
            extra.ops = {add(copy.head() + 1, 9)};
            break;
        default:
            pieces.append({blobHashOf("another"), 700, 0, QByteArray(100, 'a')});
            break;
        }
        QString why;
        bool ok = true;
        for (const BlobData &data : pieces) {
            Replica piece = part(copy.head());
            if (fault == 2 && data.offset == 500) {
                piece = extra;
                piece.head = copy.head();
            }
            piece.blob = data;
            ok = ok && copy.apply(piece, &why);
        }
        QVERIFY(!ok);
        QVERIFY(!why.isEmpty());
        QVERIFY(!copy.isStarted());
        QVERIFY(!copy.seed());
    }

    void aCompleteCopySeedsTheRoom()
    {
        StandbyCopy copy;
        QVERIFY(!copy.seed());
        startCopy(copy);
        QVERIFY(copy.isComplete());
        // One commit in two parts; its records come with the last.
        Replica first = part(4);
        first.ops = {add(4, 3)};
        first.locked = true; // the room as it stands after the whole commit: the copy goes by the ops it holds
        QString why;
        QVERIFY2(copy.apply(first, &why), qPrintable(why));
        // Cut off here, the copy holds what its ops say: Ann's cseq 3 (no record ahead of the ops, none behind).
        QCOMPARE(copy.seed()->clients.first().cseq, quint64(3));
        QCOMPARE(copy.seed()->clients.first().item, quint64(3));
        QVERIFY(!copy.seed()->locked);
        Replica last = part(6);
        Op lock;
        lock.kind = OpKind::Lock;
        lock.cseq = 6;
        lock.seq = 6;
        lock.client = kAnn;
        last.ops = {chat(5, u"more"_s), lock};
        last.clients = {ReplicaClient {kAnn, 6, 6, 3, QByteArray(32, 's'), Role::Owner, false}};
        last.locked = true;
        QVERIFY2(copy.apply(last, &why), qPrintable(why));
        const auto seed = copy.seed();
        QVERIFY(seed);
        QCOMPARE(seed->room, u"design"_s);
        QCOMPARE(seed->epoch, kEpoch);
        QCOMPARE(seed->head, quint64(6));
        QCOMPARE(seed->items.size(), 3);
        QCOMPARE(seed->items.last().z, qint64(4));
        QCOMPARE(seed->chat.size(), 2);
        QCOMPARE(seed->clients.size(), 1);
        QCOMPARE(seed->clients.first().cseq, quint64(6));
        QCOMPARE(seed->clients.first().secret, QByteArray(32, 's'));
        QVERIFY(seed->locked);
    }

    void partsThatDoNotContinueTheCopyAreRefused_data()
    {
        QTest::addColumn<Replica>("bad");
        QTest::addColumn<bool>("afterComplete");
        Replica other = part(3);
        other.epoch = u"another"_s;
        QTest::newRow("another epoch") << other << true;
        Replica gap = part(6);
        gap.ops = {add(5, 3), chat(6, u"x"_s)};
        QTest::newRow("a gap in the ops") << gap << true;
        QTest::newRow("a head moved without ops") << part(9) << true;
        Replica early = part(3);
        early.ops = {add(3, 9)};
        QTest::newRow("ops before the copy is complete") << early << false;
        Replica moved = part(4);
        QTest::newRow("a base part at another head") << moved << false;
    }
    void partsThatDoNotContinueTheCopyAreRefused()
    {
        QFETCH(Replica, bad);
        QFETCH(bool, afterComplete);
        StandbyCopy copy;
        QString why;
        QVERIFY(copy.apply(reset(3), &why));
        if (afterComplete)
            startCopy(copy);
        QVERIFY(!copy.apply(bad, &why));
        QVERIFY(!why.isEmpty());
        // The whole copy is gone: nothing half-checked can seed a server.
        QVERIFY(!copy.isStarted());
        QVERIFY(!copy.seed());
        // Only a new reset starts again.
        QVERIFY(!copy.apply(part(3), &why));
        QVERIFY(copy.apply(reset(3), &why));
    }

    void aCopyPastItsLimitsIsRefused()
    {
        StandbyCopy copy(2, 2);
        QString why;
        QVERIFY(copy.apply(reset(3), &why));
        Replica board = part(3);
        board.items = {stroke(1, 1), stroke(2, 2), stroke(3, 3)};
        QVERIFY(!copy.apply(board, &why));
        QVERIFY(!copy.isStarted());

        StandbyCopy people(10, 2);
        QVERIFY(people.apply(reset(3), &why));
        Replica clients = part(3);
        for (int i = 0; i < 3; ++i)
            clients.clients.append(ReplicaClient {u"client-%1-0000"_s.arg(i), 0, 0, 0, {}, std::nullopt, false});
        QVERIFY(!people.apply(clients, &why));

        StandbyCopy grows(2, 10);
        startCopy(grows);
        Replica commit = part(4);
        commit.ops = {add(4, 3)};
        QVERIFY(!grows.apply(commit, &why));
        QVERIFY(!grows.seed());
    }

    void chatKeepsTheNewest()
    {
        StandbyCopy copy;
        startCopy(copy);
        QString why;
        quint64 seq = 3;
        for (int batch = 0; batch < 6; ++batch) {
            Replica commit = part(seq + 100);
            for (int i = 0; i < 100; ++i) {
                ++seq;
                commit.ops.append(chat(seq, u"m%1"_s.arg(seq)));
            }
            QVERIFY(copy.apply(commit, &why));
        }
        const auto seed = copy.seed();
        QCOMPARE(seed->chat.size(), StandbyCopy::ChatKept);
        QCOMPARE(seed->chat.last().seq, seq);
    }
};

QTEST_GUILESS_MAIN(ClientStandbyCopyTest)
#include "tst_client_standbycopy.moc"
