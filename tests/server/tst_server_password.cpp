#include "closecodes.h"
#include "serverharness.h"

#include <QFile>
#include <QSqlDatabase>
#include <QSqlQuery>
#include <QTest>

using namespace Qt::StringLiterals;
using namespace inkroom;
using namespace inkroom::proto;
using namespace inkroom::test;

namespace {

const QString kRoom = u"private"_s;
const QString kPassword = u"open sesame, nicely long"_s;

quint16 closeCode(CloseCode code)
{
    return quint16(code);
}

} // namespace

class TestServerPassword : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void theCreatorSetsThePassword()
    {
        ServerFixture fixture;
        QVERIFY(fixture.start());
        TestClient ann;
        QVERIFY(ann.join(fixture.url(), kRoom, std::nullopt, kPassword));
        QVERIFY(ann.welcome()->hasPassword);

        TestClient bo;
        QVERIFY(bo.join(fixture.url(), kRoom, std::nullopt, kPassword));
        QVERIFY(bo.welcome()->hasPassword);
        QCOMPARE(bo.welcome()->members.size(), 2);

        TestClient wrong;
        QVERIFY(!wrong.join(fixture.url(), kRoom, std::nullopt, u"open sesame"_s));
        QCOMPARE(wrong.closeCode(), closeCode(CloseCode::WrongPassword));
        QCOMPARE(wrong.count<Welcome>(), 0);
        QCOMPARE(wrong.last<Error>()->code, ErrorCode::WrongPassword);
        QVERIFY(wrong.last<Error>()->fatal);

        TestClient none;
        QVERIFY(!none.join(fixture.url(), kRoom));
        QCOMPARE(none.closeCode(), closeCode(CloseCode::WrongPassword));
        QCOMPARE(none.last<Error>()->code, ErrorCode::WrongPassword);
        // Nobody who failed shows up in the room.
        QTest::qWait(50);
        QCOMPARE(ann.count<Presence>(), 1);
    }

    void aRoomWithoutPasswordIgnoresOne()
    {
        ServerFixture fixture;
        QVERIFY(fixture.start());
        TestClient ann;
        QVERIFY(ann.join(fixture.url(), kRoom));
        QVERIFY(!ann.welcome()->hasPassword);
        TestClient bo;
        QVERIFY(bo.join(fixture.url(), kRoom, std::nullopt, u"whatever"_s));
        QVERIFY(!bo.welcome()->hasPassword);
    }

    void thePasswordIsStoredSaltedAndHashed()
    {
        ServerFixture fixture;
        QVERIFY(fixture.start());
        TestClient ann;
        QVERIFY(ann.join(fixture.url(), kRoom, std::nullopt, kPassword));
        TestClient other;
        QVERIFY(other.join(fixture.url(), u"other"_s, std::nullopt, kPassword));
        fixture.stop();

        {
            QSqlDatabase db = QSqlDatabase::addDatabase(u"QSQLITE"_s, u"probe"_s);
            db.setDatabaseName(fixture.dataDir() + u"/inkroom.sqlite"_s);
            QVERIFY(db.open());
            QSqlQuery q(db);
            QVERIFY(q.exec(u"SELECT pw_salt, pw_hash, pw_iterations FROM rooms ORDER BY name"_s));
            QList<QByteArray> salts;
            QList<QByteArray> hashes;
            while (q.next()) {
                salts << q.value(0).toByteArray();
                hashes << q.value(1).toByteArray();
                QCOMPARE(q.value(2).toInt(), fixture.config().passwordIterations);
            }
            QCOMPARE(salts.size(), 2);
            QCOMPARE(salts.at(0).size(), 16);
            QCOMPARE(hashes.at(0).size(), 32);
            // A salt per room: the same password hashes differently.
            QVERIFY(salts.at(0) != salts.at(1));
            QVERIFY(hashes.at(0) != hashes.at(1));
            q = QSqlQuery();
            db.close();
        }
        QSqlDatabase::removeDatabase(u"probe"_s);
        // The password itself is nowhere in the files.
        for (const QString &name : {u"/inkroom.sqlite"_s, u"/inkroom.sqlite-wal"_s}) {
            QFile file(fixture.dataDir() + name);
            if (file.open(QIODevice::ReadOnly))
                QVERIFY(!file.readAll().contains(kPassword.toUtf8()));
        }
    }

    void thePasswordSurvivesARestart()
    {
        ServerFixture fixture;
        QVERIFY(fixture.start());
        {
            TestClient ann;
            QVERIFY(ann.join(fixture.url(), kRoom, std::nullopt, kPassword));
        }
        QVERIFY(fixture.restart());
        TestClient wrong;
        QVERIFY(!wrong.join(fixture.url(), kRoom, std::nullopt, u"nope"_s));
        QCOMPARE(wrong.closeCode(), closeCode(CloseCode::WrongPassword));
        TestClient right;
        QVERIFY(right.join(fixture.url(), kRoom, std::nullopt, kPassword));
        QVERIFY(right.welcome()->hasPassword);
    }

    void failedAttemptsAreLimitedPerAddress()
    {
        ServerFixture fixture([](server::ServerConfig &config) {
            config.maxPasswordFailures = 4; // making the room counts as one
            config.passwordFailureWindowMs = 60000;
        });
        QVERIFY(fixture.start());
        TestClient ann;
        QVERIFY(ann.join(fixture.url(), kRoom, std::nullopt, kPassword));

        for (int i = 0; i < 3; ++i) {
            TestClient guess;
            QVERIFY(!guess.join(fixture.url(), kRoom, std::nullopt, u"guess %1"_s.arg(i)));
            QCOMPARE(guess.closeCode(), closeCode(CloseCode::WrongPassword));
        }
        // From now on this address is refused, even with the right password, until the window passes.
        TestClient blocked;
        QVERIFY(!blocked.join(fixture.url(), kRoom, std::nullopt, kPassword));
        QCOMPARE(blocked.closeCode(), closeCode(CloseCode::TooManyAttempts));
        QCOMPARE(blocked.last<Error>()->code, ErrorCode::TooManyAttempts);
        QVERIFY(!proto::isRetryable(blocked.closeCode()));
        // Rooms without a password are not affected.
        TestClient elsewhere;
        QVERIFY(elsewhere.join(fixture.url(), u"open room"_s));
    }

    void failedAttemptsExpire()
    {
        ServerFixture fixture([](server::ServerConfig &config) {
            config.maxPasswordFailures = 2; // making the room counts as one
            config.passwordFailureWindowMs = 300;
        });
        QVERIFY(fixture.start());
        TestClient ann;
        QVERIFY(ann.join(fixture.url(), kRoom, std::nullopt, kPassword));
        TestClient guess;
        QVERIFY(!guess.join(fixture.url(), kRoom, std::nullopt, u"guess"_s));
        QCOMPARE(guess.closeCode(), closeCode(CloseCode::WrongPassword));
        TestClient blocked;
        QVERIFY(!blocked.join(fixture.url(), kRoom, std::nullopt, kPassword));
        QCOMPARE(blocked.closeCode(), closeCode(CloseCode::TooManyAttempts));
        QTest::qWait(400);
        TestClient later;
        QVERIFY(later.join(fixture.url(), kRoom, std::nullopt, kPassword));
    }

    void successesDoNotCount()
    {
        // Making the room counts as one attempt: then one wrong guess is allowed, and six successes add nothing.
        ServerFixture fixture([](server::ServerConfig &config) { config.maxPasswordFailures = 3; });
        QVERIFY(fixture.start());
        TestClient ann;
        QVERIFY(ann.join(fixture.url(), kRoom, std::nullopt, kPassword));
        for (int i = 0; i < 6; ++i) {
            TestClient member;
            QVERIFY(member.join(fixture.url(), kRoom, std::nullopt, kPassword));
        }
        TestClient guess;
        QVERIFY(!guess.join(fixture.url(), kRoom, std::nullopt, u"guess"_s));
        QCOMPARE(guess.closeCode(), closeCode(CloseCode::WrongPassword));
        TestClient member;
        QVERIFY(member.join(fixture.url(), kRoom, std::nullopt, kPassword));
    }

    void makingPasswordRoomsCountsAsAnAttempt()
    {
        // A password room costs a hash to make, as a guess does: hellos that make rooms are limited the same way.
        ServerFixture fixture([](server::ServerConfig &config) { config.maxPasswordFailures = 3; });
        QVERIFY(fixture.start());
        for (int i = 0; i < 3; ++i) {
            TestClient maker;
            QVERIFY(maker.join(fixture.url(), u"room %1"_s.arg(i), std::nullopt, kPassword));
        }
        TestClient fourth;
        QVERIFY(!fourth.join(fixture.url(), u"room 3"_s, std::nullopt, kPassword));
        QCOMPARE(fourth.closeCode(), closeCode(CloseCode::TooManyAttempts));
        QCOMPARE(fourth.last<Error>()->code, ErrorCode::TooManyAttempts);
        // Nothing was made for it, and rooms without a password are not affected.
        TestClient open;
        QVERIFY(open.join(fixture.url(), u"room 3"_s));
        QVERIFY(!open.welcome()->hasPassword);
    }

    void wrongJoinTokensAreLimitedPerAddress()
    {
        ServerFixture fixture([](server::ServerConfig &config) {
            config.joinToken = u"the right token"_s;
            config.maxPasswordFailures = 3;
        });
        QVERIFY(fixture.start());
        const auto joinWith = [&fixture](TestClient &client, const QString &token) {
            if (!client.connectTo(fixture.url()))
                return false;
            Hello hello = client.hello(u"open"_s);
            hello.token = token;
            client.send(hello);
            return waitUntil([&client] { return client.count<Synced>() > 0 || !client.isConnected(); })
                && client.count<Synced>() > 0;
        };
        for (int i = 0; i < 3; ++i) {
            TestClient guess;
            QVERIFY(!joinWith(guess, u"guess %1"_s.arg(i)));
            QVERIFY(guess.waitForClose());
            QCOMPARE(guess.closeCode(), closeCode(CloseCode::BadToken));
        }
        // Past the limit the token is not even compared: the right one is refused too, until the window passes.
        TestClient blocked;
        QVERIFY(!joinWith(blocked, u"the right token"_s));
        QVERIFY(blocked.waitForClose());
        QCOMPARE(blocked.closeCode(), closeCode(CloseCode::TooManyAttempts));
        QCOMPARE(blocked.last<Error>()->code, ErrorCode::TooManyAttempts);
    }

    void otherRoomsKeepWorkingDuringAPasswordCheck()
    {
        // A real iteration count: the hash runs off the server's thread while another room keeps going.
        ServerFixture fixture([](server::ServerConfig &config) { config.passwordIterations = 200000; });
        QVERIFY(fixture.start());
        TestClient bo;
        QVERIFY(bo.join(fixture.url(), u"busy"_s));
        TestClient ann;
        QVERIFY(ann.connectTo(fixture.url()));
        ann.send(ann.hello(kRoom, kPassword));
        const quint64 cseq = bo.sendOp(bo.makeAdd());
        QVERIFY(bo.waitForAnswer(cseq));
        QVERIFY(ann.waitFor<Synced>());
        QVERIFY(ann.welcome()->hasPassword);
        // Messages a client sends before its join completes are handled after it, in order.
        TestClient cy;
        QVERIFY(cy.connectTo(fixture.url()));
        cy.send(cy.hello(kRoom, kPassword));
        const Op early = cy.makeChat(u"sent before the welcome"_s);
        cy.send(early);
        QVERIFY(cy.waitForAnswer(early.cseq));
        QVERIFY(cy.ackFor(early.cseq));
        QVERIFY(ann.waitFor<Op>());
        QCOMPARE(ann.last<Op>()->text, early.text);
    }

    void racingCreatorsAgreeOnOnePassword()
    {
        ServerFixture fixture;
        QVERIFY(fixture.start());
        TestClient ann, bo;
        QVERIFY(ann.connectTo(fixture.url()));
        QVERIFY(bo.connectTo(fixture.url()));
        // Both try to create the room at once with different passwords: exactly one of them wins.
        ann.send(ann.hello(kRoom, u"ann's password"_s));
        bo.send(bo.hello(kRoom, u"bo's password"_s));
        QVERIFY(waitUntil(
            [&] { return (ann.count<Synced>() || !ann.isConnected()) && (bo.count<Synced>() || !bo.isConnected()); }));
        QCOMPARE(ann.count<Synced>() + bo.count<Synced>(), 1);
        TestClient &loser = ann.count<Synced>() ? bo : ann;
        QVERIFY(loser.waitForClose());
        QCOMPARE(loser.closeCode(), closeCode(CloseCode::WrongPassword));
    }
};

QTEST_GUILESS_MAIN(TestServerPassword)
#include "tst_server_password.moc"
