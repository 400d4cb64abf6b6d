// Keyboard and screen readers: the app's window read through QAccessible, as Orca reads it over AT-SPI (the test runs
// with a screen reader's accessibility bus: tests/ui/with-screen-reader.sh), and driven by the keyboard alone. Every
// control that takes focus has a name; Tab goes through the start page in reading order, the colour swatches are one
// stop, Return presses the focused button, Enter in the room name hosts.
#include "appcontroller.h"
#include "testutil.h"

#include <QAccessible>
#include <QDir>
#include <QFile>
#include <QQmlApplicationEngine>
#include <QQuickItem>
#include <QQuickStyle>
#include <QQuickWindow>
#include <QRegularExpression>
#include <QSettings>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>

#include <QtQml/qqmlextensionplugin.h>

Q_IMPORT_QML_PLUGIN(InkroomPlugin)
Q_IMPORT_QML_PLUGIN(Inkroom_UiPlugin)
Q_IMPORT_QML_PLUGIN(Inkroom_ClientPlugin)

using namespace Qt::StringLiterals;
using namespace inkroom;

namespace {

//! A control as a screen reader names it: "Button “Host the room” (hostButton)".
QString describe(QAccessibleInterface *iface)
{
    QString objectName;
    QString type;
    if (QObject *object = iface->object()) {
        objectName = object->objectName();
        type = QString::fromLatin1(object->metaObject()->className());
    }
    return u"%1 “%2” [%3 %4]"_s.arg(QString::number(int(iface->role()), 16), iface->text(QAccessible::Name), type,
                                    objectName);
}

//! What a screen reader says a control is: its name (a password field, which Qt leaves nameless: its description).
QString spoken(QAccessibleInterface *iface)
{
    return iface->text(iface->state().passwordEdit ? QAccessible::Description : QAccessible::Name).trimmed();
}

//! A Tab stop that has no accessible interface at all, as a test failure names it.
QString stopName(QQuickItem *item)
{
    return u"no accessible interface: %1 “%2” under %3"_s.arg(
        QString::fromLatin1(item->metaObject()->className()), item->objectName(),
        item->parentItem() ? QString::fromLatin1(item->parentItem()->metaObject()->className()) : QString());
}

//! Every interface under root (the window), depth first, in the order a screen reader walks them.
void collect(QAccessibleInterface *root, QList<QAccessibleInterface *> *out, int depth = 0)
{
    if (!root || depth > 64)
        return;
    out->append(root);
    for (int i = 0; i < root->childCount(); ++i)
        collect(root->child(i), out, depth + 1);
}

//! Focusable, visible controls without an accessible name (what Orca would read as "button" and nothing else).
QStringList namelessControls(QQuickWindow *window)
{
    QList<QAccessibleInterface *> all;
    collect(QAccessible::queryAccessibleInterface(window), &all);
    QStringList nameless;
    for (QAccessibleInterface *iface : std::as_const(all)) {
        const QAccessible::State state = iface->state();
        // Qt marks every scroll bar focusable, though none is a Tab stop; a screen reader reads them by role and value.
        if (!state.focusable || state.invisible || state.offscreen || iface->role() == QAccessible::ScrollBar)
            continue;
        // Qt gives a password field no name at all (QQuickAccessibleAttached::name()): its description says what it is.
        if (spoken(iface).isEmpty())
            nameless.append(describe(iface));
    }
    return nameless;
}

//! How many controls the walk saw at all (so a test of "no nameless control" cannot pass on an empty tree).
int focusableControls(QQuickWindow *window)
{
    QList<QAccessibleInterface *> all;
    collect(QAccessible::queryAccessibleInterface(window), &all);
    return int(std::count_if(all.cbegin(), all.cend(), [](QAccessibleInterface *iface) {
        return iface->state().focusable && !iface->state().invisible;
    }));
}

} // namespace

class TestAccessibility : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_hosted;
    std::unique_ptr<ui::AppController> m_app;
    std::unique_ptr<QQmlApplicationEngine> m_engine;

    [[nodiscard]] QQuickWindow *window() const
    {
        return m_engine ? qobject_cast<QQuickWindow *>(m_engine->rootObjects().value(0)) : nullptr;
    }
    //! The first visible item of that name in the scene, depth first (delegates are visual children only).
    [[nodiscard]] QQuickItem *item(const char *name) const
    {
        return find(window()->contentItem(), QLatin1StringView(name));
    }
    [[nodiscard]] static QQuickItem *find(QQuickItem *under, QLatin1StringView name)
    {
        if (!under->isVisible())
            return nullptr;
        if (under->objectName() == name)
            return under;
        for (QQuickItem *child : under->childItems()) {
            if (QQuickItem *found = find(child, name))
                return found;
        }
        return nullptr;
    }
    [[nodiscard]] QQuickItem *focused() const { return window()->activeFocusItem(); }
    //! The focused control's accessible name (what a screen reader says as focus lands on it).
    [[nodiscard]] QString focusedName() const
    {
        QAccessibleInterface *iface = focused() ? QAccessible::queryAccessibleInterface(focused()) : nullptr;
        return iface ? iface->text(QAccessible::Name) : QString();
    }

    void startApp(bool asOpened = false)
    {
        m_engine.reset();
        m_app = std::make_unique<ui::AppController>(ui::StartupOptions {});
        m_app->roomHost()->setDataDir(m_hosted.path());
        m_app->roomHost()->setBindAddress(QHostAddress::LocalHost);
        m_app->session()->setTimings(test::fastTimings());
        m_engine = std::make_unique<QQmlApplicationEngine>();
        ui::AppController::attach(*m_engine, m_app.get());
        m_engine->load(ui::AppController::mainQmlUrl());
        QVERIFY(window());
        if (!asOpened)
            window()->resize(1200, 900);
        window()->show();
        QVERIFY(QTest::qWaitForWindowExposed(window()));
        window()->requestActivate(); // Xvfb has no window manager to do it
        QTRY_COMPARE(QGuiApplication::focusWindow(), window());
        QTRY_VERIFY(item("startPage"));
        // Qt Quick Controls give their names and roles only while a screen reader is there (the AT-SPI bus says so).
        QTRY_VERIFY2(QAccessible::isActive(),
                     "no screen reader on the bus: run it through tests/ui/with-screen-reader.sh");
    }

    //! Tab from the focused item until focus comes back to it; the focused items in order, starting with it.
    QList<QQuickItem *> tabCycle(int limit = 80)
    {
        QList<QQuickItem *> cycle {focused()};
        for (int i = 0; i < limit; ++i) {
            QTest::keyClick(window(), Qt::Key_Tab);
            QQuickItem *now = focused();
            if (!now || now == cycle.first())
                break;
            cycle.append(now);
        }
        return cycle;
    }

private Q_SLOTS:
    void initTestCase()
    {
        QStandardPaths::setTestModeEnabled(true);
        ui::configureApplication(*QCoreApplication::instance());
        QCoreApplication::setOrganizationName(u"InkroomTest"_s);
        QCoreApplication::setApplicationName(u"inkroom-accessibility"_s);
        QQuickStyle::setStyle(u"Fusion"_s);
        QVERIFY(m_hosted.isValid());
    }

    void init()
    {
        QSettings().clear();
        // A profile chosen before, and a room opened before: the page as people see it on most days.
        QSettings settings;
        settings.setValue(u"profile/name"_s, u"Ann"_s);
        settings.setValue(u"profile/colour"_s, ui::Profile::palette().at(6));
        settings.setValue(u"rooms/recent"_s,
                          QVariantList {QVariantMap {{u"link"_s, u"inkroom://192.0.2.7:7420/design"_s},
                                                     {u"server"_s, u"wss://192.0.2.7:7420"_s},
                                                     {u"room"_s, u"design"_s}}});
    }

    void cleanup()
    {
        m_engine.reset();
        m_app.reset();
    }

    //! Every control on the start page that takes focus has a name, with the name and colour editor open too.
    void theStartPageNamesEveryControl()
    {
        startApp();
        QStringList nameless = namelessControls(window());
        QVERIFY2(nameless.isEmpty(), qPrintable(nameless.join(u"\n"_s)));
        QTest::keyClick(window(), Qt::Key_Tab); // the chip: Return opens the editor (name field and swatches)
        QCOMPARE(focused(), item("profileChip"));
        QTest::keyClick(window(), Qt::Key_Return);
        QTRY_VERIFY(item("profileEditor"));
        QVERIFY(item("swatch0"));
        QVERIFY(focusableControls(window()) > 20);
        nameless = namelessControls(window());
        QVERIFY2(nameless.isEmpty(), qPrintable(nameless.join(u"\n"_s)));
    }

    //! Tab goes through the page in reading order, each stop has a name, and the twelve colours are one stop.
    void tabVisitsTheStartPageInReadingOrder()
    {
        startApp();
        QTest::keyClick(window(), Qt::Key_Tab);
        QTest::keyClick(window(), Qt::Key_Return); // the editor open: the swatches are on the way
        QTRY_VERIFY(item("profileEditor"));
        item("profileChip")->forceActiveFocus(Qt::TabFocusReason); // the first control of the page
        const QList<QQuickItem *> cycle = tabCycle();
        QStringList names;
        int swatches = 0;
        for (QQuickItem *stop : cycle) {
            if (stop->objectName().startsWith(u"swatch"_s))
                ++swatches;
            QAccessibleInterface *iface = QAccessible::queryAccessibleInterface(stop);
            QVERIFY2(iface, qPrintable(stopName(stop)));
            QVERIFY2(!spoken(iface).isEmpty(), qPrintable(describe(iface)));
            names.append(stop->objectName());
        }
        QCOMPARE(swatches, 1);
        // The chosen colour (blue, the seventh) is the stop; the order follows the page.
        const QStringList expected {u"profileChip"_s,   u"nameField"_s,         u"swatch6"_s,       u"profileDone"_s,
                                    u"hostRoomField"_s, u"hostPasswordField"_s, u"announceCheck"_s, u"hostButton"_s,
                                    u"addressField"_s,  u"roomField"_s,         u"passwordField"_s, u"recentRoomCard"_s,
                                    u"forgetRecent"_s};
        QStringList named;
        for (const QString &name : std::as_const(names)) {
            if (!name.isEmpty())
                named.append(name);
        }
        QCOMPARE(named, expected);
        QCOMPARE(names.size(), expected.size()); // nothing unnamed in between
    }

    //! The arrow keys move the colour as in a radio group, keyboard focus goes along, and Tab leaves the group.
    void arrowKeysMoveTheColour()
    {
        startApp();
        QTest::keyClick(window(), Qt::Key_Tab);
        QTest::keyClick(window(), Qt::Key_Return);
        QTRY_VERIFY(item("swatch6"));
        item("swatch6")->forceActiveFocus(Qt::TabFocusReason);
        QCOMPARE(focusedName(), u"Blue"_s);
        QTest::keyClick(window(), Qt::Key_Right);
        QCOMPARE(m_app->profile()->colour(), ui::Profile::palette().at(7));
        QCOMPARE(focused(), item("swatch7"));
        QCOMPARE(focusedName(), u"Indigo"_s);
        QTest::keyClick(window(), Qt::Key_Left);
        QTest::keyClick(window(), Qt::Key_Left);
        QCOMPARE(m_app->profile()->colour(), ui::Profile::palette().at(5));
        QTest::keyClick(window(), Qt::Key_End);
        QCOMPARE(m_app->profile()->colour(), ui::Profile::palette().last());
        QTest::keyClick(window(), Qt::Key_Right); // at the end it stays
        QCOMPARE(m_app->profile()->colour(), ui::Profile::palette().last());
        QTest::keyClick(window(), Qt::Key_Home);
        QCOMPARE(m_app->profile()->colour(), ui::Profile::palette().first());
        QCOMPARE(QSettings().value(u"profile/colour"_s).value<QColor>(), ui::Profile::palette().first());
        // The chosen swatch says so to a screen reader.
        QAccessibleInterface *first = QAccessible::queryAccessibleInterface(item("swatch0"));
        QVERIFY(first->state().checked);
        QVERIFY(!QAccessible::queryAccessibleInterface(item("swatch1"))->state().checked);
        QTest::keyClick(window(), Qt::Key_Tab);
        QCOMPARE(focused(), item("profileDone"));
    }

    //! Return (and Enter) on a focused button presses it, as Space does.
    void returnPressesTheFocusedButton()
    {
        startApp();
        QTest::keyClick(window(), Qt::Key_Tab);
        QCOMPARE(focused(), item("profileChip"));
        QTest::keyClick(window(), Qt::Key_Return);
        QTRY_VERIFY(item("profileEditor"));
        item("profileDone")->forceActiveFocus(Qt::TabFocusReason);
        QTest::keyClick(window(), Qt::Key_Enter);
        QTRY_VERIFY(!item("profileEditor"));
        QCOMPARE(focused(), item("profileChip"));
        QTest::keyClick(window(), Qt::Key_Space);
        QTRY_VERIFY(item("profileEditor"));
    }

    //! The window opens within the screen's free area, whatever size and place it was left at on a larger screen
    //! (ctest runs this at 2x too, ui_window_2x: there a 1280 x 800 window would be 2560 x 1600 pixels).
    void theWindowOpensWithinTheScreen_data()
    {
        QTest::addColumn<QRect>("saved");
        QTest::newRow("first time") << QRect();
        QTest::newRow("left larger, elsewhere") << QRect(2600, 1900, 3000, 2000);
    }
    void theWindowOpensWithinTheScreen()
    {
        QFETCH(QRect, saved);
        const qreal scale = qEnvironmentVariable("QT_SCALE_FACTOR", u"1"_s).toDouble();
        if (saved.isValid())
            QSettings().setValue(u"window/geometry"_s, saved);
        startApp(true);
        QCOMPARE(window()->devicePixelRatio(), scale);
        const QRect screen = window()->screen()->availableGeometry();
        const QRect frame(window()->position(), window()->size());
        QVERIFY2(screen.contains(frame),
                 qPrintable(u"window %1,%2 %3x%4 on a screen of %5x%6"_s.arg(frame.x())
                                .arg(frame.y())
                                .arg(frame.width())
                                .arg(frame.height())
                                .arg(screen.width())
                                .arg(screen.height())));
        QVERIFY(frame.width() >= std::min(720, screen.width() - 40));
    }

    //! Every push button of the app's QML is one that Return presses: ActionButton (or PrimaryButton, built on it),
    //! and every dialog with standard buttons gives them as DialogButtons. A bare Button or a dialog's default footer
    //! would take Space only. (The behaviour itself is checked above, in the banner's and the dialogs' QML tests.)
    void everyPushButtonAnswersReturn()
    {
        const QDir dir(QStringLiteral(INKROOM_QML_DIR));
        const QStringList files = dir.entryList({u"*.qml"_s}, QDir::Files);
        QVERIFY(files.size() > 20);
        static const QRegularExpression bareButton(u"(^|[^A-Za-z.])Button\\s*\\{"_s);
        static const QRegularExpression standardButtons(u"^\\s*standardButtons:"_s,
                                                        QRegularExpression::MultilineOption);
        QStringList offenders;
        for (const QString &name : files) {
            if (name == u"ActionButton.qml"_s)
                continue;
            QFile file(dir.filePath(name));
            QVERIFY2(file.open(QIODevice::ReadOnly), qPrintable(name));
            const QString text = QString::fromUtf8(file.readAll());
            const QStringList lines = text.split(u'\n');
            for (qsizetype i = 0; i < lines.size(); ++i)
                if (bareButton.match(lines.at(i)).hasMatch())
                    offenders << u"%1:%2: a Button that Return does not press"_s.arg(name).arg(i + 1);
            if (standardButtons.match(text).hasMatch() && !text.contains(u"footer: DialogButtons"_s))
                offenders << u"%1: standard buttons without DialogButtons"_s.arg(name);
        }
        QVERIFY2(offenders.isEmpty(), qPrintable(offenders.join(u'\n')));
    }

    //! Enter in the room name hosts (Host is the default button), and the name is there again next time.
    void enterInTheRoomNameHostsAndTheNameIsRemembered()
    {
        startApp();
        QQuickItem *field = item("hostRoomField");
        QVERIFY(field);
        field->forceActiveFocus(Qt::TabFocusReason);
        field->setProperty("text", QString());
        for (const QChar c : u"Maths 3B"_s)
            QTest::keyClick(window(), c.toLatin1());
        QTest::keyClick(window(), Qt::Key_Return);
        QTRY_COMPARE_WITH_TIMEOUT(m_app->page(), ui::AppController::Room, 10000);
        QCOMPARE(m_app->roomName(), u"Maths 3B"_s);
        m_app->closeForEveryone();
        QTRY_COMPARE(m_app->page(), ui::AppController::Start);

        startApp(); // the next start of the app
        QCOMPARE(m_app->hostRoomName(), u"Maths 3B"_s);
        QCOMPARE(item("hostRoomField")->property("text").toString(), u"Maths 3B"_s);
    }

    //! Started without discovery, the page says so instead of looking for servers forever.
    void discoveryOffIsSaid()
    {
        startApp();
        QVERIFY(item("networkStatus"));
        const QString status = item("networkStatus")->property("text").toString();
        QVERIFY2(status.contains(u"--no-discover"_s), qPrintable(status));
        QVERIFY2(!status.contains(u"Looking for servers"_s), qPrintable(status));
    }

    //! In a room (hosted here, online): every control that takes focus has a name, and every Tab stop has one too.
    void theRoomPageNamesEveryControl()
    {
        startApp();
        m_app->host(u"design"_s);
        QTRY_VERIFY2_WITH_TIMEOUT(m_app->page() == ui::AppController::Room, qPrintable(m_app->hostError()), 10000);
        QTRY_COMPARE_WITH_TIMEOUT(m_app->session()->state(), client::Session::Online, 10000);
        QTRY_VERIFY(item("roomPage"));
        QTest::qWait(400); // the page's push transition
        QVERIFY(focusableControls(window()) > 10);
        const QStringList nameless = namelessControls(window());
        QVERIFY2(nameless.isEmpty(), qPrintable(nameless.join(u"\n"_s)));
        const QList<QQuickItem *> cycle = tabCycle();
        QVERIFY(cycle.size() > 5);
        for (QQuickItem *stop : cycle) {
            QAccessibleInterface *iface = QAccessible::queryAccessibleInterface(stop);
            QVERIFY2(iface && !spoken(iface).isEmpty(), qPrintable(iface ? describe(iface) : stopName(stop)));
        }
        m_app->closeForEveryone();
        QTRY_COMPARE(m_app->page(), ui::AppController::Start);
    }
};

QTEST_MAIN(TestAccessibility)
#include "tst_ui_accessibility.moc"
