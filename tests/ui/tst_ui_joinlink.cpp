#include "joinlink.h"

#include <QTest>
#include <QUrlQuery>

using namespace Qt::StringLiterals;
using namespace inkroom::ui;

class TestJoinLink : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void links_data()
    {
        QTest::addColumn<QString>("text");
        QTest::addColumn<QString>("server");
        QTest::addColumn<QString>("room");
        // inkroom:// is TLS (wss://); only ?insecure=1 asks for plain ws://.
        QTest::newRow("full") << u"inkroom://192.168.1.20:7420/design"_s << u"wss://192.168.1.20:7420"_s << u"design"_s;
        QTest::newRow("default port") << u"inkroom://host.local/design"_s << u"wss://host.local:7420"_s << u"design"_s;
        QTest::newRow("encoded room") << u"inkroom://10.0.0.2:8000/Design%20review"_s << u"wss://10.0.0.2:8000"_s
                                      << u"Design review"_s;
        QTest::newRow("ipv6") << u"inkroom://[fe80::1]:7420/r"_s << u"wss://[fe80::1]:7420"_s << u"r"_s;
        QTest::newRow("spaces around") << u"  inkroom://h:1/r  "_s << u"wss://h:1"_s << u"r"_s;
        QTest::newRow("insecure") << u"inkroom://h:1/r?insecure=1"_s << u"ws://h:1"_s << u"r"_s;
        QTest::newRow("insecure=true") << u"inkroom://h:1/r?insecure=true"_s << u"ws://h:1"_s << u"r"_s;
        QTest::newRow("insecure=0 is TLS") << u"inkroom://h:1/r?insecure=0"_s << u"wss://h:1"_s << u"r"_s;
        QTest::newRow("other query ignored") << u"inkroom://h:1/r?x=1"_s << u"wss://h:1"_s << u"r"_s;
        QTest::newRow("token") << u"inkroom://h:1/r?token=s3cret"_s << u"wss://h:1"_s << u"r"_s;
        QTest::newRow("insecure and token")
            << u"inkroom://h:1/r?insecure=1&token=a%26b%20c"_s << u"ws://h:1"_s << u"r"_s;
        QTest::newRow("ws with room") << u"ws://h:9/r"_s << u"ws://h:9"_s << u"r"_s;
        QTest::newRow("wss kept") << u"wss://h:9/r"_s << u"wss://h:9"_s << u"r"_s;
        QTest::newRow("bad: http") << u"http://h/r"_s << QString() << QString();
        QTest::newRow("bad: no room") << u"inkroom://h:7420/"_s << QString() << QString();
        QTest::newRow("bad: port 0") << u"inkroom://h:0/r"_s << QString() << QString();
        QTest::newRow("bad: empty") << QString() << QString() << QString();
        QTest::newRow("bad: control character in room") << u"inkroom://h/a%07b"_s << QString() << QString();
        QTest::newRow("bad: room too long") << (u"inkroom://h/"_s + QString(65, u'x')) << QString() << QString();
    }

    void links()
    {
        QFETCH(QString, text);
        QFETCH(QString, server);
        QFETCH(QString, room);
        const JoinTarget target = parseJoinLink(text);
        QCOMPARE(target.isValid(), !server.isEmpty());
        if (server.isEmpty()) {
            QVERIFY(!target.error.isEmpty());
            return;
        }
        QCOMPARE(target.server.toString(), server);
        QCOMPARE(target.room, room);
        // The shareable link reads back to the same place.
        const JoinTarget again = parseJoinLink(target.link());
        QCOMPARE(again.server.toString(), target.server.toString());
        QCOMPARE(again.room, room);
        QCOMPARE(target.link().contains(u"insecure=1"_s), target.server.scheme() == u"ws"_s);
        QCOMPARE(again.token, target.token);
        QCOMPARE(target.token, QUrlQuery(QUrl(text.trimmed())).queryItemValue(u"token"_s, QUrl::FullyDecoded));
    }

    void typedAddresses_data()
    {
        QTest::addColumn<QString>("address");
        QTest::addColumn<QString>("room");
        QTest::addColumn<QString>("server");
        QTest::addColumn<QString>("expectedRoom");
        QTest::newRow("bare ip") << u"192.168.1.20"_s << u"design"_s << u"wss://192.168.1.20:7420"_s << u"design"_s;
        QTest::newRow("host and port") << u"host:9000"_s << u" r "_s << u"wss://host:9000"_s << u"r"_s;
        QTest::newRow("ws url") << u"ws://host:9000/ignored"_s << u"r"_s << u"ws://host:9000"_s << u"r"_s;
        QTest::newRow("wss url") << u"wss://host:9000"_s << u"r"_s << u"wss://host:9000"_s << u"r"_s;
        QTest::newRow("pasted link") << u"inkroom://h:1/fromlink"_s << QString() << u"wss://h:1"_s << u"fromlink"_s;
        QTest::newRow("pasted insecure link")
            << u"inkroom://h:1/fromlink?insecure=1"_s << QString() << u"ws://h:1"_s << u"fromlink"_s;
        QTest::newRow("pasted link, room typed")
            << u"inkroom://h:1/fromlink"_s << u"typed"_s << u"wss://h:1"_s << u"typed"_s;
        QTest::newRow("bad: no room") << u"host"_s << QString() << QString() << QString();
        QTest::newRow("bad: no address") << QString() << u"r"_s << QString() << QString();
        QTest::newRow("bad: ftp") << u"ftp://host"_s << u"r"_s << QString() << QString();
    }

    //! What copying a link from a chat or an e-mail does to it is refused, saying what is wrong (never taken as a
    //! room name).
    void mistakesAreExplained_data()
    {
        QTest::addColumn<QString>("text");
        QTest::addColumn<QString>("error");
        QTest::newRow("two links") << u"inkroom://h:1/designinkroom://h:1/other"_s << u"more than one link"_s;
        QTest::newRow("two links, a space between") << u"inkroom://h:1/a inkroom://h:1/b"_s << u"more than one link"_s;
        QTest::newRow("a space") << u"inkroom://h:1/Design review"_s << u"space inside the link"_s;
        QTest::newRow("a bracket carried along") << u"inkroom://h:1/design)"_s << u"ends in “)”"_s;
        QTest::newRow("a quote carried along") << u"inkroom://h:1/design\""_s << u"ends in “\"”"_s;
        QTest::newRow("a comma carried along") << u"inkroom://h:1/design,"_s << u"ends in “,”"_s;
    }

    void mistakesAreExplained()
    {
        QFETCH(QString, text);
        QFETCH(QString, error);
        const JoinTarget link = parseJoinLink(text);
        QVERIFY(!link.isValid());
        QVERIFY2(link.error.contains(error), qPrintable(link.error));
        QVERIFY(link.room.isEmpty());
        // The same when pasted into the address field with no room beside it.
        const JoinTarget address = parseServerAddress(text, QString());
        QVERIFY(!address.isValid());
        QVERIFY2(address.error.contains(error), qPrintable(address.error));
    }

    void typedAddresses()
    {
        QFETCH(QString, address);
        QFETCH(QString, room);
        QFETCH(QString, server);
        QFETCH(QString, expectedRoom);
        const JoinTarget target = parseServerAddress(address, room);
        QCOMPARE(target.isValid(), !server.isEmpty());
        if (server.isEmpty()) {
            QVERIFY(!target.error.isEmpty());
            return;
        }
        QCOMPARE(target.server.toString(), server);
        QCOMPARE(target.room, expectedRoom);
    }
};

QTEST_GUILESS_MAIN(TestJoinLink)
#include "tst_ui_joinlink.moc"
