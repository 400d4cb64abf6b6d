// Where the window opens: on today's screens, whatever it was left at on another day's.
#include "windowplacement.h"

#include <QTest>

using namespace inkroom::ui;

class TestWindowPlacement : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void neverSavedStaysForTheWindowSystem()
    {
        QCOMPARE(fitWindowToScreens(QRect(), {QRect(0, 0, 1920, 1080)}), QRect());
        QCOMPARE(fitWindowToScreens(QRect(10, 10, 800, 600), {}), QRect(10, 10, 800, 600));
    }

    void aWindowThatFitsStaysWhereItWas()
    {
        QCOMPARE(fitWindowToScreens(QRect(100, 80, 1280, 800), {QRect(0, 0, 1920, 1040)}), QRect(100, 80, 1280, 800));
    }

    //! Left on a larger monitor, or at 1x before the scale went to 2x: smaller than the screen, and on it.
    void tooLargeShrinksAndMovesOn()
    {
        QCOMPARE(fitWindowToScreens(QRect(2600, 1900, 3000, 2000), {QRect(0, 0, 800, 500)}), QRect(0, 0, 800, 500));
        QCOMPARE(fitWindowToScreens(QRect(2600, 1900, 3000, 2000), {QRect(0, 0, 800, 500)}, 40),
                 QRect(40, 40, 760, 460));
        QCOMPARE(fitWindowToScreens(QRect(-500, -300, 600, 400), {QRect(0, 0, 800, 500)}), QRect(0, 0, 600, 400));
        QCOMPARE(fitWindowToScreens(QRect(700, 450, 600, 400), {QRect(0, 0, 800, 500)}), QRect(200, 100, 600, 400));
    }

    //! Two monitors: it stays on the one that holds most of it, also one left of the primary; one unplugged since
    //! brings it back to the first.
    void theScreenHoldingMostOfItKeepsIt()
    {
        const QList<QRect> screens {QRect(0, 0, 1920, 1040), QRect(-1280, 0, 1280, 984)};
        QCOMPARE(fitWindowToScreens(QRect(-1200, 100, 1000, 700), screens), QRect(-1200, 100, 1000, 700));
        QCOMPARE(fitWindowToScreens(QRect(-1200, 100, 1400, 700), screens), QRect(-1280, 100, 1280, 700));
        QCOMPARE(fitWindowToScreens(QRect(3000, 200, 1000, 700), screens), QRect(920, 200, 1000, 700));
    }
};

QTEST_APPLESS_MAIN(TestWindowPlacement)
#include "tst_ui_windowplacement.moc"
