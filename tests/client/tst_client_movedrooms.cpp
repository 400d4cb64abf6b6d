// Where a room went (MovedRooms): the record that lets a journal filed under a room's old address be found by the old
// address and the new one, and that nothing but a ws:// or wss:// address is ever followed from it.
#include "movedrooms.h"

#include <QFile>
#include <QTemporaryDir>
#include <QTest>

using namespace Qt::StringLiterals;
using inkroom::client::MovedRooms;

namespace {
const QUrl kOld(u"wss://192.0.2.10:7420"_s);
const QUrl kNew(u"wss://192.0.2.23:40017"_s);
const QString kFp = u"B0:87"_s;
} // namespace

class MovedRoomsTest : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void aRoomThatNeverMovedIsWhereItWasJoined();
    void bothAddressesFindTheFirstJournal();
    void aSecondMoveReplacesTheFirst();
    void backHomeForgetsTheMove();
    void withoutAFolderNothingIsKept();
    void refusesWhatIsNotAServerAddress();
    void aDamagedFileIsNoMove();
};

void MovedRoomsTest::aRoomThatNeverMovedIsWhereItWasJoined()
{
    QTemporaryDir dir;
    const MovedRooms::Address at = MovedRooms(dir.path()).resolve(kOld, u"design"_s);
    QCOMPARE(at.url, kOld);
    QCOMPARE(at.journalServer, kOld.toString());
    QVERIFY(!at.moved());
}

void MovedRoomsTest::bothAddressesFindTheFirstJournal()
{
    QTemporaryDir dir;
    QString error;
    QVERIFY2(MovedRooms(dir.path()).record(kOld.toString(), u"design"_s, kNew, kFp, &error), qPrintable(error));
    for (const QUrl &joined : {kOld, kNew}) {
        const MovedRooms::Address at = MovedRooms(dir.path()).resolve(joined, u"design"_s);
        QCOMPARE(at.url, kNew);
        QCOMPARE(at.fingerprint, kFp);
        QCOMPARE(at.journalServer, kOld.toString());
        QVERIFY(at.moved());
    }
    // Another room of the old server did not move.
    QCOMPARE(MovedRooms(dir.path()).resolve(kOld, u"other"_s).url, kOld);
}

void MovedRoomsTest::aSecondMoveReplacesTheFirst()
{
    QTemporaryDir dir;
    MovedRooms rooms(dir.path());
    const QUrl third(u"ws://192.0.2.40:5000"_s);
    QVERIFY(rooms.record(kOld.toString(), u"design"_s, kNew, kFp));
    QVERIFY(rooms.record(kOld.toString(), u"design"_s, third, {}));
    const MovedRooms::Address at = rooms.resolve(kOld, u"design"_s);
    QCOMPARE(at.url, third);
    QVERIFY(at.fingerprint.isEmpty());
    QCOMPARE(rooms.resolve(third, u"design"_s).journalServer, kOld.toString());
    // The address it left is nobody's now: joined there, it is a room of its own.
    QCOMPARE(rooms.resolve(kNew, u"design"_s).journalServer, kNew.toString());
}

void MovedRoomsTest::backHomeForgetsTheMove()
{
    QTemporaryDir dir;
    MovedRooms rooms(dir.path());
    QVERIFY(rooms.record(kOld.toString(), u"design"_s, kNew, kFp));
    QVERIFY(rooms.record(kOld.toString(), u"design"_s, kOld, {}));
    QVERIFY(!rooms.resolve(kOld, u"design"_s).moved());
    QVERIFY(!rooms.resolve(kNew, u"design"_s).moved());
}

void MovedRoomsTest::withoutAFolderNothingIsKept()
{
    MovedRooms rooms {QString()};
    QVERIFY(rooms.record(kOld.toString(), u"design"_s, kNew, kFp));
    QVERIFY(!rooms.resolve(kOld, u"design"_s).moved());
}

void MovedRoomsTest::refusesWhatIsNotAServerAddress()
{
    QTemporaryDir dir;
    MovedRooms rooms(dir.path());
    // Written by hand (or by a bug): a move to anything but ws:// or wss:// is never followed.
    QFile file(rooms.path());
    QVERIFY(file.open(QIODevice::WriteOnly));
    file.write(R"({"rooms":[{"server":"wss://192.0.2.10:7420","room":"design","url":"http://192.0.2.66/x"},
                            {"server":"wss://192.0.2.10:7420","room":"design","url":"file:///etc/passwd"}]})");
    file.close();
    QCOMPARE(rooms.resolve(kOld, u"design"_s).url, kOld);
    QCOMPARE(rooms.resolve(QUrl(u"http://192.0.2.66/x"_s), u"design"_s).journalServer, u"http://192.0.2.66/x"_s);
    // Recording again keeps the file readable and the good record in it.
    QVERIFY(rooms.record(kOld.toString(), u"design"_s, kNew, kFp));
    QCOMPARE(rooms.resolve(kOld, u"design"_s).url, kNew);
}

void MovedRoomsTest::aDamagedFileIsNoMove()
{
    QTemporaryDir dir;
    MovedRooms rooms(dir.path());
    QFile file(rooms.path());
    QVERIFY(file.open(QIODevice::WriteOnly));
    file.write("{\"rooms\": [{\"server\": \"wss://192.0.2.10:7420\", \"ro");
    file.close();
    QCOMPARE(rooms.resolve(kOld, u"design"_s).url, kOld);
    QVERIFY(rooms.record(kOld.toString(), u"design"_s, kNew, kFp));
    QCOMPARE(rooms.resolve(kNew, u"design"_s).journalServer, kOld.toString());
}

QTEST_GUILESS_MAIN(MovedRoomsTest)
#include "tst_client_movedrooms.moc"
