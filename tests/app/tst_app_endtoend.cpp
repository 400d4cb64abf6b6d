#include "appcontroller.h"
#include "canvasitem.h"
#include "cliprocess.h"
#include "session.h"

#include <QClipboard>
#include <QDir>
#include <QFile>
#include <QGuiApplication>
#include <QJsonArray>
#include <QProcess>
#include <QQmlApplicationEngine>
#include <QQuickItem>
#include <QQuickStyle>
#include <QQuickWindow>
#include <QRegularExpression>
#include <QSettings>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTcpServer>
#include <QTemporaryDir>
#include <QTest>
#include <QWheelEvent>

#include <QtQml/qqmlextensionplugin.h>
#include <cmath>

#include <functional>

Q_IMPORT_QML_PLUGIN(InkroomPlugin)
Q_IMPORT_QML_PLUGIN(Inkroom_UiPlugin)
Q_IMPORT_QML_PLUGIN(Inkroom_ClientPlugin)

using namespace Qt::StringLiterals;
using namespace inkroom;

namespace {

//! One running copy of the desktop app: its own controller, QML engine and window.
struct AppInstance
{
    std::unique_ptr<ui::AppController> controller;
    std::unique_ptr<QQmlApplicationEngine> engine;

    [[nodiscard]] QQuickWindow *window() const { return qobject_cast<QQuickWindow *>(engine->rootObjects().value(0)); }
    [[nodiscard]] QObject *find(const char *name) const
    {
        return window()->findChild<QObject *>(QLatin1StringView(name));
    }
    [[nodiscard]] client::Session *session() const
    {
        QObject *page = find("roomPage");
        return page ? page->property("session").value<client::Session *>() : nullptr;
    }
    [[nodiscard]] QQuickItem *item(const char *name) const { return qobject_cast<QQuickItem *>(find(name)); }
};

/** prepare runs before the window is loaded, as if the command line had asked for what it does (the room host only
 *  takes its settings before it starts). */
std::unique_ptr<AppInstance> startApp(const ui::StartupOptions &options,
                                      const std::function<void(ui::AppController &)> &prepare = {})
{
    auto app = std::make_unique<AppInstance>();
    app->controller = std::make_unique<ui::AppController>(options);
    if (prepare)
        prepare(*app->controller);
    app->engine = std::make_unique<QQmlApplicationEngine>();
    ui::AppController::attach(*app->engine, app->controller.get());
    app->engine->load(ui::AppController::mainQmlUrl());
    if (QQuickWindow *window = app->window()) {
        window->resize(1280, 800);
        window->show();
    }
    return app;
}

QPoint centreOf(QQuickItem *item)
{
    return item->mapToScene(QPointF(item->width() / 2, item->height() / 2)).toPoint();
}

//! The first visible item of that object name under item (delegates included), depth first.
QQuickItem *visibleItemNamed(QQuickItem *item, const QString &name)
{
    if (!item->isVisible())
        return nullptr;
    if (item->objectName() == name)
        return item;
    for (QQuickItem *child : item->childItems()) {
        if (QQuickItem *found = visibleItemNamed(child, name))
            return found;
    }
    return nullptr;
}

//! Does the canvas show all of rect, centred, touching it on one side (a follower's fit)?
bool fitsNow(const ui::CanvasItem *canvas, const QRectF &rect)
{
    const QRectF shown = canvas->visibleRect();
    const bool covers = shown.adjusted(-0.5, -0.5, 0.5, 0.5).contains(rect);
    const bool tight = std::abs(shown.width() - rect.width()) < 1 || std::abs(shown.height() - rect.height()) < 1;
    return covers && tight && QLineF(shown.center(), rect.center()).length() < 1;
}

//! Wait until the session has applied everything the room ordered so far (its own chat comes back through the log).
bool settledFor(client::Session *session)
{
    if (!session->sendChat(u"(checking in)"_s))
        return false;
    return QTest::qWaitFor([session] { return session->pendingCount() == 0; }, 10000);
}

void typeText(QQuickWindow *window, const QString &text)
{
    for (const QChar c : text)
        QTest::keyClick(window, c.toLatin1());
}

} // namespace

class TestEndToEnd : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_data;
    QProcess m_server;
    quint16 m_port = 0;
    QString m_fingerprint; //!< the server's certificate, as it prints it
    QString m_shots = QStringLiteral(INKROOM_SCREENSHOT_DIR);

    void shot(const AppInstance &app, const QString &name)
    {
        QDir().mkpath(m_shots);
        app.window()->update();
        const QImage image = app.window()->grabWindow();
        QVERIFY(!image.isNull());
        QVERIFY(image.save(m_shots + u'/' + name + u".png"_s));
    }

    void startServer()
    {
        m_server.setProgram(QStringLiteral(INKROOM_SERVER_EXE));
        m_server.setArguments(
            {u"--bind"_s, u"127.0.0.1"_s, u"--port"_s, QString::number(m_port), u"--data-dir"_s, m_data.path()});
        m_server.setProcessChannelMode(QProcess::ForwardedErrorChannel);
        m_server.start();
        QVERIFY(m_server.waitForStarted());
        QByteArray output;
        QTRY_VERIFY_WITH_TIMEOUT((output += m_server.readAllStandardOutput()).contains("wss://"), 10000);
        static const QRegularExpression fingerprint(u"fingerprint \\(SHA-256\\): ([0-9A-F:]{95})"_s);
        const QRegularExpressionMatch match = fingerprint.match(QString::fromUtf8(output));
        QVERIFY2(match.hasMatch(), output.constData());
        m_fingerprint = match.captured(1);
    }

    //! An app meeting the server for the first time shows its fingerprint; click "Trust and connect".
    void trustInTheBanner(const AppInstance &app)
    {
        QTRY_COMPARE_WITH_TIMEOUT(app.session()->state(), client::Session::AwaitingTrust, 15000);
        QCOMPARE(app.session()->pendingFingerprint(), m_fingerprint);
        QObject *shown = app.find("pendingFingerprint");
        QVERIFY(shown);
        QCOMPARE(shown->property("text").toString(), m_fingerprint);
        QTRY_VERIFY(shown->property("visible").toBool());
        QQuickItem *trust = app.item("trustButton");
        QQuickItem *reject = app.item("rejectButton");
        QVERIFY(trust && reject);
        QTRY_VERIFY(trust->isVisible() && trust->width() > 0);
        QTRY_VERIFY(!app.find("stack")->property("busy").toBool());
        // The buttons appear together and the banner's row lays them out on its next polish: until then they can
        // share a place, and a click meant for one lands on the other.
        const auto sceneRect = [](QQuickItem *item) { return item->mapRectToScene(item->boundingRect()); };
        QTRY_VERIFY(!sceneRect(trust).intersects(sceneRect(reject)) && reject->width() > 0);
        QTest::mouseClick(app.window(), Qt::LeftButton, {}, centreOf(trust));
        QTRY_VERIFY_WITH_TIMEOUT(app.session()->state() != client::Session::AwaitingTrust, 5000);
    }

private Q_SLOTS:
    void initTestCase()
    {
        QStandardPaths::setTestModeEnabled(true);
        ui::configureApplication(*QCoreApplication::instance());
        QCoreApplication::setOrganizationName(u"InkroomTest"_s);
        QCoreApplication::setApplicationName(u"inkroom-endtoend"_s);
        QSettings().clear(); // a fresh profile: no recent rooms from earlier runs
        QFile::remove(QStandardPaths::writableLocation(QStandardPaths::AppDataLocation) + u"/known-servers.json"_s);
        QQuickStyle::setStyle(u"Fusion"_s);
        QVERIFY(m_data.isValid());
        QTcpServer probe;
        QVERIFY(probe.listen(QHostAddress::LocalHost, 0));
        m_port = probe.serverPort();
        probe.close();
        startServer();
    }

    void init()
    {
        // A missing resource or a broken binding is a bug even where the test's own checks pass.
        QTest::failOnWarning(QRegularExpression(u"Cannot open|ReferenceError|TypeError|is not a type"_s));
    }

    void cleanupTestCase()
    {
        m_server.terminate();
        m_server.waitForFinished(5000);
    }

    void startScreen()
    {
        const auto app = startApp({});
        QVERIFY(app->window());
        QVERIFY(QTest::qWaitForWindowExposed(app->window()));
        QVERIFY(app->find("startPage"));
        shot(*app, u"start"_s);
    }

    //! A link that names no room, typed and sent with Enter: the start page says why and nothing is remembered.
    void badLinkIsExplainedOnTheStartPage()
    {
        const auto app = startApp({u"Typist"_s, {}, false, {}, {}});
        QVERIFY(QTest::qWaitForWindowExposed(app->window()));
        QQuickItem *address = app->item("addressField");
        QVERIFY(address);
        QTest::mouseClick(app->window(), Qt::LeftButton, {}, centreOf(address));
        QTRY_VERIFY(address->hasActiveFocus());
        typeText(app->window(), u"inkroom://127.0.0.1:7420/"_s);
        QTest::keyClick(app->window(), Qt::Key_Return);
        QObject *error = app->find("joinError");
        QVERIFY(error);
        QTRY_VERIFY(error->property("visible").toBool());
        QCOMPARE(error->property("text").toString(), app->controller->joinError());
        QVERIFY(!app->controller->joinError().isEmpty());
        QCOMPARE(app->controller->page(), ui::AppController::Start);
        QCOMPARE(app->controller->recentRooms()->count(), 0);
        QVERIFY(!app->find("roomPage"));
        shot(*app, u"start-bad-link"_s);
    }

    //! Ann draws a stroke and sends a chat message with the mouse and keyboard; Bo's app shows both.
    void drawAndChatReachTheOtherApp()
    {
        const QString link = u"inkroom://127.0.0.1:%1/e2e"_s.arg(m_port);
        const auto ann = startApp({u"Ann"_s, link, false, {}, {}});
        const auto bo = startApp({u"Bo"_s, link, false, {}, {}});
        QVERIFY(QTest::qWaitForWindowExposed(ann->window()));
        QVERIFY(QTest::qWaitForWindowExposed(bo->window()));
        QTRY_VERIFY(ann->session() && bo->session());
        // The server is new to both: each asks before sending anything, with the fingerprint the server printed.
        shot(*ann, u"room-trust"_s);
        trustInTheBanner(*ann);
        trustInTheBanner(*bo);
        for (const auto *app : {ann.get(), bo.get()}) {
            client::Session *session = app->session();
            QTRY_VERIFY2_WITH_TIMEOUT(
                session->state() == client::Session::Online,
                qPrintable(
                    u"%1: state %2, %3"_s.arg(session->name()).arg(int(session->state())).arg(session->reason())),
                15000);
        }
        QTRY_COMPARE(bo->session()->memberCount(), 2);
        // Input waits until the room page has finished sliding in.
        QTRY_VERIFY(!ann->find("stack")->property("busy").toBool());
        QTRY_VERIFY(!bo->find("stack")->property("busy").toBool());

        // Draw a diagonal stroke across Ann's canvas.
        QQuickItem *canvas = ann->item("canvas");
        QVERIFY(canvas);
        const QPointF from = canvas->mapToScene(QPointF(canvas->width() * 0.3, canvas->height() * 0.4));
        const QPointF to = canvas->mapToScene(QPointF(canvas->width() * 0.6, canvas->height() * 0.6));
        QTest::mousePress(ann->window(), Qt::LeftButton, {}, from.toPoint());
        for (int i = 1; i <= 30; ++i)
            QTest::mouseMove(ann->window(), (from + (to - from) * i / 30).toPoint());
        QTest::mouseRelease(ann->window(), Qt::LeftButton, {}, to.toPoint());
        QCOMPARE(ann->session()->board()->itemCount(), 1);

        // Type a chat message (markup stays text) and press Enter.
        QQuickItem *input = ann->item("chatInput");
        QVERIFY(input);
        QTest::mouseClick(ann->window(), Qt::LeftButton, {}, centreOf(input));
        QTRY_VERIFY(input->hasActiveFocus());
        for (const char c : QByteArray("Hello from Ann <b>bold?</b>"))
            QTest::keyClick(ann->window(), c);
        QTest::keyClick(ann->window(), Qt::Key_Return);

        // Bo's app shows the stroke and the message.
        QTRY_COMPARE_WITH_TIMEOUT(bo->session()->board()->itemCount(), 1, 10000);
        const proto::Item stroke = bo->session()->board()->orderedItems().first();
        QCOMPARE(stroke.kind, proto::ItemKind::Stroke);
        QVERIFY(stroke.points.size() >= 10);
        // Bo's chat may also hold "Ann joined" (who of the two came online first is a race): find the message.
        client::ChatModel *boChat = bo->session()->chat();
        const auto firstMessage = [boChat] {
            for (int row = 0; row < boChat->rowCount(); ++row) {
                if (!boChat->index(row).data(client::ChatModel::NoticeRole).toBool())
                    return boChat->index(row);
            }
            return QModelIndex();
        };
        QTRY_VERIFY_WITH_TIMEOUT(firstMessage().isValid(), 10000);
        const QModelIndex message = firstMessage();
        QCOMPARE(message.data(client::ChatModel::TextRole).toString(), u"Hello from Ann <b>bold?</b>"_s);
        QCOMPARE(message.data(client::ChatModel::AuthorRole).toString(), u"Ann"_s);
        QTRY_COMPARE(ann->session()->pendingCount(), 0);

        // And it is on Bo's screen: the middle of the stroke is dark.
        QQuickItem *boCanvas = bo->item("canvas");
        QTest::qWait(100);
        bo->window()->update();
        const QImage image = bo->window()->grabWindow();
        const qreal dpr = image.devicePixelRatio();
        const QPointF middle = boCanvas->mapToScene(QPointF(boCanvas->width() * 0.45, boCanvas->height() * 0.5));
        QVERIFY(!image.isNull());
        bool dark = false;
        for (int dx = -3; dx <= 3 && !dark; ++dx) {
            for (int dy = -3; dy <= 3 && !dark; ++dy)
                dark = image.pixelColor(int((middle.x() + dx) * dpr), int((middle.y() + dy) * dpr)).lightness() < 140;
        }
        QVERIFY2(dark, "the stroke should be drawn in the other app");
        shot(*ann, u"room-ann"_s);
        shot(*bo, u"room-bo"_s);

        // More of the board: a box, an ellipse and an arrow with the shape tools, a text item, a selection,
        // and Bo's pointer showing in Ann's window with his name.
        QObject *toolbar = ann->find("boardToolbar");
        QVERIFY(toolbar);
        const auto dragOn = [&](const AppInstance &app, QPointF a, QPointF b) {
            QTest::mousePress(app.window(), Qt::LeftButton, {}, a.toPoint());
            for (int i = 1; i <= 8; ++i)
                QTest::mouseMove(app.window(), (a + (b - a) * i / 8).toPoint());
            QTest::mouseRelease(app.window(), Qt::LeftButton, {}, b.toPoint());
        };
        const auto at = [&](qreal fx, qreal fy) {
            return canvas->mapToScene(QPointF(canvas->width() * fx, canvas->height() * fy));
        };
        toolbar->setProperty("tool", 4); // Whiteboard.Rect
        canvas->setProperty("colour", QColor(0xe5, 0x39, 0x35));
        dragOn(*ann, at(0.62, 0.25), at(0.85, 0.45));
        toolbar->setProperty("tool", 5); // Whiteboard.Ellipse
        canvas->setProperty("colour", QColor(0x1e, 0x88, 0xe5));
        dragOn(*ann, at(0.1, 0.6), at(0.3, 0.85));
        toolbar->setProperty("tool", 3); // Whiteboard.Arrow
        canvas->setProperty("colour", QColor(0x43, 0xa0, 0x47));
        dragOn(*ann, at(0.35, 0.8), at(0.6, 0.7));
        QMetaObject::invokeMethod(canvas, "addText", Q_ARG(QPointF, QPointF(120, -200)),
                                  Q_ARG(QString, u"Plan for Monday\n<i>not italic</i>"_s));
        QTRY_COMPARE_WITH_TIMEOUT(bo->session()->board()->itemCount(), 5, 10000);
        toolbar->setProperty("tool", 8); // Whiteboard.Select
        QTest::mouseClick(ann->window(), Qt::LeftButton, {}, at(0.62, 0.35).toPoint());
        QTRY_COMPARE(canvas->property("selectionCount").toInt(), 1);

        // The properties panel restyles the selected box: Bo sees each change live, and Ann's undo takes back one.
        auto *annCanvas = qobject_cast<ui::CanvasItem *>(canvas);
        QVERIFY(annCanvas);
        const QString boxId = annCanvas->selectedIds().value(0);
        QVERIFY(!boxId.isEmpty());
        QQuickItem *panel = ann->item("propertiesPanel");
        QVERIFY(panel);
        QTRY_VERIFY(panel->isVisible());
        const auto choice = [&](const QString &objectName, const QString &name) -> QQuickItem * {
            std::function<QQuickItem *(QQuickItem *)> visit = [&](QQuickItem *item) -> QQuickItem * {
                if (!item->isVisible())
                    return nullptr;
                if (item->objectName() == objectName && (name.isEmpty() || item->property("name").toString() == name))
                    return item;
                for (QQuickItem *child : item->childItems()) {
                    if (QQuickItem *found = visit(child))
                        return found;
                }
                return nullptr;
            };
            return visit(panel);
        };
        const auto boBox = [&] { return bo->session()->board()->item(boxId); };
        QQuickItem *green = choice(u"strokeSwatch"_s, u"Green"_s);
        QVERIFY(green);
        QTest::mouseClick(ann->window(), Qt::LeftButton, {}, centreOf(green));
        QTRY_VERIFY_WITH_TIMEOUT(boBox() && boBox()->colour == 0xff2f9e44, 10000);
        QQuickItem *yellow = choice(u"fillSwatch"_s, u"Light yellow"_s);
        QVERIFY(yellow);
        QTest::mouseClick(ann->window(), Qt::LeftButton, {}, centreOf(yellow));
        QTRY_VERIFY_WITH_TIMEOUT(boBox() && boBox()->fill == std::optional<proto::Colour>(0xffffec99), 10000);
        QQuickItem *dashed = choice(u"dashdash-dashed"_s, {});
        QVERIFY(dashed);
        QTest::mouseClick(ann->window(), Qt::LeftButton, {}, centreOf(dashed));
        QTRY_VERIFY_WITH_TIMEOUT(boBox() && boBox()->dash == proto::Dash::Dashed, 10000);
        shot(*ann, u"room-properties"_s);
        QVERIFY(ann->session()->undo());
        QTRY_VERIFY_WITH_TIMEOUT(boBox() && boBox()->dash == proto::Dash::Solid, 10000);
        QCOMPARE(boBox()->fill, std::optional<proto::Colour>(0xffffec99));
        QCOMPARE(boBox()->colour, 0xff2f9e44u);
        QQuickItem *boBoard = bo->item("canvas");
        QTest::mouseMove(bo->window(),
                         boBoard->mapToScene(QPointF(boBoard->width() * 0.5, boBoard->height() * 0.3)).toPoint());
        QTest::mouseMove(bo->window(),
                         boBoard->mapToScene(QPointF(boBoard->width() * 0.52, boBoard->height() * 0.32)).toPoint());
        QTRY_VERIFY_WITH_TIMEOUT(ann->session()->people()->rowCount() == 2, 5000);
        QTest::qWait(300);
        shot(*ann, u"room-board"_s);

        // Stop the server: both apps say so, and keep what they draw.
        const int before = ann->session()->board()->itemCount();
        m_server.kill();
        m_server.waitForFinished();
        QTRY_VERIFY_WITH_TIMEOUT(bo->session()->state() == client::Session::Reconnecting, 20000);
        QTest::mousePress(bo->window(), Qt::LeftButton, {}, from.toPoint() + QPoint(0, 120));
        for (int i = 1; i <= 10; ++i)
            QTest::mouseMove(bo->window(), from.toPoint() + QPoint(i * 20, 120));
        QTest::mouseRelease(bo->window(), Qt::LeftButton, {}, from.toPoint() + QPoint(200, 120));
        QCOMPARE(bo->session()->pendingCount(), 1);
        shot(*bo, u"room-offline"_s);

        // The server comes back: Bo's offline stroke reaches Ann, once.
        startServer();
        bo->session()->retryNow();
        ann->session()->retryNow();
        QTRY_COMPARE_WITH_TIMEOUT(ann->session()->board()->itemCount(), before + 1, 20000);
        QTRY_COMPARE_WITH_TIMEOUT(bo->session()->pendingCount(), 0, 20000);
        QCOMPARE(bo->session()->board()->itemCount(), before + 1);
    }

    //! A change the room refuses for good leaves the board and stays listed under the banner, with why, until the
    //! user dismisses it.
    void aRefusedChangeIsShownUntilDismissed()
    {
        QTcpServer probe;
        QVERIFY(probe.listen(QHostAddress::LocalHost, 0));
        const quint16 port = probe.serverPort();
        probe.close();
        QTemporaryDir data;
        QProcess server;
        server.setProgram(QStringLiteral(INKROOM_SERVER_EXE));
        server.setArguments({u"--bind"_s, u"127.0.0.1"_s, u"--port"_s, QString::number(port), u"--data-dir"_s,
                             data.path(), u"--insecure"_s, u"--max-board-items"_s, u"1"_s});
        server.setProcessChannelMode(QProcess::ForwardedErrorChannel);
        server.start();
        QVERIFY(server.waitForStarted());
        QByteArray output;
        QTRY_VERIFY_WITH_TIMEOUT((output += server.readAllStandardOutput()).contains("ws://"), 10000);

        const auto app = startApp({u"Cy"_s, u"inkroom://127.0.0.1:%1/full?insecure=1"_s.arg(port), false, {}, {}});
        QVERIFY(QTest::qWaitForWindowExposed(app->window()));
        QTRY_VERIFY(app->session());
        client::Session *session = app->session();
        QTRY_COMPARE_WITH_TIMEOUT(session->state(), client::Session::Online, 15000);
        QTRY_VERIFY(!app->find("stack")->property("busy").toBool());
        QQuickItem *bar = app->item("noticeBar");
        QVERIFY(bar);
        QVERIFY(!bar->isVisible());
        QVERIFY(!session->addShape(client::BoardDocument::Rect, Qt::red, 3, {-200, -100}, {0, 50}).isEmpty());
        QTRY_COMPARE_WITH_TIMEOUT(session->pendingCount(), 0, 10000);
        QVERIFY(!session->addShape(client::BoardDocument::Ellipse, Qt::blue, 3, {50, 50}, {250, 150}).isEmpty());
        QTRY_VERIFY_WITH_TIMEOUT(bar->isVisible(), 10000);
        QCOMPARE(session->board()->itemCount(), 1); // the refused ellipse left the board
        // Repeater delegates hang in the visual tree, not the QObject one.
        const std::function<QQuickItem *(QQuickItem *, const QString &)> visualChild = [&](QQuickItem *from,
                                                                                           const QString &name) {
            for (QQuickItem *child : from->childItems()) {
                if (child->objectName() == name)
                    return child;
                if (QQuickItem *found = visualChild(child, name))
                    return found;
            }
            return static_cast<QQuickItem *>(nullptr);
        };
        QQuickItem *line = visualChild(bar, u"refusal"_s);
        QVERIFY(line);
        const QString text = line->property("text").toString();
        QVERIFY2(text.contains(u"ellipse"_s) && text.contains(u"board"_s), qPrintable(text));
        QTest::qWait(200);
        shot(*app, u"room-refused"_s);
        // Dismissed, it goes.
        QQuickItem *dismiss = nullptr;
        for (QQuickItem *item : line->parentItem()->childItems()) {
            if (item->property("text").toString() == u"Dismiss"_s && item->isVisible())
                dismiss = item;
        }
        QVERIFY(dismiss);
        QTest::mouseClick(app->window(), Qt::LeftButton, {}, centreOf(dismiss));
        QTRY_VERIFY(!bar->isVisible());
        QCOMPARE(session->refusals()->count(), 0);
        server.terminate();
        server.waitForFinished(5000);
    }

    //! "Host a room": the hosted server speaks TLS, its fingerprint is shown beside the link, and the host's own
    //! client trusts it without asking (it is its own server).
    //! Ann right-clicks her box, copies it from the context menu; Cy, in another room and another app, pastes it with
    //! Ctrl+V: a new item there (fresh id, a step away), sent to that room; Ann's room is untouched.
    void contextMenuAndCopyPasteBetweenTwoApps()
    {
        const QString linkA = u"inkroom://127.0.0.1:%1/e2e-copy-from"_s.arg(m_port);
        const QString linkB = u"inkroom://127.0.0.1:%1/e2e-copy-to"_s.arg(m_port);
        const auto ann = startApp({u"Ann"_s, linkA, false, {}, {}});
        const auto cy = startApp({u"Cy"_s, linkB, false, {}, {}});
        QVERIFY(QTest::qWaitForWindowExposed(ann->window()));
        QVERIFY(QTest::qWaitForWindowExposed(cy->window()));
        for (const auto *app : {ann.get(), cy.get()}) {
            QTRY_VERIFY(app->session());
            if (app->session()->state() == client::Session::AwaitingTrust
                || !QTest::qWaitFor([app] { return app->session()->state() == client::Session::Online; }, 3000))
                trustInTheBanner(*app);
            QTRY_COMPARE_WITH_TIMEOUT(app->session()->state(), client::Session::Online, 15000);
            QTRY_VERIFY(!app->find("stack")->property("busy").toBool());
        }
        auto *canvas = qobject_cast<ui::CanvasItem *>(ann->item("canvas"));
        QVERIFY(canvas);
        const QPointF centre = canvas->mapToBoard(QPointF(canvas->width() / 2, canvas->height() / 2));
        const QString box = ann->session()->addShape(client::BoardDocument::Rect, QColor(0xe5, 0x39, 0x35), 3, centre,
                                                     centre + QPointF(120, 80));
        QVERIFY(!box.isEmpty());
        QTRY_COMPARE(ann->session()->pendingCount(), 0);

        // Right-click on the box: it is selected and the menu opens; Copy.
        const QPointF onBox = canvas->mapToScene(canvas->mapFromBoard(centre + QPointF(2, 2)));
        QTest::mouseClick(ann->window(), Qt::RightButton, {}, onBox.toPoint());
        QObject *menu = ann->find("boardContextMenu");
        QVERIFY(menu);
        QTRY_VERIFY(menu->property("opened").toBool());
        QCOMPARE(canvas->selectedIds(), QStringList {box});
        shot(*ann, u"context-menu"_s);
        QQuickItem *copy = ann->item("contextCopy");
        QVERIFY(copy);
        QTest::mouseClick(ann->window(), Qt::LeftButton, {}, centreOf(copy));
        QTRY_VERIFY(!menu->property("visible").toBool());

        // Cy pastes it into his room.
        auto *cyCanvas = qobject_cast<ui::CanvasItem *>(cy->item("canvas"));
        QVERIFY(cyCanvas);
        // The menu bar's keys work in the window that has the keyboard.
        cy->window()->requestActivate();
        QVERIFY(QTest::qWaitForWindowActive(cy->window()));
        cyCanvas->forceActiveFocus();
        QTRY_VERIFY(cyCanvas->hasActiveFocus());
        QTest::keyClick(cy->window(), Qt::Key_V, Qt::ControlModifier);
        QTRY_COMPARE(cy->session()->board()->itemCount(), 1);
        const proto::Item pasted = cy->session()->board()->orderedItems().first();
        QVERIFY(pasted.id != box);
        QVERIFY(pasted.id.startsWith(cy->session()->clientId()));
        QCOMPARE(pasted.kind, proto::ItemKind::Rect);
        QCOMPARE(pasted.colour, 0xffe53935u);
        QCOMPARE(pasted.points.first(), centre + QPointF(24, 24));
        QCOMPARE(cyCanvas->selectedIds(), QStringList {pasted.id});
        QTRY_COMPARE_WITH_TIMEOUT(cy->session()->pendingCount(), 0, 10000);
        QVERIFY(settledFor(ann->session()));
        QCOMPARE(ann->session()->board()->itemCount(), 1);
        shot(*cy, u"pasted-from-another-room"_s);
    }

    void hostingShowsTheFingerprintAndTrustsItself()
    {
        QTemporaryDir hosted;
        const auto host = startApp({u"Hosta"_s, {}, false, {}, {}}, [&hosted](ui::AppController &controller) {
            // What --host does, on loopback only and in a directory of its own.
            controller.roomHost()->setBindAddress(QHostAddress::LocalHost);
            controller.roomHost()->setDataDir(hosted.path());
            controller.host(u"hosted e2e"_s);
        });
        QVERIFY(QTest::qWaitForWindowExposed(host->window()));
        QTRY_VERIFY_WITH_TIMEOUT(host->session(), 15000);
        QSignalSpy asked(host->session(), &client::Session::trustRequested);
        QTRY_COMPARE_WITH_TIMEOUT(host->session()->state(), client::Session::Online, 15000);
        QCOMPARE(asked.size(), 0);
        const QString fingerprint = host->controller->roomHost()->fingerprint();
        QVERIFY(!fingerprint.isEmpty());
        QVERIFY(host->session()->encrypted());
        QCOMPARE(host->session()->serverFingerprint(), fingerprint);
        // Every member's invite dialog has the whole fingerprint, selectable, with a copy button.
        QTRY_VERIFY(!host->find("stack")->property("busy").toBool());
        QQuickItem *invite = host->item("inviteButton");
        QVERIFY(invite);
        QTest::mouseClick(host->window(), Qt::LeftButton, {}, centreOf(invite));
        QObject *dialog = host->find("inviteDialog");
        QTRY_VERIFY(dialog->property("opened").toBool());
        // Shown as two lines of sixteen bytes; copied whole, on one line.
        QCOMPARE(fingerprint.size(), 95);
        QCOMPARE(host->find("fingerprintText")->property("text").toString(),
                 fingerprint.left(47) + u'\n' + fingerprint.mid(48));
        QCOMPARE(host->find("linkText")->property("text").toString(), host->controller->link());
        QCOMPARE(host->find("codeText")->property("text").toString(), host->controller->joinCode());
        QQuickItem *copyPrint = host->item("fingerprintCopyButton");
        QTest::mouseClick(host->window(), Qt::LeftButton, {}, centreOf(copyPrint));
        QCOMPARE(copyPrint->property("text").toString(), u"Copied"_s);
        QCOMPARE(QGuiApplication::clipboard()->text(), fingerprint);
        shot(*host, u"invite-dialog"_s);
        QMetaObject::invokeMethod(dialog, "close");
        QTRY_VERIFY(!dialog->property("visible").toBool());
        // Ctrl+Q (the Room menu's Quit) while hosting asks first; staying keeps everything as it was.
        host->window()->requestActivate();
        QVERIFY(QTest::qWaitForWindowActive(host->window()));
        QTest::keyClick(host->window(), Qt::Key_Q, Qt::ControlModifier);
        QTRY_COMPARE(host->controller->leaveQuestion(), ui::AppController::Quitting);
        host->controller->cancelLeave();
        QTRY_VERIFY(!host->find("leaveHostDialog")->property("visible").toBool());
        QVERIFY(host->controller->link().startsWith(u"inkroom://"_s));
        QVERIFY(!host->controller->link().contains(u"insecure"_s));
        QCOMPARE(host->find("hostLink")->property("text").toString(), host->controller->link());
        QCOMPARE(host->window()->title(), u"hosted e2e — Inkroom"_s);
        QTRY_VERIFY(!host->find("stack")->property("busy").toBool());
        shot(*host, u"room-hosting"_s);

        // Leave with the mouse: it asks first (keep serving, or close for everyone), then back on the start page,
        // the server stopping, the room remembered.
        QQuickItem *leave = host->item("leaveButton");
        QVERIFY(leave);
        QTest::mouseClick(host->window(), Qt::LeftButton, {}, centreOf(leave));
        QCOMPARE(host->controller->leaveQuestion(), ui::AppController::Leaving);
        QCOMPARE(host->controller->page(), ui::AppController::Room);
        QQuickItem *closeForEveryone = host->item("closeForEveryoneButton");
        QVERIFY(closeForEveryone);
        QTRY_VERIFY(host->find("leaveHostDialog")->property("opened").toBool()); // done opening: the click lands
        shot(*host, u"leave-hosted-room"_s);
        QTest::mouseClick(host->window(), Qt::LeftButton, {}, centreOf(closeForEveryone));
        QCOMPARE(host->controller->leaveQuestion(), ui::AppController::NoQuestion);
        QCOMPARE(host->controller->page(), ui::AppController::Start);
        // The click's event processing may already have seen the server through its goodbye.
        const ui::RoomHost::Status status = host->controller->roomHost()->status();
        QVERIFY(status == ui::RoomHost::Stopping || status == ui::RoomHost::Stopped);
        QTRY_VERIFY(!host->find("stack")->property("busy").toBool());
        QTRY_VERIFY(!host->find("roomPage"));
        const QModelIndex latest = host->controller->recentRooms()->index(0);
        QCOMPARE(latest.data(ui::RecentRooms::RoomRole).toString(), u"hosted e2e"_s);
        shot(*host, u"start-after-leave"_s);

        // Host it again at once, by keyboard, while the last server may still be saying goodbye.
        QQuickItem *roomField = host->item("hostRoomField");
        QVERIFY(roomField);
        QTest::mouseClick(host->window(), Qt::LeftButton, {}, centreOf(roomField));
        QTRY_VERIFY(roomField->hasActiveFocus());
        QTest::keyClick(host->window(), Qt::Key_A, Qt::ControlModifier);
        typeText(host->window(), u"hosted e2e"_s);
        QTest::keyClick(host->window(), Qt::Key_Return);
        QTRY_COMPARE_WITH_TIMEOUT(host->controller->page(), ui::AppController::Room, 15000);
        QTRY_COMPARE_WITH_TIMEOUT(host->session()->state(), client::Session::Online, 15000);
        QCOMPARE(host->controller->roomName(), u"hosted e2e"_s);
        QTRY_VERIFY(!host->find("stack")->property("busy").toBool());
        QTRY_VERIFY(host->find("hostLink")->property("visible").toBool());
        shot(*host, u"room-hosting-again"_s);
    }

    //! A teacher and a pupil, each in the real app: view only, the lock, the owner's controls and a direct message.
    void aTeachersControlsReachThePupilsApp()
    {
        QTcpServer probe;
        QVERIFY(probe.listen(QHostAddress::LocalHost, 0));
        const quint16 port = probe.serverPort();
        probe.close();
        QTemporaryDir data;
        QProcess server;
        server.setProgram(QStringLiteral(INKROOM_SERVER_EXE));
        server.setArguments({u"--bind"_s, u"127.0.0.1"_s, u"--port"_s, QString::number(port), u"--data-dir"_s,
                             data.path(), u"--insecure"_s});
        server.setProcessChannelMode(QProcess::ForwardedErrorChannel);
        server.start();
        QVERIFY(server.waitForStarted());
        QByteArray output;
        QTRY_VERIFY_WITH_TIMEOUT((output += server.readAllStandardOutput()).contains("ws://"), 10000);
        const QString link = u"inkroom://127.0.0.1:%1/class?insecure=1"_s.arg(port);

        // Ann comes first: the room is hers.
        const auto ann = startApp({u"Ann"_s, link, false, {}, {}});
        QVERIFY(QTest::qWaitForWindowExposed(ann->window()));
        QTRY_VERIFY(ann->session());
        QTRY_COMPARE_WITH_TIMEOUT(ann->session()->state(), client::Session::Online, 15000);
        QVERIFY(ann->session()->isOwner());
        const auto bo = startApp({u"Bo"_s, link, false, {}, {}});
        QVERIFY(QTest::qWaitForWindowExposed(bo->window()));
        QTRY_VERIFY(bo->session());
        client::Session *pupil = bo->session();
        QTRY_COMPARE_WITH_TIMEOUT(pupil->state(), client::Session::Online, 15000);
        QTRY_VERIFY(!ann->find("stack")->property("busy").toBool());
        QTRY_VERIFY(!bo->find("stack")->property("busy").toBool());
        QVERIFY(ann->item("clearButton")->isVisible());
        QVERIFY(!bo->item("clearButton")->isVisible());
        QVERIFY(!bo->item("viewOnlyLabel")->isVisible());

        // Ann makes Bo a viewer: his tools switch off, the banner says why, his pointer draws nothing.
        QVERIFY(ann->session()->setMemberRole(pupil->clientId(), u"viewer"_s));
        QTRY_VERIFY_WITH_TIMEOUT(pupil->viewOnly(), 10000);
        QTRY_VERIFY(bo->item("viewOnlyLabel")->isVisible());
        QQuickItem *banner = bo->item("controlsBanner");
        QVERIFY(banner);
        QTRY_VERIFY(banner->isVisible());
        QVERIFY(!ann->item("controlsBanner")->isVisible());
        QQuickItem *canvas = bo->item("canvas");
        const QPointF from = canvas->mapToScene(QPointF(canvas->width() * 0.3, canvas->height() * 0.4));
        const QPointF to = canvas->mapToScene(QPointF(canvas->width() * 0.6, canvas->height() * 0.6));
        QTest::mousePress(bo->window(), Qt::LeftButton, {}, from.toPoint());
        for (int i = 1; i <= 20; ++i)
            QTest::mouseMove(bo->window(), (from + (to - from) * i / 20).toPoint());
        QTest::mouseRelease(bo->window(), Qt::LeftButton, {}, to.toPoint());
        QCOMPARE(pupil->board()->itemCount(), 0);
        QCOMPARE(pupil->pendingCount(), 0);

        // Ann writes to Bo alone.
        QVERIFY(ann->session()->sendDirect(pupil->clientId(), u"Please watch first, then you can draw."_s));
        QTRY_COMPARE_WITH_TIMEOUT(pupil->chat()->rowCount(), 1, 10000);
        QVERIFY(pupil->chat()->index(0).data(client::ChatModel::DirectRole).toBool());
        QTest::qWait(300);
        shot(*bo, u"room-view-only"_s);

        // Ann's side: the people list with roles and her controls.
        QVERIFY(ann->session()->setLocked(true));
        QTRY_VERIFY_WITH_TIMEOUT(pupil->locked(), 10000);
        QTRY_VERIFY(ann->item("controlsBanner")->isVisible()); // locked: said to the owner too
        QTRY_COMPARE(pupil->viewOnly(), true);
        QQuickItem *controls = ann->item("ownerControls");
        QVERIFY(controls);
        QMetaObject::invokeMethod(ann->find("roomPage"), "showPeople");
        QTRY_VERIFY(controls->isVisible());
        QTest::qWait(300);
        shot(*ann, u"room-owner-people"_s);

        // Unlocked and an editor again, Bo draws.
        QVERIFY(ann->session()->setLocked(false));
        QVERIFY(ann->session()->setMemberRole(pupil->clientId(), u"editor"_s));
        QTRY_VERIFY_WITH_TIMEOUT(!pupil->viewOnly(), 10000);
        QTRY_VERIFY(!banner->isVisible());
        QVERIFY(!pupil->addShape(client::BoardDocument::Rect, Qt::red, 3, {0, 0}, {50, 50}).isEmpty());
        QTRY_COMPARE_WITH_TIMEOUT(ann->session()->board()->itemCount(), 1, 10000);
        server.terminate();
        server.waitForFinished(5000);
    }

    void followTheLaserAndViewOnlyAcrossTwoApps()
    {
        QTcpServer probe;
        QVERIFY(probe.listen(QHostAddress::LocalHost, 0));
        const quint16 port = probe.serverPort();
        probe.close();
        QTemporaryDir data;
        QProcess server;
        server.setProgram(QStringLiteral(INKROOM_SERVER_EXE));
        server.setArguments({u"--bind"_s, u"127.0.0.1"_s, u"--port"_s, QString::number(port), u"--data-dir"_s,
                             data.path(), u"--insecure"_s});
        server.setProcessChannelMode(QProcess::ForwardedErrorChannel);
        server.start();
        QVERIFY(server.waitForStarted());
        QByteArray output;
        QTRY_VERIFY_WITH_TIMEOUT((output += server.readAllStandardOutput()).contains("ws://"), 10000);
        const QString link = u"inkroom://127.0.0.1:%1/lesson?insecure=1"_s.arg(port);

        // Ann presents in a wide window; Bo follows in a smaller one of another shape.
        const auto ann = startApp({u"Ann"_s, link, false, {}, {}});
        QVERIFY(QTest::qWaitForWindowExposed(ann->window()));
        QTRY_VERIFY(ann->session());
        client::Session *teacher = ann->session();
        QTRY_COMPARE_WITH_TIMEOUT(teacher->state(), client::Session::Online, 15000);
        QVERIFY(teacher->setGuestsReadOnly(true));
        // Something to look at: four boxes around the board and a caption.
        const QList<QColor> colours {Qt::red, Qt::blue, Qt::darkGreen, QColor(255, 140, 0)};
        for (int i = 0; i < 4; ++i) {
            const QPointF at(-600 + 400 * i, -200 + 150 * (i % 2));
            QVERIFY(
                !teacher->addShape(client::BoardDocument::Rect, colours[i], 6, at, at + QPointF(250, 180)).isEmpty());
        }
        QVERIFY(!teacher->addText({-80, 260}, u"Slide 3: the water cycle"_s, Qt::black, 36).isEmpty());
        const auto bo = startApp({u"Bo"_s, link, false, {}, {}});
        QVERIFY(QTest::qWaitForWindowExposed(bo->window()));
        bo->window()->resize(900, 720);
        QTRY_VERIFY(bo->session());
        client::Session *pupil = bo->session();
        QTRY_COMPARE_WITH_TIMEOUT(pupil->state(), client::Session::Online, 15000);
        QTRY_VERIFY(!ann->find("stack")->property("busy").toBool());
        QTRY_VERIFY(!bo->find("stack")->property("busy").toBool());
        QTRY_COMPARE_WITH_TIMEOUT(pupil->board()->itemCount(), 5, 10000);
        QVERIFY(pupil->viewOnly()); // read-only for guests
        QTRY_VERIFY(bo->item("viewOnlyLabel")->isVisible());
        // A third pupil in a terminal, a script that ignores every UI rule: inkroom-cli.
        QTemporaryDir cliState;
        test::CliProcess cy(QStringLiteral(INKROOM_CLI_EXE),
                            {u"--server"_s, u"ws://127.0.0.1:%1"_s.arg(port), u"--room"_s, u"lesson"_s, u"--name"_s,
                             u"Cy"_s, u"--state-dir"_s, cliState.path(), u"--volatile"_s});
        QVERIFY(cy.waitForEvent(u"synced"_s));
        const QString cyId = cy.clientId();
        QTRY_VERIFY_WITH_TIMEOUT(teacher->people()->person(cyId), 10000);

        // Ann zooms in on the right half of her slide.
        auto *annCanvas = qobject_cast<ui::CanvasItem *>(ann->item("canvas"));
        auto *boCanvas = qobject_cast<ui::CanvasItem *>(bo->item("canvas"));
        QVERIFY(annCanvas && boCanvas);
        annCanvas->zoomAt(1.6, annCanvas->mapFromBoard({400, 0}));
        const QRectF shown = annCanvas->visibleRect();
        QTRY_COMPARE_WITH_TIMEOUT(pupil->following()->viewOf(teacher->clientId()), shown, 10000);

        // Bo clicks Ann's pointer on his board to follow her.
        // Her pointer somewhere both of them see (what hovering over her board does).
        const QPointF pointer = boCanvas->visibleRect().center() + QPointF(-60, -40);
        teacher->moveCursor(pointer.x(), pointer.y());
        QTRY_VERIFY_WITH_TIMEOUT(pupil->people()->person(teacher->clientId())
                                     && pupil->people()->person(teacher->clientId())->cursorVisible,
                                 10000);
        QQuickItem *label = nullptr;
        QTRY_VERIFY_WITH_TIMEOUT((label = visibleItemNamed(bo->window()->contentItem(), u"cursorLabel"_s)), 10000);
        QTest::qWait(150); // the label glides to Ann's pointer (60 ms)
        QTest::mouseClick(bo->window(), Qt::LeftButton, {}, centreOf(label));
        QTRY_VERIFY_WITH_TIMEOUT(pupil->following()->active(), 5000);
        QCOMPARE(pupil->following()->presenterName(), u"Ann"_s);
        QVERIFY(!pupil->following()->summoned());
        // His board glides to hers and then shows all of it: her rectangle fits his window in one direction.
        QTRY_VERIFY_WITH_TIMEOUT(!boCanvas->isSteering(), 5000);
        QTRY_VERIFY_WITH_TIMEOUT(fitsNow(boCanvas, shown), 5000);
        QQuickItem *banner = bo->item("followBanner");
        QVERIFY(banner);
        QTRY_VERIFY(banner->isVisible());
        QCOMPARE(bo->find("followText")->property("text").toString(), u"Following Ann"_s);
        QVERIFY(bo->item("followStopButton")->isVisible());
        QVERIFY(!ann->item("followBanner")->isVisible());
        QTest::qWait(300);
        shot(*ann, u"follow-presenter"_s);
        shot(*bo, u"follow-follower"_s);

        // Ann moves on: Bo's view follows.
        annCanvas->panBy(-300, 120);
        const QRectF moved = annCanvas->visibleRect();
        QTRY_COMPARE_WITH_TIMEOUT(pupil->following()->target(), moved, 10000);
        QTRY_VERIFY_WITH_TIMEOUT(!boCanvas->isSteering() && boCanvas->visibleRect().contains(moved.center()), 5000);

        // Ann points with the laser: Bo sees the trail, which fades, and which never lands on anybody's board.
        ann->window()->requestActivate();
        QVERIFY(QTest::qWaitForWindowActive(ann->window()));
        QTest::keyClick(ann->window(), Qt::Key_K);
        QTRY_COMPARE(annCanvas->tool(), ui::CanvasItem::Laser);
        const QPointF a = annCanvas->mapToScene(annCanvas->mapFromBoard(moved.center() + QPointF(-150, -60)));
        const QPointF b = annCanvas->mapToScene(annCanvas->mapFromBoard(moved.center() + QPointF(150, 60)));
        QTest::mousePress(ann->window(), Qt::LeftButton, {}, a.toPoint());
        for (int i = 1; i <= 24; ++i) {
            const qreal t = i / 24.0;
            QTest::mouseMove(ann->window(), (a + (b - a) * t + QPointF(0, 40 * std::sin(t * 6.28))).toPoint());
        }
        QTest::mouseRelease(ann->window(), Qt::LeftButton, {}, b.toPoint());
        QTRY_VERIFY_WITH_TIMEOUT(pupil->laser()->pointCount(teacher->clientId()) >= 10, 5000);
        QVERIFY(bo->item("laserLayer")->isVisible());
        shot(*bo, u"laser-on-follower"_s);
        QVERIFY(cy.waitFor([&](const QJsonObject &e) {
            return e.value("type"_L1) == "laser"_L1 && e.value("client"_L1) == teacher->clientId();
        }));
        QTRY_VERIFY_WITH_TIMEOUT(!pupil->laser()->isVisible(), 5000);
        QVERIFY(!bo->item("laserLayer")->isVisible());
        QCOMPARE(pupil->board()->itemCount(), 5);
        QCOMPARE(teacher->board()->itemCount(), 5);
        QCOMPARE(teacher->pendingCount(), 0);

        // Bo, a viewer, points too (the only tool he has): Ann sees it; his board op would be refused, none is made.
        bo->window()->requestActivate();
        QVERIFY(QTest::qWaitForWindowActive(bo->window()));
        QTest::keyClick(bo->window(), Qt::Key_K);
        QTRY_COMPARE(boCanvas->tool(), ui::CanvasItem::Laser);
        const QPointF c = boCanvas->mapToScene(QPointF(boCanvas->width() * 0.3, boCanvas->height() * 0.5));
        QTest::mousePress(bo->window(), Qt::LeftButton, {}, c.toPoint());
        for (int i = 1; i <= 12; ++i)
            QTest::mouseMove(bo->window(), (c + QPointF(15 * i, -8 * i)).toPoint());
        QTest::mouseRelease(bo->window(), Qt::LeftButton, {}, (c + QPointF(180, -96)).toPoint());
        QTRY_VERIFY_WITH_TIMEOUT(teacher->laser()->pointCount(pupil->clientId()) >= 5, 5000);
        QCOMPARE(pupil->board()->itemCount(), 5);
        QCOMPARE(pupil->pendingCount(), 0);
        QVERIFY(pupil->following()->active()); // pointing is not moving the view

        // Bo scrolls by hand: following stops, with a one-click "Follow again".
        QWheelEvent wheel(c, bo->window()->mapToGlobal(c), QPoint(), QPoint(0, -120), Qt::NoButton, Qt::NoModifier,
                          Qt::NoScrollPhase, false);
        QCoreApplication::sendEvent(bo->window(), &wheel);
        QTRY_VERIFY(!pupil->following()->active());
        QVERIFY(pupil->following()->resumable());
        QTRY_VERIFY(bo->item("followAgainButton")->isVisible());
        QTest::qWait(200);
        shot(*bo, u"follow-again"_s);
        QTest::mouseClick(bo->window(), Qt::LeftButton, {}, centreOf(bo->item("followAgainButton")));
        QTRY_VERIFY(pupil->following()->active());
        QTRY_VERIFY_WITH_TIMEOUT(!boCanvas->isSteering() && fitsNow(boCanvas, moved), 5000);

        // Stop; then Ann brings everyone to her, from her people list.
        QTest::mouseClick(bo->window(), Qt::LeftButton, {}, centreOf(bo->item("followStopButton")));
        QTRY_VERIFY(!pupil->following()->active());
        QMetaObject::invokeMethod(ann->find("roomPage"), "showPeople");
        QQuickItem *summon = ann->item("summonButton");
        QTRY_VERIFY(summon && summon->isVisible() && summon->width() > 0);
        QVERIFY(!bo->item("summonButton")->isVisible());
        QTest::qWait(200);
        QTest::mouseClick(ann->window(), Qt::LeftButton, {}, centreOf(summon));
        QTRY_VERIFY(teacher->summoning());
        QTRY_VERIFY_WITH_TIMEOUT(pupil->following()->active() && pupil->following()->summoned(), 10000);
        QTRY_COMPARE(bo->find("followText")->property("text").toString(), u"Following Ann (they asked everyone)"_s);
        QVERIFY(cy.waitFor([&](const QJsonObject &e) {
            return e.value("type"_L1) == "following"_L1 && e.value("active"_L1).toBool()
                && e.value("client"_L1) == teacher->clientId() && e.value("summoned"_L1).toBool();
        }));
        // The script's own summon is refused: by its client, and by the server for one that skips the check
        // (tst_server_follow); nobody follows Cy.
        cy.write(u"/summon"_s);
        QVERIFY(QTest::qWaitFor([&cy] { return cy.errors().contains(u"owners"_s); }, 10000));
        QVERIFY(pupil->following()->presenterId() == teacher->clientId());

        // Ann writes to Cy alone: Bo never sees it.
        QVERIFY(teacher->sendDirect(cyId, u"Cy, please stay after class."_s));
        QVERIFY(cy.waitFor([&](const QJsonObject &e) {
            return e.value("type"_L1) == "chat"_L1 && e.value("text"_L1) == "Cy, please stay after class."_L1;
        }));
        QTRY_VERIFY_WITH_TIMEOUT(teacher->pendingCount() == 0, 10000);
        QVERIFY(settledFor(pupil));
        for (const client::ChatMessage &message : pupil->chat()->messages())
            QVERIFY(!message.text.contains(u"after class"_s));

        // Bo, made an editor, scribbles over the slide; Ann undoes his scribbles for everybody.
        QVERIFY(teacher->setMemberRole(pupil->clientId(), u"editor"_s));
        QTRY_VERIFY_WITH_TIMEOUT(!pupil->viewOnly(), 10000);
        bo->window()->requestActivate();
        QVERIFY(QTest::qWaitForWindowActive(bo->window()));
        QTest::keyClick(bo->window(), Qt::Key_P);
        QTRY_COMPARE(boCanvas->tool(), ui::CanvasItem::Pen);
        for (int stroke = 0; stroke < 3; ++stroke) {
            const QPointF s0 =
                // Right of the properties panel, which the pen's style shows on the board's left.
                boCanvas->mapToScene(QPointF(260, boCanvas->height() * (0.3 + 0.15 * stroke)));
            QTest::mousePress(bo->window(), Qt::LeftButton, {}, s0.toPoint());
            for (int i = 1; i <= 10; ++i)
                QTest::mouseMove(bo->window(), (s0 + QPointF(40 * i, 25 * (i % 2))).toPoint());
            QTest::mouseRelease(bo->window(), Qt::LeftButton, {}, (s0 + QPointF(400, 0)).toPoint());
        }
        QTRY_COMPARE_WITH_TIMEOUT(teacher->board()->itemCount(), 8, 10000);
        QVERIFY(teacher->rollbackMember(pupil->clientId(), 10));
        QTRY_COMPARE_WITH_TIMEOUT(pupil->board()->itemCount(), 5, 10000);
        QTRY_COMPARE_WITH_TIMEOUT(teacher->board()->itemCount(), 5, 10000);
        QVERIFY(cy.waitFor([](const QJsonObject &e) {
            return e.value("type"_L1) == "op"_L1 && e.value("kind"_L1) == "rollback"_L1
                && e.value("undone"_L1).toInt() == 3 && e.value("ids"_L1).toArray().size() == 3;
        }));
        // Pen strokes by hand do not move the view: Bo still follows.
        QVERIFY(pupil->following()->active());

        // Ann leaves: Bo is told, plainly.
        teacher->leave();
        QTRY_VERIFY_WITH_TIMEOUT(!pupil->following()->active(), 10000);
        QTRY_VERIFY(bo->find("followText")->property("text").toString().contains(u"Ann left the room"_s));
        QTest::qWait(200);
        shot(*bo, u"follow-presenter-left"_s);
        QVERIFY(cy.waitFor([](const QJsonObject &e) {
            return e.value("type"_L1) == "following"_L1 && !e.value("active"_L1).toBool()
                && e.value("notice"_L1).toString().contains(u"Ann left"_s);
        }));
        cy.closeInput();
        QVERIFY(cy.waitForExit());
        QCOMPARE(cy.exitCode(), 3); // its refused summon
        server.terminate();
        server.waitForFinished(5000);
    }

    void wrongPasswordIsExplained()
    {
        const QString link = u"inkroom://127.0.0.1:%1/locked"_s.arg(m_port);
        // The first person in sets the password.
        client::Session owner;
        owner.setExpectedFingerprint(m_fingerprint);
        owner.join(QUrl(u"wss://127.0.0.1:%1"_s.arg(m_port)), u"locked"_s, u"Owner"_s, QColor(Qt::red), u"secret"_s);
        QTRY_COMPARE_WITH_TIMEOUT(owner.state(), client::Session::Online, 15000);
        const auto guest = startApp({u"Guest"_s, link, false, {}, {}});
        QVERIFY(QTest::qWaitForWindowExposed(guest->window()));
        QTRY_VERIFY(guest->session());
        // The server is known from the first test (when that ran): trust it here otherwise.
        QTRY_VERIFY_WITH_TIMEOUT(guest->session()->state() == client::Session::Failed
                                     || guest->session()->state() == client::Session::AwaitingTrust,
                                 15000);
        if (guest->session()->state() == client::Session::AwaitingTrust)
            QVERIFY(guest->session()->trustCertificate());
        QTRY_COMPARE_WITH_TIMEOUT(guest->session()->state(), client::Session::Failed, 15000);
        QCOMPARE(guest->session()->failure(), client::Session::WrongPassword);
        QVERIFY(!guest->session()->reason().isEmpty());
        shot(*guest, u"room-wrong-password"_s);
    }
};

QTEST_MAIN(TestEndToEnd)
#include "tst_app_endtoend.moc"
