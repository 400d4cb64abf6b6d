// Names people can trust (issue 19, item 7): room names that look the same are one room (also rooms made before the
// rule), display names that show nothing or reorder text are refused, a second "Ann" in Ann's colour is shown as
// "Ann (2)", and chat made of nothing visible is refused.
#include "closecodes.h"
#include "protocollimits.h"
#include "serverharness.h"
#include "store.h"
#include "textrules.h"

#include <QTest>

using namespace Qt::StringLiterals;
using namespace inkroom;
using namespace inkroom::proto;
using namespace inkroom::test;

namespace {

//! A hello that fails: its fatal error.
std::optional<Error> refusedHello(const QUrl &url, const QString &name, const QString &room = u"names"_s)
{
    TestClient client(QString(), name);
    if (client.join(url, room) || !client.waitForClose())
        return std::nullopt;
    if (client.closeCode() != quint16(CloseCode::BadHello))
        return std::nullopt;
    return client.last<Error>();
}

} // namespace

class TestServerNames : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void theKeysOfNames()
    {
        QCOMPARE(text::roomKey(u"Ｄｅｓｉｇｎ２"_s), text::roomKey(u"design2"_s));
        QCOMPARE(text::roomKey(u"  Design2 "_s), text::roomKey(u"design2"_s));
        QCOMPARE(text::roomKey(u"de\u200Bsign2"_s), text::roomKey(u"design2"_s));
        QCOMPARE(text::roomKey(u"Caf\u00E9"_s), text::roomKey(u"cafe\u0301"_s));
        QVERIFY(text::roomKey(u"design2"_s) != text::roomKey(u"design 2"_s));
        QCOMPARE(text::normalisedRoomName(u"  Team \t A "_s), u"Team A"_s);
        QVERIFY(!text::hasVisibleCharacter(u"\u200B\u200C\u200D \u2060\uFEFF\u3164\u115F\u2800\u0301"_s));
        QVERIFY(text::hasVisibleCharacter(u"\u200Ba"_s));
        QVERIFY(text::hasVisibleCharacter(u"\U0001F600"_s));
        QVERIFY(text::hasBidiControl(u"Ann\u202E"_s));
        QVERIFY(!text::hasBidiControl(u"\u05E9\u05DC\u05D5\u05DD"_s)); // Hebrew letters are text, not controls
    }

    void bothJsonParsersAgreeOnNoncharactersAndLoneSurrogates()
    {
        // The fast parser hands what it does not take to QJsonDocument; both must give the same answer, for escapes
        // and raw bytes alike (fuzz_decode compares them on every input it makes).
        const QList<QByteArray> texts = {
            "\\uFFFF",        "\\uFFFE",        "\\uFDD0",      "\\uD800",      "\\uDC00",          "a\\uD800b",
            "\\uDBFF\\uDFFF", "\\uD83D\\uDE00", "\xEF\xBF\xBF", "\xED\xA0\x80", "\xF4\x8F\xBF\xBF", "x\xEF\xB7\x90",
        };
        for (const QByteArray &text : texts) {
            const QByteArray bytes = "{\"type\":\"op\",\"kind\":\"chat\",\"cseq\":1,\"text\":\"see " + text + "\"}";
            const DecodeResult fast = decode(bytes, limits::MaxClientMessageBytes);
            const DecodeResult reference = decodeWithQJsonDocument(bytes, limits::MaxClientMessageBytes);
            QVERIFY2(fast.ok() == reference.ok(), text.constData());
            if (fast.ok()) {
                QVERIFY2(fast.message() == reference.message(), text.constData());
                QCOMPARE(encode(fast.message()), encode(reference.message()));
            } else {
                QCOMPARE(fast.error().code, reference.error().code);
                QCOMPARE(fast.error().field, reference.error().field);
            }
        }
    }

    void roomNamesThatLookTheSameAreOneRoom()
    {
        // Once: design2, full-width Ｄｅｓｉｇｎ２ and "Design2 " were three rooms.
        ServerFixture fixture;
        QVERIFY(fixture.start());
        TestClient ann(u"client-ann-000001"_s, u"Ann"_s);
        QVERIFY(ann.join(fixture.url(), u"design2"_s));
        const Welcome first = *ann.welcome();
        QCOMPARE(first.room, u"design2"_s);
        ann.send(ann.makeAdd());
        QVERIFY(ann.waitFor<Ack>());
        int n = 0;
        for (const QString &spelling : {u"Ｄｅｓｉｇｎ２"_s, u"Design2 "_s, u"DESIGN2"_s, u"de\u200Bsign2"_s}) {
            ++n;
            TestClient other(u"client-other-%1"_s.arg(n, 4, 10, QChar(u'0')), u"Other %1"_s.arg(n));
            QVERIFY2(other.join(fixture.url(), spelling), qPrintable(spelling));
            QCOMPARE(other.welcome()->room, u"design2"_s);
            QCOMPARE(other.welcome()->epoch, first.epoch);
            QCOMPARE(other.boardSinceWelcome().size(), 1);
        }
        // A new room is stored as people mean it: trimmed, white space made one space.
        TestClient team(u"client-team-00001"_s, u"Team"_s);
        QVERIFY(team.join(fixture.url(), u"  Team   A "_s));
        QCOMPARE(team.welcome()->room, u"Team A"_s);
        DatabaseProbe probe(fixture.dataDir());
        QCOMPARE(probe.number(u"SELECT COUNT(*) FROM rooms"_s), 2);
    }

    void roomsMadeBeforeTheRuleAreStillFound()
    {
        // A database from before room keys (schema 3), holding "design" and a look-alike "Design": both keep their
        // rows and epochs. The older one takes the key; the other is found by its exact name.
        ServerFixture fixture;
        QVERIFY(fixture.start());
        TestClient ann(u"client-ann-000001"_s, u"Ann"_s);
        QVERIFY(ann.join(fixture.url(), u"design"_s));
        ann.send(ann.makeAdd());
        QVERIFY(ann.waitFor<Ack>());
        const QString epoch = ann.welcome()->epoch;
        ann.close();
        fixture.stop();
        {
            DatabaseProbe probe(fixture.dataDir());
            QVERIFY(probe.exec(u"DROP INDEX rooms_by_key"_s));
            QVERIFY(probe.exec(u"ALTER TABLE rooms DROP COLUMN name_key"_s));
            QVERIFY(probe.exec(u"INSERT INTO rooms (name, epoch, created) VALUES ('Design', 'legacy-epoch', 0)"_s));
            QVERIFY(probe.exec(u"UPDATE meta SET value = '3' WHERE key = 'schema'"_s));
        }
        QVERIFY(fixture.start());
        {
            DatabaseProbe probe(fixture.dataDir());
            QCOMPARE(probe.number(u"SELECT value FROM meta WHERE key = 'schema'"_s), server::Store::SchemaVersion);
            QCOMPARE(probe.number(u"SELECT COUNT(*) FROM rooms WHERE name_key IS NOT NULL"_s), 1);
        }
        TestClient exact(u"client-exact-0001"_s, u"Exact"_s);
        QVERIFY(exact.join(fixture.url(), u"design"_s));
        QCOMPARE(exact.welcome()->epoch, epoch);
        QCOMPARE(exact.boardSinceWelcome().size(), 1);
        TestClient lookAlike(u"client-alike-0001"_s, u"Alike"_s);
        QVERIFY(lookAlike.join(fixture.url(), u"Design"_s));
        QCOMPARE(lookAlike.welcome()->epoch, u"legacy-epoch"_s);
        QCOMPARE(lookAlike.boardSinceWelcome().size(), 0);
        TestClient shouted(u"client-shout-0001"_s, u"Shout"_s);
        QVERIFY(shouted.join(fixture.url(), u"DESIGN"_s));
        QCOMPARE(shouted.welcome()->epoch, epoch);
        DatabaseProbe probe(fixture.dataDir());
        QCOMPARE(probe.number(u"SELECT COUNT(*) FROM rooms"_s), 2);
    }

    void displayNamesThatShowNothingAreRefused()
    {
        ServerFixture fixture;
        QVERIFY(fixture.start());
        for (const QString &name : {u"\u200B\u200B"_s, u"\u3164"_s, u" \u2060 "_s, u"\u0301"_s, u"Ann\u202E"_s,
                                    u"\u202Enna"_s, u"Bo\u2066b"_s}) {
            const std::optional<Error> error = refusedHello(fixture.url(), name);
            QVERIFY2(error, name.toUtf8().toHex().constData());
            QCOMPARE(error->code, ErrorCode::BadValue);
            QCOMPARE(error->field, u"name"_s);
        }
        // A profile change to such a name is refused too, and the member keeps its name.
        TestClient ann(u"client-ann-000001"_s, u"Ann"_s);
        QVERIFY(ann.join(fixture.url(), u"names"_s));
        ann.send(Profile {u"\u200D"_s, ann.colour});
        QVERIFY(ann.waitFor<Error>());
        QCOMPARE(ann.last<Error>()->code, ErrorCode::BadValue);
        QVERIFY(!ann.last<Error>()->fatal);
        QCOMPARE(ann.count<Presence>(), 0);
    }

    void aSecondAnnInTheSameColourIsShownAsAnn2()
    {
        ServerFixture fixture;
        QVERIFY(fixture.start());
        TestClient ann(u"client-ann-000001"_s, u"Ann"_s);
        QVERIFY(ann.join(fixture.url(), u"names"_s));
        TestClient copy(u"client-copy-00001"_s, u"Ann"_s);
        QVERIFY(copy.join(fixture.url(), u"names"_s));
        QCOMPARE(copy.welcome()->members.constLast().name, u"Ann (2)"_s);
        QVERIFY(ann.waitFor<Presence>());
        QCOMPARE(ann.last<Presence>()->member.name, u"Ann (2)"_s);
        // The same name in other letters' case or widths is the same name; another colour is another person.
        TestClient third(u"client-third-0001"_s, u"ＡＮＮ"_s);
        QVERIFY(third.join(fixture.url(), u"names"_s));
        QCOMPARE(third.welcome()->members.constLast().name, u"ＡＮＮ (3)"_s);
        TestClient green(u"client-green-0001"_s, u"Ann"_s);
        green.colour = 0xff00aa00;
        QVERIFY(green.join(fixture.url(), u"names"_s));
        QCOMPARE(green.welcome()->members.constLast().name, u"Ann"_s);
        // Changing one's profile into a copy is disambiguated the same way.
        green.send(Profile {u"Ann"_s, ann.colour});
        QVERIFY(green.waitFor<Presence>(1));
        QVERIFY(waitUntil([&green] {
            for (const Presence &presence : green.all<Presence>()) {
                if (presence.event == PresenceEvent::Updated && presence.member.client == green.clientId)
                    return true;
            }
            return false;
        }));
        QCOMPARE(green.last<Presence>()->member.name, u"Ann (4)"_s);
        // Chat shows who wrote it by the name shown.
        const quint64 cseq = copy.sendOp(copy.makeChat(u"hello"_s));
        QVERIFY(copy.waitForAnswer(cseq));
        QVERIFY(ann.waitFor<Op>());
        QCOMPARE(ann.last<Op>()->author, u"Ann (2)"_s);
    }

    void chatOfNothingVisibleIsRefused()
    {
        ServerFixture fixture;
        QVERIFY(fixture.start());
        TestClient ann(u"client-ann-000001"_s, u"Ann"_s);
        QVERIFY(ann.join(fixture.url(), u"names"_s));
        for (const QString &text : {u"\u200B \u200D"_s, u"\u3164\u3164"_s, u"\u2800"_s, u"\uFEFF\n\t"_s}) {
            const quint64 cseq = ann.sendOp(ann.makeChat(text));
            QVERIFY(ann.waitForAnswer(cseq));
            QVERIFY2(ann.rejectFor(cseq), text.toUtf8().toHex().constData());
            QCOMPARE(ann.rejectFor(cseq)->code, ErrorCode::BadValue);
            QVERIFY(!ann.rejectFor(cseq)->retry);
            QVERIFY(!isTransient(ann.rejectFor(cseq)->code));
        }
        const quint64 visible = ann.sendOp(ann.makeChat(u"\u200Bvisible"_s));
        QVERIFY(ann.waitForAnswer(visible));
        QVERIFY(ann.ackFor(visible));
    }
};

QTEST_GUILESS_MAIN(TestServerNames)
#include "tst_server_names.moc"
