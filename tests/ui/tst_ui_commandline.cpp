#include "appcontroller.h"

#include <QTest>

using namespace Qt::StringLiterals;
using namespace inkroom::ui;

//! The desktop app's command line, including the --name option Qt's X11 platform takes for itself.
class TestCommandLine : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void nameSurvivesQtTakingIt_data()
    {
        QTest::addColumn<QStringList>("original");
        QTest::addColumn<QStringList>("afterQt");
        QTest::newRow("--name VALUE") << QStringList {u"inkroom"_s, u"-platform"_s, u"xcb"_s, u"--name"_s, u"Zed"_s}
                                      << QStringList {u"inkroom"_s};
        QTest::newRow("--name=VALUE") << QStringList {u"inkroom"_s, u"--name=Zed"_s} << QStringList {u"inkroom"_s};
        QTest::newRow("-name VALUE") << QStringList {u"inkroom"_s, u"-name"_s, u"Zed"_s} << QStringList {u"inkroom"_s};
        QTest::newRow("left alone") << QStringList {u"inkroom"_s, u"--name"_s, u"Zed"_s}
                                    << QStringList {u"inkroom"_s, u"--name"_s, u"Zed"_s};
    }

    void nameSurvivesQtTakingIt()
    {
        QFETCH(QStringList, original);
        QFETCH(QStringList, afterQt);
        const StartupOptions options = parseArguments(withNameRestored(afterQt, original));
        QVERIFY2(options.error.isEmpty(), qPrintable(options.error));
        QCOMPARE(options.name, u"Zed"_s);
    }

    void joinHostAndErrors()
    {
        StartupOptions options = parseArguments({u"inkroom"_s, u"inkroom://10.0.0.5:7420/design"_s});
        QCOMPARE(options.join, u"inkroom://10.0.0.5:7420/design"_s);
        QVERIFY(options.error.isEmpty());

        options = parseArguments({u"inkroom"_s, u"--host"_s, u"--room"_s, u"Standup"_s});
        QVERIFY(options.host);
        QCOMPARE(options.room, u"Standup"_s);

        QVERIFY(!parseArguments({u"inkroom"_s, u"--join"_s, u"http://nope"_s}).error.isEmpty());
        QVERIFY(!parseArguments({u"inkroom"_s, u"--host"_s, u"--join"_s, u"inkroom://h/r"_s}).error.isEmpty());
        QVERIFY(!parseArguments({u"inkroom"_s, u"--name"_s, u"   "_s, u"--host"_s}).error.isEmpty());
    }
};

QTEST_GUILESS_MAIN(TestCommandLine)
#include "tst_ui_commandline.moc"
