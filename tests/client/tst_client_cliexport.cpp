// inkroom-cli --export: the real executable joins a real server's room, writes the board to a file and exits.
#include "cliprocess.h"
#include "serverfixture.h"
#include "session.h"
#include "testutil.h"

#include <QDir>
#include <QFile>
#include <QImage>
#include <QTemporaryDir>
#include <QTest>

using namespace Qt::StringLiterals;
using namespace inkroom;
using namespace inkroom::client;
using namespace inkroom::test;

namespace {

constexpr int kWait = 15000;
const QString kRoom = u"archive"_s;

} // namespace

class TestCliExport : public QObject
{
    Q_OBJECT

    std::unique_ptr<ServerFixture> m_server;
    std::unique_ptr<Session> m_author;
    QTemporaryDir m_out;

    //! inkroom-cli --export target, to its end.
    std::unique_ptr<CliProcess> exportTo(const QString &target)
    {
        auto cli = std::make_unique<CliProcess>(
            QStringLiteral(INKROOM_CLI_EXE),
            QStringList {u"--server"_s, m_server->url().toString(), u"--room"_s, kRoom, u"--export"_s, target});
        cli->closeInput();
        return cli;
    }

private Q_SLOTS:
    void initTestCase()
    {
        m_server = std::make_unique<ServerFixture>();
        QVERIFY(m_server->start());
        m_author = std::make_unique<Session>();
        m_author->setTimings(fastTimings());
        m_author->join(m_server->url(), kRoom, u"Author"_s, Qt::darkGreen);
        QTRY_COMPARE_WITH_TIMEOUT(m_author->state(), Session::Online, kWait);
        QVERIFY(!m_author->addShape(BoardDocument::Line, QColor(0xd0, 0x20, 0x20), 8, {0, 0}, {400, 0}).isEmpty());
        QVERIFY(!m_author->addText({0, 40}, u"Minutes"_s, QColor(0x10, 0xa0, 0x10), 32).isEmpty());
        QTRY_COMPARE_WITH_TIMEOUT(m_author->pendingCount(), 0, kWait);
    }

    void cleanupTestCase()
    {
        m_author.reset();
        m_server.reset();
    }

    void writesEveryFormatAndExits()
    {
        for (const QString &name : {u"board.png"_s, u"board.svg"_s, u"board.pdf"_s}) {
            const QString target = m_out.filePath(name);
            auto cli = exportTo(target);
            QVERIFY(cli->waitForExit(kWait));
            QVERIFY2(cli->exitCode() == 0, qPrintable(cli->errors()));
            const QList<QJsonObject> exported = cli->events(u"exported"_s);
            QCOMPARE(exported.size(), 1);
            QCOMPARE(exported.first().value("items"_L1).toInt(), 2);
            QCOMPARE(exported.first().value("path"_L1).toString(), target);
            QFile file(target);
            QVERIFY(file.open(QIODevice::ReadOnly));
            const QByteArray bytes = file.readAll();
            if (name.endsWith(u".png"_s)) {
                const QImage image = QImage::fromData(bytes, "PNG");
                QVERIFY(!image.isNull());
                // The line, in its colour: board y = 0 is 45 pixels down (a margin of 24, the line's reach of 21).
                int red = 0;
                for (int x = 0; x < image.width(); ++x)
                    red += image.pixelColor(x, 45) == QColor(0xd0, 0x20, 0x20) ? 1 : 0;
                QVERIFY2(red > 300, qPrintable(QString::number(red)));
            } else if (name.endsWith(u".svg"_s)) {
                QVERIFY(bytes.contains(">Minutes</text>"));
                QVERIFY(bytes.contains("stroke=\"#d02020\""));
            } else {
                QVERIFY(bytes.startsWith("%PDF"));
                QVERIFY(bytes.trimmed().endsWith("%%EOF"));
            }
        }
    }

    //! An extension it cannot write is a usage error before anything is joined; no file appears.
    void anUnknownExtensionIsRefused()
    {
        const QString target = m_out.filePath(u"board.jpgx"_s);
        auto cli = exportTo(target);
        QVERIFY(cli->waitForExit(kWait));
        QCOMPARE(cli->exitCode(), 2);
        const QString errors = cli->errors();
        QVERIFY2(errors.contains(u"extension"_s) && errors.contains(u".pdf"_s), qPrintable(errors));
        QVERIFY(cli->events(u"welcome"_s).isEmpty());
        QVERIFY(!QFile::exists(target));
    }

    //! A place it cannot write: exit 1 with why, nothing written, what was there before kept.
    void anUnwritablePathFailsAndLeavesNothing()
    {
        QTemporaryDir dir;
        QFile notADirectory(dir.filePath(u"file"_s));
        QVERIFY(notADirectory.open(QIODevice::WriteOnly));
        notADirectory.write("keep");
        notADirectory.close();
        auto cli = exportTo(dir.filePath(u"file/board.pdf"_s));
        QVERIFY(cli->waitForExit(kWait));
        QCOMPARE(cli->exitCode(), 1);
        QVERIFY2(cli->errors().contains(u"cannot write"_s), qPrintable(cli->errors()));
        QVERIFY(cli->events(u"exported"_s).isEmpty());
        QCOMPARE(QDir(dir.path()).entryList(QDir::Files | QDir::Dirs | QDir::NoDotAndDotDot), QStringList {u"file"_s});
        QVERIFY(notADirectory.open(QIODevice::ReadOnly));
        QCOMPARE(notADirectory.readAll(), QByteArray("keep"));
    }

    //! The export never changes the room: the author's board is what it was, and nobody's work is added.
    void theRoomIsUnchanged()
    {
        const quint64 before = m_author->board()->confirmed().seq();
        auto cli = exportTo(m_out.filePath(u"again.png"_s));
        QVERIFY(cli->waitForExit(kWait));
        QCOMPARE(cli->exitCode(), 0);
        QTest::qWait(200);
        QCOMPARE(m_author->board()->confirmed().seq(), before);
        QCOMPARE(m_author->board()->itemCount(), 2);
    }
};

QTEST_MAIN(TestCliExport)
#include "tst_client_cliexport.moc"
