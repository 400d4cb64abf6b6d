// inkroom-cli's room commands as lines: what each means, and which lines stay chat.
#include "clicommands.h"

#include <QTest>

using namespace Qt::StringLiterals;
using namespace inkroom::client;

Q_DECLARE_METATYPE(CliCommand::Kind)

class TestCliCommands : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void commands_data()
    {
        QTest::addColumn<QString>("line");
        QTest::addColumn<CliCommand::Kind>("kind");
        QTest::addColumn<QString>("name");
        QTest::addColumn<QString>("argument");
        QTest::newRow("role") << u"/role Bo viewer"_s << CliCommand::Kind::Role << u"Bo"_s << u"viewer"_s;
        QTest::newRow("quoted name") << u"/role \"Ann Lee\" owner"_s << CliCommand::Kind::Role << u"Ann Lee"_s
                                     << u"owner"_s;
        QTest::newRow("guests") << u"/guests viewer"_s << CliCommand::Kind::Guests << QString() << u"viewer"_s;
        QTest::newRow("lock") << u"/lock"_s << CliCommand::Kind::Lock << QString() << QString();
        QTest::newRow("unlock") << u"/unlock"_s << CliCommand::Kind::Unlock << QString() << QString();
        QTest::newRow("kick") << u"/kick Bo"_s << CliCommand::Kind::Kick << u"Bo"_s << QString();
        QTest::newRow("ban by id") << u"/ban client-bo-0001"_s << CliCommand::Kind::Ban << u"client-bo-0001"_s
                                   << QString();
        QTest::newRow("rollback") << u"/rollback Bo 25"_s << CliCommand::Kind::Rollback << u"Bo"_s << u"25"_s;
        QTest::newRow("dm keeps the text")
            << u"/dm Bo see me  after class"_s << CliCommand::Kind::Direct << u"Bo"_s << u"see me  after class"_s;
    }

    void commands()
    {
        QFETCH(QString, line);
        QFETCH(CliCommand::Kind, kind);
        QFETCH(QString, name);
        QFETCH(QString, argument);
        QString error;
        const std::optional<CliCommand> command = parseCliCommand(line, &error);
        QVERIFY2(error.isEmpty(), qPrintable(error));
        QVERIFY(command);
        QCOMPARE(command->kind, kind);
        QCOMPARE(command->name, name);
        QCOMPARE(command->argument, argument);
        QCOMPARE(needsMembers(*command), !name.isEmpty());
    }

    void malformed_data()
    {
        QTest::addColumn<QString>("line");
        QTest::newRow("role without a role") << u"/role Bo"_s;
        QTest::newRow("unknown role") << u"/role Bo boss"_s;
        QTest::newRow("guests owner") << u"/guests owner"_s;
        QTest::newRow("lock with words") << u"/lock now"_s;
        QTest::newRow("kick nobody") << u"/kick"_s;
        QTest::newRow("rollback zero") << u"/rollback Bo 0"_s;
        QTest::newRow("rollback too many") << u"/rollback Bo 1001"_s;
        QTest::newRow("rollback not a number") << u"/rollback Bo all"_s;
        QTest::newRow("dm without text") << u"/dm Bo"_s;
    }

    void malformed()
    {
        QFETCH(QString, line);
        QString error;
        QVERIFY(!parseCliCommand(line, &error));
        QVERIFY(error.startsWith(u"usage: "_s));
    }

    //! Every other line is chat, as before the commands existed.
    void chatStaysChat()
    {
        for (const QString &line : {u"hello"_s, u"/me waves"_s, u"/locked door"_s, u"role Bo viewer"_s, u"/"_s}) {
            QString error;
            QVERIFY2(!parseCliCommand(line, &error), qPrintable(line));
            QVERIFY(error.isEmpty());
        }
    }
};

QTEST_GUILESS_MAIN(TestCliCommands)
#include "tst_client_clicommands.moc"
