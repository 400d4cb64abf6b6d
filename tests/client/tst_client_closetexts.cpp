// Every close code a server sends is explained to people in their words, never as a bare number or the server's
// English: the connection banner shows closeReasonText().
#include "clientconnection.h"
#include "closecodes.h"

#include <QFile>
#include <QRegularExpression>
#include <QTest>

using namespace Qt::StringLiterals;
using namespace inkroom;

class TestCloseTexts : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void everyCodeOfOursHasItsOwnText()
    {
        const QString serverWords = u"server's own words"_s;
        const QString lost = client::closeReasonText(4999, QString());
        // The enum has no list to walk: its declaration is read instead, so a new code cannot be left out.
        QFile header(QStringLiteral(INKROOM_CLOSECODES_H));
        QVERIFY(header.open(QIODevice::ReadOnly));
        const QString declared = QString::fromUtf8(header.readAll());
        QList<proto::CloseCode> codes;
        const QRegularExpression entry(u"^\\s+\\w+ = (\\d+),"_s, QRegularExpression::MultilineOption);
        for (const QRegularExpressionMatch &match : entry.globalMatch(declared))
            codes.append(proto::CloseCode(match.captured(1).toUShort()));
        QVERIFY(codes.size() > 25);
        for (const proto::CloseCode code : std::as_const(codes)) {
            const QString text = client::closeReasonText(int(code), serverWords);
            QVERIFY2(!text.isEmpty(), qPrintable(QString::number(int(code))));
            QVERIFY2(text != serverWords, qPrintable(u"%1 shows the server's words"_s.arg(int(code))));
            if (int(code) >= 4000)
                QVERIFY2(text != lost, qPrintable(u"%1 says only that the connection was lost"_s.arg(int(code))));
        }
        // A code this client does not know: the server's words, or a plain sentence.
        QCOMPARE(client::closeReasonText(4999, serverWords), serverWords);
        QVERIFY(!lost.isEmpty());
    }
};

QTEST_GUILESS_MAIN(TestCloseTexts)
#include "tst_client_closetexts.moc"
