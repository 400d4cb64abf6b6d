#include "protocoldoc.h"

#include <QFile>
#include <QTest>

using namespace Qt::StringLiterals;
using namespace inkroom::protocoldoc;

namespace {

/** Standard close codes docs/PROTOCOL.md may list although proto::CloseCode has no value for them: codes only the
 *  WebSocket layer (QtWebSockets) sends, which Inkroom's code never names. None today: the ones QtWebSockets sends
 *  (1002, 1007, 1009) have values, because the client words them for its user. */
const QList<int> kWebSocketLayerCloseCodes {};

QString readSource(const QString &path)
{
    QFile file(QString::fromUtf8(INKROOM_SOURCE_DIR) + u'/' + path);
    if (!file.open(QIODevice::ReadOnly))
        return {};
    return QString::fromUtf8(file.readAll());
}

Sources realSources()
{
    return Sources {readSource(u"docs/PROTOCOL.md"_s), readSource(u"shared/protocollimits.h"_s),
                    readSource(u"shared/closecodes.h"_s)};
}

//! A row to drop instead of replacing text: the line that holds `from` goes.
const QString kDropLine = u"<drop the line>"_s;

} // namespace

class TestProtocolDoc : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void sourcesAreRead()
    {
        const Sources sources = realSources();
        QVERIFY2(!sources.protocolDoc.isEmpty(), "docs/PROTOCOL.md could not be read");
        QVERIFY(!sources.limitsHeader.isEmpty());
        QVERIFY(!sources.closeCodesHeader.isEmpty());
    }

    //! The document and shared/ say the same, in both directions (see protocoldoc.cpp for each check).
    void documentAgreesWithShared()
    {
        const QStringList problems = check(realSources(), Options {kWebSocketLayerCloseCodes});
        QVERIFY2(problems.isEmpty(), qPrintable(u"\n"_s + problems.join(u'\n')));
    }

    void tables()
    {
        const QList<Table> tables = parseTables(u"# T\n\n## A\n\n| a | b |\n| --- | :-: |\n| `x` | 1 \\| 2 |\n|y|\n\n"
                                                u"```\n| not | a table |\n| --- | --- |\n```\n"_s);
        QCOMPARE(tables.size(), 1);
        QCOMPARE(tables[0].section, u"A"_s);
        QCOMPARE(tables[0].line, 5);
        QCOMPARE(tables[0].header, (QStringList {u"a"_s, u"b"_s}));
        QCOMPARE(tables[0].rows, (QList<QStringList> {{u"`x`"_s, u"1 | 2"_s}, {u"y"_s}}));
        QCOMPARE(tables[0].rowLines, (QList<int> {7, 8}));
    }

    void numbers_data()
    {
        QTest::addColumn<QString>("cell");
        QTest::addColumn<QList<double>>("values");
        QTest::newRow("MiB") << u"1 MiB"_s << QList<double> {1024 * 1024};
        QTest::newRow("thousands") << u"10,000"_s << QList<double> {10000};
        QTest::newRow("power") << u"2^20"_s << QList<double> {1 << 20};
        QTest::newRow("plus or minus") << u"±1,000,000"_s << QList<double> {1e6};
        QTest::newRow("range") << u"0.1 to 500"_s << QList<double> {0.1, 500};
        QTest::newRow("negative") << u"from -2,000,000 to 2,000,000"_s << QList<double> {-2e6, 2e6};
        QTest::newRow("list") << u"4,000 / 10,000 characters, 1, 2"_s << QList<double> {4000, 10000, 1, 2};
        QTest::newRow("parentheses") << u"16 MiB (at most 1,000 items)"_s << QList<double> {16 * 1024 * 1024, 1000};
        QTest::newRow("words") << u"invalid UTF-8, SHA-256, x0, 4th, 0x10"_s << QList<double> {};
        QTest::newRow("code and links") << u"`0-9` [Item ids](#item-2) `[x0, y0]`"_s << QList<double> {};
        QTest::newRow("end of sentence") << u"at most 1,000."_s << QList<double> {1000};
    }

    void numbers()
    {
        QFETCH(QString, cell);
        QFETCH(QList<double>, values);
        QList<double> found;
        for (const Number &number : numbersIn(cell))
            found << number.value;
        QCOMPARE(found, values);
    }

    //! Each way the document can drift from shared/ is reported, naming what differs: the checker can fail.
    void driftIsReported_data()
    {
        QTest::addColumn<QString>("file");
        QTest::addColumn<QString>("from");
        QTest::addColumn<QString>("to");
        QTest::addColumn<QString>("expected");
        const auto doc = [](const char *name, const QString &from, const QString &to, const QString &expected) {
            QTest::newRow(name) << u"doc"_s << from << to << expected;
        };
        // Messages
        doc("message type missing", u"| `typing` | C, S |"_s, kDropLine,
            u"`typing` is in INKROOM_MESSAGE_TYPES (shared/messagetypes.h) but has no row"_s);
        doc("message type unknown", u"\n\nExamples:"_s, u"\n| `ping` | C | `id` | are you there? |\n\nExamples:"_s,
            u"`ping` is not a type of INKROOM_MESSAGE_TYPES"_s);
        doc("message type twice", u"| `synced` | S | `head` | the catch-up is complete |"_s,
            u"| `synced` | S | `head` | the catch-up is complete |\n| `synced` | S | `head` | again |"_s,
            u"`synced` is documented twice"_s);
        doc("direction", u"| `profile` | C |"_s, u"| `profile` | C, S |"_s,
            u"`profile` has dir 'C, S'; proto::directionOf() says 'C'"_s);
        doc("field not written", u"`synced` | S | `head`"_s, u"`synced` | S | `head`, `tail`"_s,
            u"Messages: `synced` documents `tail`, which encode() does not write"_s);
        doc("field not documented", u"`hasPassword` (boolean, default false), "_s, QString(),
            u"Messages: `welcome` does not document `hasPassword`, which encode() writes"_s);
        doc("item field not documented", u"| `fill` | colour |"_s, kDropLine,
            u"Item does not document `fill`, which encode() writes"_s);
        doc("op field not documented", u"| `author` | string |"_s, kDropLine,
            u"Messages: `op` does not document `author`, which encode() writes"_s);
        doc("hello's protocol", u"`protocol` (2)"_s, u"`protocol` (3)"_s,
            u"row '`hello`' says 3 where shared/ has 2 (proto::ProtocolVersion)"_s);
        doc("live's points", u"`points` (up to 2,000 points)"_s, u"`points` (up to 5,000 points)"_s,
            u"row '`live`' says 5,000 where shared/ has 2000 (limits::MaxPointsPerLive)"_s);
        doc("example", u"\"kind\":\"add\",\"cseq\":7,"_s, u"\"kind\":\"add\",\"cseq\":0,"_s,
            u"the example does not decode: out_of_range"_s);
        // Errors
        doc("error code renamed", u"| `held_back` |"_s, u"| `held` |"_s,
            u"`held_back` is in INKROOM_ERROR_CODES (shared/messagetypes.h) but has no row"_s);
        doc("error code unknown", u"| `held_back` |"_s, u"| `held` |"_s,
            u"`held` is not a code of INKROOM_ERROR_CODES"_s);
        doc("transient marked permanent", u"| too many messages too fast | transient |"_s,
            u"| too many messages too fast | permanent |"_s,
            u"`rate_limited` is permanent in the document, but proto::isTransient() says transient"_s);
        doc("never rejected marked transient", u"valid in this direction or state | - |"_s,
            u"valid in this direction or state | transient |"_s,
            u"`unexpected_message` is transient in the document, but proto::isTransient() says permanent"_s);
        doc("cseq_ahead's bound", u"is more than 2^20 beyond"_s, u"is more than 2^19 beyond"_s,
            u"Errors, row '`cseq_ahead`' says 2^19 where shared/ has 1048576 (limits::MaxCseqAhead)"_s);
        // Close codes
        doc("close code missing", u"| 4013 |"_s, kDropLine,
            u"proto::CloseCode::BadSecret = 4013 (shared/closecodes.h) has no row"_s);
        doc("close code unknown", u"\n\n## The sync model"_s,
            u"\n| 1003 | unsupported data | no |\n\n## The sync model"_s, u"1003 is not a value of proto::CloseCode"_s);
        doc("close code retried",
            u"| 4009 | the client stopped reading and its unsent output grew past the cap | yes |"_s,
            u"| 4009 | the client stopped reading and its unsent output grew past the cap | no |"_s,
            u"4009: the document says the client retries: no; proto::isRetryable(4009) says yes"_s);
        doc("close code not retried", u"| 4010 | the join token is missing or wrong | no |"_s,
            u"| 4010 | the join token is missing or wrong | yes |"_s,
            u"4010: the document says the client retries: yes; proto::isRetryable(4010) says no"_s);
        // Limits and value types
        doc("points per item", u"| points in an item | 10,000 |"_s, u"| points in an item | 20,000 |"_s,
            u"Limits, row 'points in an item' says 20,000 where shared/ has 10000 (limits::MaxPointsPerItem)"_s);
        doc("client message size", u"| a message from a client | 1 MiB |"_s, u"| a message from a client | 2 MiB |"_s,
            u"says 2 MiB where shared/ has 1048576 (limits::MaxClientMessageBytes)"_s);
        doc("cseq ahead", u"| 2^20 |"_s, u"| 2^21 |"_s,
            u"says 2^21 where shared/ has 1048576 (limits::MaxCseqAhead)"_s);
        doc("coordinates", u"| ±1,000,000 |"_s, u"| ±100,000 |"_s,
            u"says ±100,000 where shared/ has 1000000 (limits::MaxCoordinate)"_s);
        doc("width", u"| 0.1 to 500 |"_s, u"| 0.5 to 500 |"_s, u"says 0.5 where shared/ has 0.1 (limits::MinWidth)"_s);
        doc("name lengths", u"| 40 / 64 / 256 / 256 characters |"_s, u"| 40 / 64 / 256 characters |"_s,
            u"states the numbers [40, 64, 256] where the test expects [40 (limits::MaxNameLength)"_s);
        doc("client id length", u"| 8 to 64 characters of"_s, u"| 8 to 65 characters of"_s,
            u"Value types, row 'client id' says 65 where shared/ has 64 (limits::MaxClientIdLength)"_s);
        doc("limit row missing", u"| chat message / text item |"_s, kDropLine,
            u"Limits: no row 'chat message / text item' (the test expects it to state 4000 (limits::MaxChatLength), "
            u"10000 (limits::MaxTextItemLength))"_s);
        doc("limit row unknown", u"| coordinates |"_s, u"| widgets per board | 5 |\n| coordinates |"_s,
            u"Limits, row 'widgets per board' states the numbers [5] where the test expects []"_s);
        doc("number in an unexpected row", u"| `typing` | boolean | default false |"_s,
            u"| `typing` | boolean | default false, at most 3 a second |"_s,
            u"Member, row '`typing`' states the numbers [3] where the test expects []"_s);
        // Version and port
        doc("title", u"# The Inkroom protocol, version 2"_s, u"# The Inkroom protocol, version 3"_s,
            u"the title says version 3; shared/ speaks version 2 (proto::ProtocolVersion)"_s);
        doc("default port", u"the default port is 7420"_s, u"the default port is 7421"_s,
            u"Transport says the default port is 7421; shared/ has 7420 (limits::DefaultPort)"_s);
        doc("link port", u"the port defaults to 7420"_s, u"the port defaults to 7421"_s,
            u"says 7421 where shared/ has 7420 (limits::DefaultPort)"_s);
        doc("table gone", u"| code | meaning | in a reject |"_s, u"| code | meaning | in a refusal |"_s,
            u"expected one table with the columns 'code | meaning | in a reject' under the heading 'Errors', found 0"_s);
        // The headers: a constant or close code shared/ adds must reach the document.
        QTest::newRow("new limit")
            << u"limits"_s << u"inline constexpr int MaxPointsPerLive = 2000;"_s
            << u"inline constexpr int MaxPointsPerLive = 2000;\ninline constexpr int MaxStickers = 5;"_s
            << u"limits::MaxStickers is not compared with docs/PROTOCOL.md"_s;
        QTest::newRow("new close code") << u"closecodes"_s << u"BadSecret = 4013,"_s
                                        << u"BadSecret = 4013,\n    Sticker = 4014, //!< x"_s
                                        << u"proto::CloseCode::Sticker = 4014 (shared/closecodes.h) has no row"_s;
    }

    void driftIsReported()
    {
        QFETCH(QString, file);
        QFETCH(QString, from);
        QFETCH(QString, to);
        QFETCH(QString, expected);
        Sources sources = realSources();
        QString &text = file == u"doc"_s ? sources.protocolDoc
            : file == u"limits"_s        ? sources.limitsHeader
                                         : sources.closeCodesHeader;
        // The mutation must apply to exactly one place, or this row proves nothing.
        QCOMPARE(text.count(from), 1);
        if (to == kDropLine) {
            const qsizetype at = text.indexOf(from);
            const qsizetype begin = text.lastIndexOf(u'\n', at) + 1;
            const qsizetype end = text.indexOf(u'\n', at);
            text.remove(begin, end - begin + 1);
        } else {
            text.replace(from, to);
        }
        const QStringList problems = check(sources, Options {kWebSocketLayerCloseCodes});
        const QStringList matching = problems.filter(expected);
        QVERIFY2(
            !matching.isEmpty(),
            qPrintable(u"expected a problem containing\n  %1\ngot\n  %2"_s.arg(expected, problems.join(u"\n  "_s))));
        qInfo("%s", qPrintable(matching.first()));
    }

    //! A standard code only the WebSocket layer sends may be documented once the test's allow-list names it.
    void webSocketLayerCodesMayBeAllowed()
    {
        Sources sources = realSources();
        sources.protocolDoc.replace(
            u"\n\n## The sync model"_s,
            u"\n| 1003 | the WebSocket layer got data it cannot take | yes |\n\n## The sync model"_s);
        QVERIFY(!check(sources, Options {kWebSocketLayerCloseCodes}).isEmpty());
        const QStringList problems = check(sources, Options {QList<int> {1003}});
        QVERIFY2(problems.isEmpty(), qPrintable(problems.join(u'\n')));
    }
};

QTEST_GUILESS_MAIN(TestProtocolDoc)
#include "tst_shared_protocoldoc.moc"
