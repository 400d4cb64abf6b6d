// Join codes: six characters to read aloud, the same on the host's and the joiner's side, forgiving in how they are
// typed and strict in what they are.
#include "joincode.h"

#include <QSet>
#include <QTest>

using namespace Qt::StringLiterals;
using namespace inkroom::client;

namespace {
const QString kFingerprint =
    u"2C:B2:AC:80:F0:DD:96:8D:9F:F8:80:63:F3:82:6E:5C:B1:BB:6F:AC:EC:7E:0B:7A:C1:AE:55:6A:D1:F7:48:85"_s;
}

class TestJoinCode : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void stableAndReadable()
    {
        const QString code = joinCode(kFingerprint, u"Design review"_s);
        // The same inputs give the same code on every machine and in every version (hosts and joiners must agree).
        QCOMPARE(code, joinCode(kFingerprint, u"Design review"_s));
        QCOMPARE(code.size(), 7);
        QCOMPARE(code.at(3), u'-');
        for (const QChar c : QString(code.left(3) + code.mid(4)))
            QVERIFY2(u"23456789ABCDEFGHJKLMNPQRSTUVWXYZ"_s.contains(c), qPrintable(code));
        QCOMPARE(normaliseJoinCode(code), code);
    }

    void differsByServerAndRoom()
    {
        QSet<QString> codes;
        for (int i = 0; i < 2000; ++i)
            codes.insert(joinCode(kFingerprint, u"Room %1"_s.arg(i)));
        QCOMPARE(codes.size(), 2000);
        QVERIFY(joinCode(kFingerprint, u"a"_s) != joinCode(kFingerprint.toLower(), u"a"_s));
        QVERIFY(joinCode(kFingerprint, u"a"_s) != joinCode(kFingerprint, u"A"_s));
    }

    void typing_data()
    {
        QTest::addColumn<QString>("typed");
        QTest::addColumn<QString>("code");
        QTest::newRow("as shown") << u"K7F-Q2M"_s << u"K7F-Q2M"_s;
        QTest::newRow("lower case, no dash") << u"k7fq2m"_s << u"K7F-Q2M"_s;
        QTest::newRow("spaces") << u" k7f q2m "_s << u"K7F-Q2M"_s;
        QTest::newRow("too short") << u"K7F-Q2"_s << QString();
        QTest::newRow("too long") << u"K7F-Q2MM"_s << QString();
        QTest::newRow("look-alike O") << u"K7F-Q2O"_s << QString();
        QTest::newRow("look-alike 1") << u"K7F-Q21"_s << QString();
        QTest::newRow("an address") << u"10.0.0.5"_s << QString();
        QTest::newRow("a link") << u"inkroom://host/room"_s << QString();
        QTest::newRow("empty") << QString() << QString();
    }

    void typing()
    {
        QFETCH(QString, typed);
        QFETCH(QString, code);
        QCOMPARE(normaliseJoinCode(typed), code);
    }
};

QTEST_GUILESS_MAIN(TestJoinCode)
#include "tst_lan_joincode.moc"
