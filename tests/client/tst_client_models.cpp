#include "chatmodel.h"
#include "livestrokesmodel.h"
#include "peoplemodel.h"

#include <QAbstractItemModelTester>
#include <QColor>
#include <QElapsedTimer>
#include <QRandomGenerator>
#include <QSignalSpy>
#include <QTest>

using namespace Qt::StringLiterals;
using namespace inkroom;
using namespace inkroom::client;

namespace {

ChatMessage message(quint64 seq, const QString &client, const QString &text)
{
    ChatMessage m;
    m.seq = seq;
    m.client = client;
    m.author = client.toUpper();
    m.text = text;
    m.time = 1700000000000 + qint64(seq) * 1000;
    return m;
}

proto::Member member(const QString &client, const QString &name, proto::Colour colour = 0xff00ff00)
{
    return proto::Member {client, name, colour, false};
}

QStringList texts(const ChatModel &model)
{
    QStringList list;
    for (int row = 0; row < model.rowCount(); ++row)
        list << model.index(row).data(ChatModel::TextRole).toString();
    return list;
}

} // namespace

class TestModels : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void chatKeepsTheRoomsOrderWithPendingLast()
    {
        ChatModel model;
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        QVERIFY(model.addConfirmed(message(1, u"ann"_s, u"one"_s)));
        QVERIFY(model.addConfirmed(message(3, u"bo"_s, u"three"_s)));
        ChatMessage mine = message(0, u"me"_s, u"mine"_s);
        mine.cseq = 7;
        model.addPending(mine);
        QCOMPARE(model.pendingCount(), 1);
        QVERIFY(model.index(2).data(ChatModel::PendingRole).toBool());
        QVERIFY(model.index(2).data(ChatModel::OwnRole).toBool());
        // History merges at its place, without duplicates.
        QVERIFY(model.addConfirmed(message(2, u"ann"_s, u"two"_s)));
        QVERIFY(!model.addConfirmed(message(3, u"bo"_s, u"three again"_s)));
        QCOMPARE(texts(model), (QStringList {u"one"_s, u"two"_s, u"three"_s, u"mine"_s}));
        // Somebody else's message arrives before ours is acknowledged: it goes above the pending one.
        QVERIFY(model.addConfirmed(message(4, u"bo"_s, u"four"_s)));
        QCOMPARE(texts(model), (QStringList {u"one"_s, u"two"_s, u"three"_s, u"four"_s, u"mine"_s}));
        // Acknowledged at 5: confirmed, with the server's time.
        QVERIFY(model.confirm(7, 5, 1700000009999));
        QCOMPARE(model.pendingCount(), 0);
        QCOMPARE(model.index(4).data(ChatModel::SeqRole).toDouble(), 5.0);
        QVERIFY(!model.index(4).data(ChatModel::PendingRole).toBool());
        QCOMPARE(model.lastSeq(), 5u);
        // Continuation: same author right after.
        QVERIFY(model.index(1).data(ChatModel::ContinuationRole).toBool()); // ann right after ann
        QVERIFY(!model.index(2).data(ChatModel::ContinuationRole).toBool()); // bo after ann
        QCOMPARE(model.roleNames().value(ChatModel::TextRole), QByteArray("text"));
    }

    void chatConfirmationCanMoveAPendingMessageBack()
    {
        ChatModel model;
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        model.addConfirmed(message(1, u"ann"_s, u"one"_s));
        ChatMessage a = message(0, u"me"_s, u"a"_s);
        a.cseq = 1;
        ChatMessage b = message(0, u"me"_s, u"b"_s);
        b.cseq = 2;
        model.addPending(a);
        model.addPending(b);
        model.addConfirmed(message(2, u"bo"_s, u"two"_s));
        model.addConfirmed(message(4, u"bo"_s, u"four"_s));
        QVERIFY(model.confirm(1, 3, 0));
        QCOMPARE(texts(model), (QStringList {u"one"_s, u"two"_s, u"a"_s, u"four"_s, u"b"_s}));
        QVERIFY(model.removePending(2));
        QCOMPARE(texts(model), (QStringList {u"one"_s, u"two"_s, u"a"_s, u"four"_s}));
        ChatMessage c = message(0, u"me"_s, u"c"_s);
        c.cseq = 3;
        model.addPending(c);
        model.clearConfirmed();
        QCOMPARE(texts(model), QStringList {u"c"_s});
        model.clear();
        QCOMPARE(model.rowCount(), 0);
    }

    void chatWithThousandsOfMessagesStaysCheap()
    {
        ChatModel model;
        QElapsedTimer timer;
        timer.start();
        for (quint64 seq = 1; seq <= 20000; ++seq)
            model.addConfirmed(message(seq, seq % 2 ? u"ann"_s : u"bo"_s, u"message %1"_s.arg(seq)));
        // A history merge after a snapshot: 500 messages, all known already.
        for (quint64 seq = 19501; seq <= 20000; ++seq)
            QVERIFY(!model.addConfirmed(message(seq, u"ann"_s, u"again"_s)));
        qInfo("20,000 appends and 500 duplicate merges: %lld ms", timer.elapsed());
        QVERIFY(timer.elapsed() < 2000);
        QCOMPARE(model.rowCount(), 20000);
    }

    //! Two people called Ann in different colours: the member list says "Ann" and "Ann (2)", and so does the chat,
    //! for their messages and for a direct message to the second; somebody who left keeps the name they sent with.
    void chatNamesAuthorsAsTheMemberListDoes()
    {
        PeopleModel people;
        ChatModel chat;
        chat.setPeople(&people);
        QAbstractItemModelTester tester(&chat, QAbstractItemModelTester::FailureReportingMode::QtTest);
        people.setMembers({member(u"me"_s, u"Me"_s), member(u"ann-a"_s, u"Ann"_s)}, u"me"_s);
        ChatMessage first = message(1, u"ann-a"_s, u"hi"_s);
        first.author = u"Ann"_s;
        ChatMessage second = message(2, u"ann-b"_s, u"hello"_s);
        second.author = u"Ann"_s;
        ChatMessage direct = message(3, u"me"_s, u"psst"_s);
        direct.peer = u"ann-b"_s;
        direct.peerName = u"Ann"_s;
        QVERIFY(chat.addConfirmed(first));
        QVERIFY(chat.addConfirmed(second));
        QVERIFY(chat.addConfirmed(direct));
        const auto author = [&chat](int row) { return chat.index(row).data(ChatModel::AuthorRole).toString(); };
        QCOMPARE(author(1), u"Ann"_s); // not in the list (yet): the name it came with

        QSignalSpy changed(&chat, &QAbstractItemModel::dataChanged);
        people.joined(member(u"ann-b"_s, u"Ann"_s, 0xffff0000));
        QVERIFY(changed.count() > 0);
        QCOMPARE(author(0), u"Ann"_s);
        QCOMPARE(author(1), u"Ann (2)"_s);
        QCOMPARE(chat.index(2).data(ChatModel::PeerNameRole).toString(), u"Ann (2)"_s);

        // Once the list no longer has two, both are plain Ann again.
        people.setMembers({member(u"me"_s, u"Me"_s), member(u"ann-b"_s, u"Ann"_s, 0xffff0000)}, u"me"_s);
        QCOMPARE(author(0), u"Ann"_s);
        QCOMPARE(author(1), u"Ann"_s);
    }

    void peopleFollowPresence()
    {
        PeopleModel model;
        model.setTimings(60000, 200, 300);
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        QSignalSpy online(&model, &PeopleModel::onlineCountChanged);
        model.setMembers({member(u"ann"_s, u"Ann"_s), member(u"me"_s, u"Me"_s)}, u"me"_s);
        QCOMPARE(model.rowCount(), 2);
        QVERIFY(model.index(0).data(PeopleModel::SelfRole).toBool()); // you first
        QCOMPARE(model.onlineCount(), 2);
        model.joined(member(u"bo"_s, u"Bo"_s, 0xff0000ff));
        QCOMPARE(model.rowCount(), 3);
        QCOMPARE(model.index(2).data(PeopleModel::ColourRole).value<QColor>(), QColor(0, 0, 255));
        model.setTyping(u"bo"_s, true);
        QCOMPARE(model.typingNames(), QStringList {u"Bo"_s});
        QVERIFY(model.index(2).data(PeopleModel::TypingRole).toBool());
        model.setCursor(u"bo"_s, QPointF(5, 6), true);
        QCOMPARE(model.index(2).data(PeopleModel::CursorRole).toPointF(), QPointF(5, 6));
        // Typing expires unless refreshed.
        QTRY_VERIFY_WITH_TIMEOUT(model.typingNames().isEmpty(), 2000);
        model.updated(member(u"bo"_s, u"Bob"_s, 0xff0000ff));
        QCOMPARE(model.index(2).data(PeopleModel::NameRole).toString(), u"Bob"_s);
        // Leaving: away (offline) for the grace period, then gone.
        model.left(u"bo"_s);
        QCOMPARE(model.index(2).data(PeopleModel::StatusRole).toString(), u"offline"_s);
        QVERIFY(model.index(2).data(PeopleModel::AwayRole).toBool());
        QCOMPARE(model.onlineCount(), 2);
        QTRY_COMPARE_WITH_TIMEOUT(model.rowCount(), 2, 2000);
        // A new welcome replaces the list.
        model.setMembers({member(u"me"_s, u"Me"_s), member(u"cy"_s, u"Cy"_s)}, u"me"_s);
        QCOMPARE(model.rowCount(), 2);
        QCOMPARE(model.index(1).data(PeopleModel::NameRole).toString(), u"Cy"_s);
        QVERIFY(online.count() > 0);
        model.clear();
        QCOMPARE(model.rowCount(), 0);
    }

    void idlePeopleAreAway()
    {
        PeopleModel model;
        model.setTimings(150, 1000, 1000);
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        model.setMembers({member(u"me"_s, u"Me"_s), member(u"ann"_s, u"Ann"_s)}, u"me"_s);
        QCOMPARE(model.index(1).data(PeopleModel::StatusRole).toString(), u"online"_s);
        QTRY_COMPARE_WITH_TIMEOUT(model.index(1).data(PeopleModel::StatusRole).toString(), u"away"_s, 2000);
        QCOMPARE(model.index(0).data(PeopleModel::StatusRole).toString(), u"online"_s); // never yourself
        model.noteActivity(u"ann"_s);
        QCOMPARE(model.index(1).data(PeopleModel::StatusRole).toString(), u"online"_s);
    }

    void liveStrokesGrowAndGo()
    {
        LiveStrokesModel model;
        model.setTimings(300, 100);
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        QSignalSpy points(&model, &LiveStrokesModel::pointsChanged);
        proto::Live live;
        live.client = u"ann-client"_s;
        live.id = u"ann:1"_s;
        live.points = {{0, 0}, {1, 1}};
        model.apply(live, u"Ann"_s);
        live.from = 2;
        live.points = {{2, 2}};
        model.apply(live, u"Ann"_s);
        QCOMPARE(model.rowCount(), 1);
        QCOMPARE(model.stroke(u"ann:1"_s)->points.size(), 3);
        QCOMPARE(points.last().at(1).toInt(), 2);
        // A correction from an earlier index replaces the tail (a shape's moving corner).
        live.from = 1;
        live.points = {{9, 9}};
        model.apply(live, u"Ann"_s);
        QCOMPARE(model.stroke(u"ann:1"_s)->points, (QList<QPointF> {{0, 0}, {9, 9}}));
        QCOMPARE(model.index(0).data(LiveStrokesModel::PointCountRole).toInt(), 2);
        // Somebody else may not take over the id.
        proto::Live impostor = live;
        impostor.client = u"bo-client"_s;
        impostor.from = 0;
        model.apply(impostor, u"Bo"_s);
        QCOMPARE(model.stroke(u"ann:1"_s)->client, u"ann-client"_s);
        // Ended: stays a moment for its add op, then goes.
        live.end = true;
        live.points.clear();
        live.from = 2;
        model.apply(live, u"Ann"_s);
        QCOMPARE(model.rowCount(), 1);
        QTRY_COMPARE_WITH_TIMEOUT(model.rowCount(), 0, 2000);
        // Stale: no update for a while.
        live.id = u"ann:2"_s;
        live.end = false;
        live.from = 0;
        live.points = {{0, 0}};
        model.apply(live, u"Ann"_s);
        QTRY_COMPARE_WITH_TIMEOUT(model.rowCount(), 0, 2000);
        // Own strokes are never swept, and go with remove().
        model.setOwn(u"me:1"_s, proto::ItemKind::Stroke, client::StrokeStyle {0xff000000, 2}, 0, {{0, 0}});
        model.setOwn(u"me:1"_s, proto::ItemKind::Stroke, client::StrokeStyle {0xff000000, 2}, 1, {{1, 0}});
        QTest::qWait(500);
        QCOMPARE(model.rowCount(), 1);
        QVERIFY(model.index(0).data(LiveStrokesModel::OwnRole).toBool());
        model.apply(live, u"Ann"_s);
        model.removeClient(u"ann-client"_s);
        QCOMPARE(model.rowCount(), 1);
        model.remove(u"me:1"_s);
        QCOMPARE(model.rowCount(), 0);
    }
};

QTEST_GUILESS_MAIN(TestModels)
#include "tst_client_models.moc"
