// Bring to front and send to back (restack, docs/PROTOCOL.md "Op" and "The sync model") against the real server, with
// clients that speak the raw protocol and ignore the app: the server alone decides who may restack, what values
// decode, and every member's board ends up in the same order.
#include "protocollimits.h"
#include "serverharness.h"

#include <QTest>

using namespace Qt::StringLiterals;
using namespace inkroom;
using namespace inkroom::proto;
using namespace inkroom::test;

namespace {

const QString kRoom = u"stacking"_s;
const QString kOwner = u"client-owner-0001"_s;
const QString kEditor = u"client-editor-001"_s;

Op restackOp(TestClient &sender, const QStringList &ids, const QList<qint64> &z)
{
    Op op;
    op.kind = OpKind::Restack;
    op.cseq = sender.nextCseq++;
    op.ids = ids;
    op.z = z;
    return op;
}

std::optional<ErrorCode> answer(TestClient &client, const Op &op)
{
    client.send(op);
    if (!client.waitForAnswer(op.cseq))
        return ErrorCode::Internal;
    if (const auto reject = client.rejectFor(op.cseq))
        return reject->retry ? ErrorCode::HeldBack : reject->code;
    return std::nullopt;
}

//! The ids of a board, bottom to top.
QStringList order(const Board &board)
{
    QStringList ids;
    for (const Item &item : board.orderedItems())
        ids << item.id;
    return ids;
}

} // namespace

class TestServerRestack : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void restackOrdersTheBoardForEveryoneAndSurvivesARestart()
    {
        ServerFixture fixture;
        QVERIFY(fixture.start());
        // The watcher sees every op (a sender is not sent its own back).
        TestClient owner(kOwner, u"Ann"_s), editor(kEditor, u"Bo"_s), watcher(u"client-watcher-01"_s, u"Di"_s);
        QVERIFY(owner.join(fixture.url(), kRoom));
        QVERIFY(editor.join(fixture.url(), kRoom));
        QVERIFY(watcher.join(fixture.url(), kRoom));
        QStringList ids;
        for (int i = 0; i < 3; ++i) {
            const Op add = owner.makeAdd();
            QCOMPARE(answer(owner, add), std::nullopt);
            ids << add.item.id;
        }
        // The editor sends the owner's first item to the back below zero, and brings it to the front again.
        QCOMPARE(answer(editor, restackOp(editor, {ids[0], ids[2]}, {-5, -4})), std::nullopt);
        QVERIFY(waitUntil([&watcher] { return watcher.count<Op>() >= 4; }));
        QCOMPARE(watcher.last<Op>()->kind, OpKind::Restack);
        QCOMPARE(watcher.last<Op>()->z, (QList<qint64> {-5, -4}));
        QCOMPARE(order(watcher.boardSinceWelcome()), (QStringList {ids[0], ids[2], ids[1]}));
        QCOMPARE(answer(editor, restackOp(editor, {ids[0]}, {qint64(limits::MaxStackOrder)})), std::nullopt);
        QVERIFY(waitUntil([&watcher] { return watcher.count<Op>() >= 5; }));
        const QStringList expected {ids[2], ids[1], ids[0]};
        QCOMPARE(order(watcher.boardSinceWelcome()), expected);

        // A newcomer's snapshot carries the orders; so does the stored room after a restart.
        fixture.restart();
        TestClient late(u"client-latecomer-1"_s, u"Cy"_s);
        QVERIFY(late.join(fixture.url(), kRoom));
        QVERIFY(late.welcome()->snapshot);
        QCOMPARE(order(late.boardSinceWelcome()), expected);
        QCOMPARE(late.boardSinceWelcome().item(ids[2])->z, -4);
    }

    void aViewerMayNotRestack()
    {
        ServerFixture fixture;
        QVERIFY(fixture.start());
        TestClient owner(kOwner, u"Ann"_s), viewer(kEditor, u"Bo"_s);
        QVERIFY(owner.join(fixture.url(), kRoom));
        QVERIFY(viewer.join(fixture.url(), kRoom));
        const Op add = owner.makeAdd();
        QCOMPARE(answer(owner, add), std::nullopt);
        Op role;
        role.kind = OpKind::SetRole;
        role.cseq = owner.nextCseq++;
        role.target = kEditor;
        role.role = Role::Viewer;
        QCOMPARE(answer(owner, role), std::nullopt);
        QCOMPARE(answer(viewer, restackOp(viewer, {add.item.id}, {-1})), ErrorCode::ViewOnly);
        // A locked board: the same for an editor, not for the owner.
        role.cseq = owner.nextCseq++;
        role.role = Role::Editor;
        QCOMPARE(answer(owner, role), std::nullopt);
        Op lock;
        lock.kind = OpKind::Lock;
        lock.cseq = owner.nextCseq++;
        QCOMPARE(answer(owner, lock), std::nullopt);
        QCOMPARE(answer(viewer, restackOp(viewer, {add.item.id}, {-1})), ErrorCode::ViewOnly);
        QCOMPARE(answer(owner, restackOp(owner, {add.item.id}, {-1})), std::nullopt);
        QVERIFY(waitUntil([&viewer] { return viewer.last<Op>() && viewer.last<Op>()->kind == OpKind::Restack; }));
        QCOMPARE(viewer.boardSinceWelcome().item(add.item.id)->z, -1);
    }

    void unknownIdsChangeNothingAndAreNotRefused()
    {
        // Like a move: an item somebody removed meanwhile is passed over, the change itself still counts.
        ServerFixture fixture;
        QVERIFY(fixture.start());
        TestClient owner(kOwner, u"Ann"_s), editor(kEditor, u"Bo"_s), watcher(u"client-watcher-01"_s, u"Di"_s);
        QVERIFY(owner.join(fixture.url(), kRoom));
        QVERIFY(editor.join(fixture.url(), kRoom));
        QVERIFY(watcher.join(fixture.url(), kRoom));
        const Op add = owner.makeAdd();
        QCOMPARE(answer(owner, add), std::nullopt);
        QVERIFY(waitUntil([&watcher] { return watcher.count<Op>() >= 1; }));
        const Board before = watcher.boardSinceWelcome();
        QCOMPARE(answer(editor, restackOp(editor, {u"nobody:1"_s}, {-3})), std::nullopt);
        QCOMPARE(answer(editor, restackOp(editor, {u"nobody:2"_s, add.item.id}, {7, -3})), std::nullopt);
        QVERIFY(waitUntil([&watcher] { return watcher.count<Op>() >= 3; }));
        const Board after = watcher.boardSinceWelcome();
        QCOMPARE(after.size(), before.size());
        QVERIFY(!after.contains(u"nobody:2"_s));
        QCOMPARE(after.item(add.item.id)->z, -3);
    }

    void badValuesAreRefusedWhereTheyAre_data()
    {
        QTest::addColumn<QByteArray>("body");
        QTest::addColumn<int>("code");
        QTest::addColumn<QString>("field");
        const QByteArray id = "\"client-editor-001:1\"";
        QTest::newRow("no z") << QByteArray("\"ids\":[" + id + "]") << int(ErrorCode::MissingField) << u"z"_s;
        QTest::newRow("fewer z than ids")
            << QByteArray("\"ids\":[" + id + "," + id + "],\"z\":[1]") << int(ErrorCode::BadValue) << u"z"_s;
        QTest::newRow("more z than ids") << QByteArray("\"ids\":[" + id + "],\"z\":[1,2]") << int(ErrorCode::BadValue)
                                         << u"z"_s;
        QTest::newRow("no ids") << QByteArray("\"ids\":[],\"z\":[]") << int(ErrorCode::BadValue) << u"ids"_s;
        QTest::newRow("not whole") << QByteArray("\"ids\":[" + id + "],\"z\":[1.5]") << int(ErrorCode::OutOfRange)
                                   << u"z[0]"_s;
        QTest::newRow("past 2^53") << QByteArray("\"ids\":[" + id + "],\"z\":[9007199254740992]")
                                   << int(ErrorCode::OutOfRange) << u"z[0]"_s;
        QTest::newRow("below -2^53") << QByteArray("\"ids\":[" + id + "],\"z\":[-9007199254740993]")
                                     << int(ErrorCode::OutOfRange) << u"z[0]"_s;
        QTest::newRow("a string") << QByteArray("\"ids\":[" + id + "],\"z\":[\"1\"]") << int(ErrorCode::WrongType)
                                  << u"z[0]"_s;
        QTest::newRow("not an id") << QByteArray("\"ids\":[\"a b\"],\"z\":[1]") << int(ErrorCode::BadValue)
                                   << u"ids[0]"_s;
    }

    void badValuesAreRefusedWhereTheyAre()
    {
        QFETCH(QByteArray, body);
        QFETCH(int, code);
        QFETCH(QString, field);
        ServerFixture fixture;
        QVERIFY(fixture.start());
        TestClient owner(kOwner, u"Ann"_s), sender(kEditor, u"Bo"_s);
        QVERIFY(owner.join(fixture.url(), kRoom));
        QVERIFY(sender.join(fixture.url(), kRoom));
        const Op add = sender.makeAdd();
        QCOMPARE(answer(sender, add), std::nullopt);
        sender.clear();
        sender.sendBytes(R"({"type":"op","kind":"restack","cseq":)" + QByteArray::number(sender.nextCseq++) + "," + body
                         + "}");
        QVERIFY(sender.waitFor<Error>());
        QCOMPARE(int(sender.last<Error>()->code), code);
        QCOMPARE(sender.last<Error>()->field, field);
        QVERIFY(!sender.last<Error>()->fatal);
        // Nothing reached the others, and the connection goes on.
        QCOMPARE(sender.count<Ack>(), 0);
        QCOMPARE(answer(sender, sender.makeChat(u"still here"_s)), std::nullopt);
        QVERIFY(waitUntil([&owner] { return owner.last<Op>() && owner.last<Op>()->kind == OpKind::Chat; }));
        for (const Op &op : owner.all<Op>())
            QVERIFY(op.kind != OpKind::Restack);
    }
};

QTEST_GUILESS_MAIN(TestServerRestack)
#include "tst_server_restack.moc"
