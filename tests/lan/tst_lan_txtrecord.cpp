// The DNS-SD TXT record: what a server writes is what a browser reads, and what is not an Inkroom announcement is
// refused instead of shown.
#include "fingerprint.h"
#include "txtrecord.h"

#include <QTest>

using namespace Qt::StringLiterals;
using namespace inkroom::lan;

namespace {
const QString kFingerprint =
    u"2C:B2:AC:80:F0:DD:96:8D:9F:F8:80:63:F3:82:6E:5C:B1:BB:6F:AC:EC:7E:0B:7A:C1:AE:55:6A:D1:F7:48:85"_s;
}

class TestTxtRecord : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void roundTrip()
    {
        const Announcement a {u"Room 214 projector"_s, 2, true, kFingerprint, true};
        const QList<QByteArray> txt = toTxt(a);
        QCOMPARE(txt,
                 (QList<QByteArray> {"txtvers=1", "protocol=2", "tls=1",
                                     "fp=2cb2ac80f0dd968d9ff88063f3826e5cb1bb6facec7e0b7ac1ae556ad1f74885",
                                     "name=Room 214 projector", "token=1"}));
        QCOMPARE(fromTxt(txt), a);
        // Every entry fits a TXT string (255 bytes) with room to spare.
        for (const QByteArray &entry : txt)
            QVERIFY(entry.size() < 100);
    }

    void insecureHasNoFingerprint()
    {
        const Announcement a {u"Debug"_s, 2, false, {}, false};
        const QList<QByteArray> txt = toTxt(a);
        QVERIFY(!txt.contains("fp="));
        QVERIFY(txt.contains("tls=0"));
        QCOMPARE(fromTxt(txt), a);
    }

    void refused_data()
    {
        QTest::addColumn<QList<QByteArray>>("txt");
        QTest::addColumn<QString>("problem");
        QTest::newRow("empty") << QList<QByteArray> {} << u"no protocol version"_s;
        QTest::newRow("protocol not a number") << QList<QByteArray> {"protocol=two", "tls=0"} << u"no protocol"_s;
        QTest::newRow("tls without fingerprint") << QList<QByteArray> {"protocol=2", "tls=1"} << u"fingerprint"_s;
        QTest::newRow("short fingerprint") << QList<QByteArray> {"protocol=2", "fp=2cb2ac"} << u"fingerprint"_s;
    }

    void refused()
    {
        QFETCH(QList<QByteArray>, txt);
        QFETCH(QString, problem);
        QString why;
        QVERIFY(!fromTxt(txt, &why));
        QVERIFY2(why.contains(problem), qPrintable(why));
    }

    //! RFC 6763 6.4: keys are case-insensitive and the first of a repeated key counts; unknown keys are ignored.
    void lenientReading()
    {
        const auto a = fromTxt({"PROTOCOL=3", "protocol=2", "Tls=0", "future=yes", "name=  Lab  "});
        QVERIFY(a);
        QCOMPARE(a->protocol, 3);
        QVERIFY(!a->tls);
        QCOMPARE(a->name, u"Lab"_s);
        QVERIFY(!a->tokenNeeded);
    }

    void namesFitDnsSd()
    {
        QCOMPARE(serviceName(u"  Room   214 "_s), u"Room 214"_s);
        QCOMPARE(serviceName(u""_s), u"Inkroom"_s);
        const QString longName = QString(70, u'x');
        QCOMPARE(serviceName(longName).toUtf8().size(), 63);
        // Cut at a character, never inside one: 30 two-byte letters and emoji (4 bytes, a surrogate pair each).
        const QString wide = QString(30, u'é') + u"😀😀😀"_s;
        const QString cut = serviceName(wide);
        QVERIFY(cut.toUtf8().size() <= 63);
        QVERIFY(!cut.back().isHighSurrogate());
        QCOMPARE(QString::fromUtf8(cut.toUtf8()), cut);
    }
};

QTEST_GUILESS_MAIN(TestTxtRecord)
#include "tst_lan_txtrecord.moc"
