#include "appearance.h"

#include <QGuiApplication>
#include <QSettings>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTest>

using namespace inkroom::ui;

//! Light, dark or the system's: the application's palette follows the choice at once, and the choice is remembered.
class TestAppearance : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase()
    {
        QStandardPaths::setTestModeEnabled(true);
        QCoreApplication::setOrganizationName(QStringLiteral("InkroomTest"));
        QCoreApplication::setApplicationName(QStringLiteral("inkroom-appearance"));
        QSettings().clear();
    }

    void choosingDarkChangesThePaletteAndIsRemembered()
    {
        const QPalette system = QGuiApplication::palette();
        {
            Appearance appearance;
            QCOMPARE(appearance.mode(), Appearance::System);
            QCOMPARE(QGuiApplication::palette().color(QPalette::Window), system.color(QPalette::Window));
            QSignalSpy changed(&appearance, &Appearance::modeChanged);
            appearance.setMode(Appearance::Dark);
            QCOMPARE(changed.count(), 1);
            QVERIFY(appearance.dark());
            QVERIFY(QGuiApplication::palette().color(QPalette::Window).lightness() < 80);
            QVERIFY(QGuiApplication::palette().color(QPalette::WindowText).lightness() > 200);
            appearance.setMode(Appearance::Dark); // no change, no signal
            QCOMPARE(changed.count(), 1);
        }
        // The next start reads the choice before any window shows.
        {
            Appearance again;
            QCOMPARE(again.mode(), Appearance::Dark);
            QVERIFY(QGuiApplication::palette().color(QPalette::Window).lightness() < 80);
            again.setMode(Appearance::Light);
            QVERIFY(!again.dark());
            QVERIFY(QGuiApplication::palette().color(QPalette::Window).lightness() > 200);
            // Back to the system's: the palette the app started with.
            again.setMode(Appearance::System);
        }
        QCOMPARE(QSettings().value(QStringLiteral("appearance/mode")).toString(), QStringLiteral("system"));
    }

    void aDamagedSettingIsTheSystems()
    {
        QSettings().setValue(QStringLiteral("appearance/mode"), QStringLiteral("purple"));
        const Appearance appearance;
        QCOMPARE(appearance.mode(), Appearance::System);
    }

    //! Text on the dark palette reads: its contrast with the window is that of the light one, near enough.
    void bothPalettesHaveReadableText()
    {
        for (const QPalette &palette : {Appearance::lightPalette(), Appearance::darkPalette()}) {
            const int window = palette.color(QPalette::Window).lightness();
            QVERIFY(std::abs(palette.color(QPalette::WindowText).lightness() - window) > 150);
            QVERIFY(std::abs(palette.color(QPalette::Text).lightness() - palette.color(QPalette::Base).lightness())
                    > 150);
            QVERIFY(std::abs(palette.color(QPalette::Disabled, QPalette::Text).lightness() - window) > 40);
        }
    }
};

QTEST_MAIN(TestAppearance)
#include "tst_ui_appearance.moc"
