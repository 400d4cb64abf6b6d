// What the room page shows about the room, from real sessions against the real server in-process: the stacking order
// (bring to front, send to back) as one undoable step everybody sees, refused for a viewer with why; the chat's
// notices and unread count; the people list's names told apart and its state while offline; and the sync-health
// numbers (docs/PROTOCOL.md "Op", "The sync model").
#include "boarddocument.h"
#include "chatmodel.h"
#include "chatnotices.h"
#include "peoplemodel.h"
#include "refusalsmodel.h"
#include "session.h"
#include "sessionroom.h"
#include "synchealth.h"

#include <QAbstractItemModelTester>
#include <QSignalSpy>
#include <QTest>

using namespace Qt::StringLiterals;
using namespace inkroom;
using namespace inkroom::client;
using namespace inkroom::test;

namespace {

constexpr int kWait = 10000;

bool settled(Session *s)
{
    return s->state() == Session::Online && s->pendingCount() == 0;
}

//! The ids the session shows, bottom to top.
QStringList order(const Session &session)
{
    QStringList ids;
    for (const proto::Item &item : session.board()->orderedItems())
        ids << item.id;
    return ids;
}

QStringList shownNames(const PeopleModel &people)
{
    QStringList names;
    for (int row = 0; row < people.rowCount(); ++row)
        names << people.data(people.index(row), PeopleModel::NameRole).toString();
    return names;
}

QStringList notices(const ChatModel &chat)
{
    QStringList texts;
    for (const ChatMessage &m : chat.messages()) {
        if (m.notice)
            texts << m.text;
    }
    return texts;
}

} // namespace

class TestClientRoomViews : public QObject
{
    Q_OBJECT

    std::unique_ptr<SessionRoom> m_room;

private Q_SLOTS:
    void init()
    {
        m_room = std::make_unique<SessionRoom>(u"views"_s);
        QVERIFY(m_room->start());
    }

    void cleanup() { m_room.reset(); }

    void bringToFrontAndBackIsOneUndoableStepEverybodySees()
    {
        Session *ann = m_room->join(u"Ann"_s);
        Session *bo = m_room->join(u"Bo"_s);
        QVERIFY(ann && bo);
        QStringList ids;
        for (int i = 0; i < 3; ++i)
            ids << ann->addShape(BoardDocument::Rect, Qt::red, 2, {i * 10.0, 0}, {i * 10.0 + 50, 50});
        QTRY_VERIFY_WITH_TIMEOUT(settled(ann), kWait);
        QTRY_COMPARE_WITH_TIMEOUT(order(*bo), ids, kWait);

        // Bo sends the top two to the back, keeping their own order: shown at once, then in everybody's board.
        QVERIFY(bo->restackItems({ids[2], ids[1]}, false));
        const QStringList back {ids[1], ids[2], ids[0]};
        QCOMPARE(order(*bo), back);
        QTRY_VERIFY_WITH_TIMEOUT(settled(bo), kWait);
        QTRY_COMPARE_WITH_TIMEOUT(order(*ann), back, kWait);
        QCOMPARE(ann->board()->confirmed().digest(), bo->board()->confirmed().digest());
        // Already at the back: nothing is made.
        QVERIFY(!bo->restackItems({ids[1], ids[2]}, false));

        // Bring the bottom one to the front, then undo it: one step, back where it was for everybody.
        QVERIFY(bo->restackItems({ids[1]}, true));
        QCOMPARE(order(*bo), (QStringList {ids[2], ids[0], ids[1]}));
        QVERIFY(bo->undo());
        QCOMPARE(order(*bo), back);
        QTRY_VERIFY_WITH_TIMEOUT(settled(bo), kWait);
        QTRY_COMPARE_WITH_TIMEOUT(order(*ann), back, kWait);
        QVERIFY(bo->undo()); // the send to back
        QTRY_VERIFY_WITH_TIMEOUT(settled(bo), kWait);
        QTRY_COMPARE_WITH_TIMEOUT(order(*ann), ids, kWait);
        QVERIFY(bo->redo());
        QTRY_VERIFY_WITH_TIMEOUT(settled(bo), kWait);
        QTRY_COMPARE_WITH_TIMEOUT(order(*ann), back, kWait);

        // Pasted copies: fresh ids, one undoable step, on top.
        QList<proto::Item> copies;
        for (const QString &id : std::as_const(ids))
            copies << *ann->board()->item(id);
        const QStringList pasted = ann->addItems(copies);
        QCOMPARE(pasted.size(), 3);
        for (const QString &id : pasted)
            QVERIFY(!ids.contains(id));
        QCOMPARE(order(*ann).mid(3), pasted);
        QVERIFY(ann->undo());
        QCOMPARE(ann->board()->itemCount(), 3);
        QTRY_VERIFY_WITH_TIMEOUT(settled(ann), kWait);
    }

    void aRestackTheRoomRefusesLeavesTheBoardAndSaysWhy()
    {
        Session *ann = m_room->join(u"Ann"_s);
        Session *bo = m_room->join(u"Bo"_s, true);
        QVERIFY(ann && bo);
        const QString a = ann->addShape(BoardDocument::Rect, Qt::red, 2, {0, 0}, {10, 10});
        const QString b = ann->addShape(BoardDocument::Rect, Qt::blue, 2, {5, 5}, {15, 15});
        QTRY_VERIFY_WITH_TIMEOUT(settled(ann), kWait);
        QTRY_COMPARE_WITH_TIMEOUT(order(*bo), (QStringList {a, b}), kWait);

        // Bo restacks while his link holds it back; meanwhile Ann locks the board.
        m_room->proxy()->setStalled(true, FaultProxy::ToServer);
        QVERIFY(bo->restackItems({a}, true));
        QCOMPARE(order(*bo), (QStringList {b, a}));
        QVERIFY(ann->setLocked(true));
        QTRY_VERIFY_WITH_TIMEOUT(bo->viewOnly(), kWait);
        QSignalSpy rejected(bo, &Session::changeRejected);
        m_room->proxy()->setStalled(false, FaultProxy::ToServer);
        QTRY_COMPARE_WITH_TIMEOUT(rejected.size(), 1, kWait);
        QCOMPARE(rejected.first().at(2).toString(), u"view_only"_s);
        QTRY_COMPARE_WITH_TIMEOUT(bo->pendingCount(), 0, kWait);
        QCOMPARE(order(*bo), (QStringList {a, b})); // the order the room has
        QCOMPARE(bo->refusals()->rowCount(), 1);
        QVERIFY(bo->refusals()->latest().contains(u"Bringing forward or sending back"_s));
        QCOMPARE(order(*ann), (QStringList {a, b}));
        // And the app does not even make it now.
        QSignalSpy problems(bo, &Session::problem);
        QVERIFY(!bo->restackItems({a}, true));
        QCOMPARE(problems.size(), 1);
    }

    void aRestackWaitsOnDiskAndGoesAfterARestart()
    {
        const QString dir = m_room->stateDir();
        Session *ann = m_room->join(u"Ann"_s);
        QVERIFY(ann);
        const QString a = ann->addShape(BoardDocument::Rect, Qt::red, 2, {0, 0}, {10, 10});
        const QString b = ann->addShape(BoardDocument::Rect, Qt::blue, 2, {5, 5}, {15, 15});
        QTRY_VERIFY_WITH_TIMEOUT(settled(ann), kWait);
        Session *bo = m_room->add(u"Bo"_s, {}, dir);
        QTRY_VERIFY_WITH_TIMEOUT(settled(bo) && bo->board()->itemCount() == 2, kWait);
        m_room->proxy()->setRefuse(true);
        m_room->proxy()->cutAll();
        QTRY_VERIFY_WITH_TIMEOUT(bo->state() != Session::Online, kWait);
        QVERIFY(bo->restackItems({b}, false));
        QSignalSpy saved(bo, &Session::outboxSaved);
        QTRY_VERIFY_WITH_TIMEOUT(!saved.isEmpty(), kWait);
        m_room->removeLast(); // the app quits with the change on disk only
        m_room->proxy()->setRefuse(false);
        Session *again = m_room->add(u"Bo"_s, {}, dir);
        QTRY_VERIFY_WITH_TIMEOUT(settled(again), kWait);
        QTRY_COMPARE_WITH_TIMEOUT(order(*ann), (QStringList {b, a}), kWait);
        QCOMPARE(order(*again), (QStringList {b, a}));
    }

    void chatNoticesAndUnread()
    {
        Session *ann = m_room->join(u"Ann"_s);
        QVERIFY(ann);
        QAbstractItemModelTester tester(ann->chat(), QAbstractItemModelTester::FailureReportingMode::QtTest);
        ChatNotices chatNotices;
        chatNotices.setSession(ann);
        ann->chat()->setReading(false);
        Session *bo = m_room->join(u"Bo"_s);
        QVERIFY(bo);
        QTRY_COMPARE_WITH_TIMEOUT(notices(*ann->chat()), QStringList {u"Bo joined"_s}, kWait);
        QCOMPARE(ann->chat()->unread(), 0); // a notice is not a message

        QVERIFY(bo->sendChat(u"hello"_s));
        QVERIFY(bo->sendChat(u"anyone?"_s));
        QTRY_COMPARE_WITH_TIMEOUT(ann->chat()->unread(), 2, kWait);
        QVERIFY(ann->sendChat(u"me"_s));
        QTRY_VERIFY_WITH_TIMEOUT(settled(ann), kWait);
        QCOMPARE(ann->chat()->unread(), 2); // our own do not count
        ann->chat()->setReading(true);
        QCOMPARE(ann->chat()->unread(), 0);
        QVERIFY(bo->sendChat(u"read at once"_s));
        QTRY_COMPARE_WITH_TIMEOUT(ann->chat()->count(), 5, kWait);
        QCOMPARE(ann->chat()->unread(), 0);

        QVERIFY(bo->addShape(BoardDocument::Rect, Qt::red, 2, {0, 0}, {10, 10}).size() > 0);
        QTRY_VERIFY_WITH_TIMEOUT(settled(bo), kWait);
        QVERIFY(ann->clearBoard());
        QTRY_COMPARE_WITH_TIMEOUT(notices(*ann->chat()).value(1), u"You cleared the board"_s, kWait);
        // The notices sit among the messages in the order things happened.
        QCOMPARE(ann->chat()->messages().constLast().text, u"You cleared the board"_s);
        QCOMPARE(ann->chat()->messages().at(ann->chat()->count() - 2).text, u"read at once"_s);
    }

    void twoAnnsAreToldApartTheSameWayEverywhere()
    {
        // Two people called Ann in different colours (the server renames only look-alikes of one colour).
        const proto::Member first {u"client-aaaa-0001"_s, u"Ann"_s, 0xffe53935};
        const proto::Member second {u"client-bbbb-0002"_s, u"ann"_s, 0xff1e88e5};
        const proto::Member bo {u"client-cccc-0003"_s, u"Bo"_s, 0xff43a047};
        PeopleModel seenByBo;
        QAbstractItemModelTester tester(&seenByBo, QAbstractItemModelTester::FailureReportingMode::QtTest);
        seenByBo.setMembers({first, second, bo}, bo.client);
        QCOMPARE(shownNames(seenByBo), (QStringList {u"Bo"_s, u"Ann"_s, u"ann (2)"_s}));
        // The second Ann sees the same names, whatever the order people arrived in.
        PeopleModel seenByAnn;
        seenByAnn.setMembers({bo, second}, second.client);
        QCOMPARE(shownNames(seenByAnn), (QStringList {u"ann"_s, u"Bo"_s}));
        seenByAnn.joined(first);
        QCOMPARE(shownNames(seenByAnn), (QStringList {u"ann (2)"_s, u"Bo"_s, u"Ann"_s}));
        seenByAnn.setTyping(first.client, true);
        QCOMPARE(seenByAnn.typingNames(), QStringList {u"Ann"_s});
        // The first Ann leaves for good: the name is hers alone again.
        seenByBo.setTimings(1000, 0, 1000);
        seenByBo.left(first.client);
        QTRY_COMPARE(shownNames(seenByBo), (QStringList {u"Bo"_s, u"ann"_s}));
    }

    void nobodyCountsWhileOfflineAndTheSyncNumbersAreLive()
    {
        Session *ann = m_room->join(u"Ann"_s, true);
        QVERIFY(ann);
        QAbstractItemModelTester tester(ann->people(), QAbstractItemModelTester::FailureReportingMode::QtTest);
        SyncHealth health;
        health.setSession(ann);
        health.setActive(true);
        QVERIFY(m_room->join(u"Bo"_s) && m_room->join(u"Cy"_s));
        QTRY_COMPARE_WITH_TIMEOUT(ann->people()->count(), 3, kWait);
        QCOMPARE(ann->memberCount(), 3);

        // The numbers of the sync-health view, live.
        QVERIFY(ann->addShape(BoardDocument::Rect, Qt::red, 2, {0, 0}, {10, 10}).size() > 0);
        QTRY_VERIFY_WITH_TIMEOUT(settled(ann), kWait);
        QTRY_VERIFY_WITH_TIMEOUT(health.roundTripMs() >= 0, kWait);
        QVERIFY(health.online());
        QCOMPARE(health.waiting(), 0);
        QCOMPARE(health.lastApplied(), qint64(ann->board()->confirmed().seq()));
        QCOMPARE(health.roomHead(), health.lastApplied());
        QCOMPARE(health.encrypted(), ann->encrypted());
        QVERIFY(health.report().contains(u"Changes waiting: 0"_s));

        // Offline: nobody else is known to be here, and their pointers are not shown.
        QSignalSpy changed(&health, &SyncHealth::changed);
        m_room->proxy()->setRefuse(true);
        m_room->proxy()->cutAll();
        QTRY_VERIFY_WITH_TIMEOUT(ann->state() != Session::Online, kWait);
        QCOMPARE(ann->people()->onlineCount(), 1);
        QCOMPARE(ann->memberCount(), 1);
        for (int row = 1; row < ann->people()->rowCount(); ++row) {
            const QModelIndex index = ann->people()->index(row);
            QCOMPARE(ann->people()->data(index, PeopleModel::StatusRole).toString(), u"unknown"_s);
            QVERIFY(!ann->people()->data(index, PeopleModel::CursorVisibleRole).toBool());
        }
        QVERIFY(ann->addShape(BoardDocument::Rect, Qt::red, 2, {0, 0}, {10, 10}).size() > 0);
        QVERIFY(!health.online());
        QCOMPARE(health.waiting(), 1);
        QCOMPARE(health.roundTripMs(), -1);
        QTRY_VERIFY_WITH_TIMEOUT(health.oldestWaitingSeconds() >= 1, kWait);
        QVERIFY(changed.size() >= 2); // the age is refreshed while the panel is open
        m_room->proxy()->setRefuse(false);
        QTRY_VERIFY_WITH_TIMEOUT(settled(ann), 30000);
        QCOMPARE(ann->people()->onlineCount(), 3);
        QCOMPARE(health.waiting(), 0);
        QCOMPARE(health.oldestWaitingSeconds(), 0);
    }
};

QTEST_MAIN(TestClientRoomViews)
#include "tst_client_roomviews.moc"
