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
        QCOMPARE(target.server().toString(), server);
        QCOMPARE(target.room, room);
        // The shareable link reads back to the same place.
        const JoinTarget again = parseJoinLink(target.link());
        QCOMPARE(again.server().toString(), target.server().toString());
        QCOMPARE(again.room, room);
        QCOMPARE(target.link().contains(u"insecure=1"_s), target.server().scheme() == u"ws"_s);
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

    //! What copying a link from a chat or an e-mail does to it, and a list of hosts that is not one, are refused,
    //! saying what is wrong (never taken as a room name).
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
        // A list of hosts that is not one.
        QTest::newRow("empty entry") << u"inkroom://h1,,h2/r"_s << u"empty entry"_s;
        QTest::newRow("comma at the end") << u"inkroom://h1,/r"_s << u"empty entry"_s;
        QTest::newRow("comma at the start") << u"inkroom://,h1/r"_s << u"empty entry"_s;
        QTest::newRow("nine") << u"inkroom://a,b,c,d,e,f,g,h,i/r"_s << u"at most 8"_s;
        QTest::newRow("twice") << u"inkroom://h1:1,h1:1/r"_s << u"listed twice"_s;
        QTest::newRow("a bad port") << u"inkroom://h1:1,h2:0/r"_s << u"“h2:0”"_s;
        QTest::newRow("a bad address") << u"inkroom://h1:1,h2:x/r"_s << u"“h2:x”"_s;
        QTest::newRow("an open bracket") << u"inkroom://h1,[::1/r"_s << u"“[::1”"_s;
        QTest::newRow("no room") << u"inkroom://h1,h2/"_s << u"does not name a room"_s;
    }

    void mistakesAreExplained()
    {
        QFETCH(QString, text);
        QFETCH(QString, error);
        const JoinTarget link = parseJoinLink(text);
        QVERIFY(!link.isValid());
        QVERIFY2(link.error.contains(error), qPrintable(link.error));
        QVERIFY(link.room.isEmpty());
        QVERIFY(link.servers.isEmpty());
        // Refused too when pasted into the address field with no room beside it.
        const JoinTarget address = parseServerAddress(text, QString());
        QVERIFY(!address.isValid());
        QVERIFY(address.servers.isEmpty());
        if (!text.endsWith(u'/'))
            QVERIFY2(address.error.contains(error), qPrintable(address.error));
    }

    //! A room served by several nodes: a list where the host is, each address with its port (or the default), IPv6
    //! in brackets; the shareable link reads back to the same list, in the same order.
    void severalHosts_data()
    {
        QTest::addColumn<QString>("text");
        QTest::addColumn<QStringList>("servers");
        QTest::addColumn<QString>("room");
        QTest::newRow("two") << u"inkroom://h1:7420,h2:7421/design"_s
                             << QStringList {u"wss://h1:7420"_s, u"wss://h2:7421"_s} << u"design"_s;
        QTest::newRow("default ports") << u"inkroom://h1,h2/r"_s << QStringList {u"wss://h1:7420"_s, u"wss://h2:7420"_s}
                                       << u"r"_s;
        QTest::newRow("ipv6 in the list")
            << u"inkroom://[::1]:7420,[fe80::2]:7421,10.0.0.3/r"_s
            << QStringList {u"wss://[::1]:7420"_s, u"wss://[fe80::2]:7421"_s, u"wss://10.0.0.3:7420"_s} << u"r"_s;
        QTest::newRow("insecure list") << u"inkroom://h1:1,h2:2/r?insecure=1&token=t"_s
                                       << QStringList {u"ws://h1:1"_s, u"ws://h2:2"_s} << u"r"_s;
        QTest::newRow("wss list") << u"wss://h1:1,h2:2/Design%20review"_s
                                  << QStringList {u"wss://h1:1"_s, u"wss://h2:2"_s} << u"Design review"_s;
        QTest::newRow("eight") << u"inkroom://a,b,c,d,e,f,g,h/r"_s
                               << QStringList {u"wss://a:7420"_s, u"wss://b:7420"_s, u"wss://c:7420"_s,
                                               u"wss://d:7420"_s, u"wss://e:7420"_s, u"wss://f:7420"_s,
                                               u"wss://g:7420"_s, u"wss://h:7420"_s}
                               << u"r"_s;
    }

    void severalHosts()
    {
        QFETCH(QString, text);
        QFETCH(QStringList, servers);
        QFETCH(QString, room);
        const JoinTarget target = parseJoinLink(text);
        QVERIFY2(target.isValid(), qPrintable(target.error));
        QStringList got;
        for (const QUrl &url : target.servers)
            got << url.toString();
        QCOMPARE(got, servers);
        QCOMPARE(target.server().toString(), servers.first());
        QCOMPARE(target.room, room);
        const JoinTarget again = parseJoinLink(target.link());
        QVERIFY2(again.isValid(), qPrintable(target.link()));
        QCOMPARE(again.servers, target.servers);
        QCOMPARE(again.room, room);
        QCOMPARE(again.token, target.token);
        // The same link pasted into the address field (a typed ws:// or wss:// address takes its room from beside it).
        if (text.startsWith(u"inkroom://"_s))
            QCOMPARE(parseServerAddress(text, QString()).servers, target.servers);
        QCOMPARE(parseServerAddress(text, room).servers, target.servers);
    }

    //! Typed addresses of one room, separated by commas; one without a scheme takes the first one's.
    void typedAddressLists()
    {
        JoinTarget target = parseServerAddress(u"h1:7000, h2"_s, u"r"_s);
        QVERIFY2(target.isValid(), qPrintable(target.error));
        QCOMPARE(target.servers, (QList<QUrl> {QUrl(u"wss://h1:7000"_s), QUrl(u"wss://h2:7420"_s)}));
        target = parseServerAddress(u"ws://h1:1,h2:2"_s, u"r"_s);
        QCOMPARE(target.servers, (QList<QUrl> {QUrl(u"ws://h1:1"_s), QUrl(u"ws://h2:2"_s)}));
        target = parseServerAddress(u"ws://h1:1, wss://h2:2"_s, u"r"_s);
        QVERIFY(!target.isValid());
        QVERIFY2(target.error.contains(u"not a mix"_s), qPrintable(target.error));
        target = parseServerAddress(u"h1,,h2"_s, u"r"_s);
        QVERIFY2(target.error.contains(u"empty entry"_s), qPrintable(target.error));
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
        QCOMPARE(target.server().toString(), server);
        QCOMPARE(target.room, expectedRoom);
    }
};

QTEST_GUILESS_MAIN(TestJoinLink)
#include "tst_ui_joinlink.moc"
