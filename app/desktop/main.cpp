// inkroom: the desktop app. Everything it does lives in the libraries; this only wires them up.
#include "appcontroller.h"
#include "translations.h"

#include <QApplication>
#include <QIcon>
#include <QQmlApplicationEngine>
#include <QQuickStyle>
#include <QtQml/qqmlextensionplugin.h>

#include <cstdio>
#include <cstring>

Q_IMPORT_QML_PLUGIN(InkroomPlugin)
Q_IMPORT_QML_PLUGIN(Inkroom_UiPlugin)
Q_IMPORT_QML_PLUGIN(Inkroom_ClientPlugin)

using namespace Qt::StringLiterals;

namespace {

//! --help and --version only print, so they must work without a display (over ssh, in a package check).
bool onlyPrints(int argc, char *argv[])
{
    for (int i = 1; i < argc; ++i) {
        for (const char *option : {"-h", "--help", "--help-all", "-?", "-v", "--version"}) {
            if (std::strcmp(argv[i], option) == 0)
                return true;
        }
    }
    return false;
}

} // namespace

int main(int argc, char *argv[])
{
    if (onlyPrints(argc, argv)) {
        QCoreApplication app(argc, argv);
        inkroom::ui::configureApplication(app);
        inkroom::i18n::install(app);
        static_cast<void>(inkroom::ui::parseCommandLine(app)); // prints the help or the version and exits
    }

    // Qt's X11 platform takes --name for itself: parse a copy of the arguments made before it can.
    const QStringList arguments = inkroom::ui::argumentsOf(argc, argv);
    // A QApplication (not only a QGuiApplication): a room served in the background stays in the system tray, and
    // QSystemTrayIcon is a Qt Widgets class.
    QApplication app(argc, argv);
    // Closing or hiding the window does not quit by itself: the window's close asks AppController::quit(), which
    // quits, or first asks what becomes of a room hosted here (and serving it from the tray hides the window).
    QApplication::setQuitOnLastWindowClosed(false);
    inkroom::ui::configureApplication(app);
    // The system's language, where Inkroom has a translation (resources/translations); English otherwise.
    inkroom::i18n::install(app);
    // Desktops find the icon through the desktop file; window managers that look at the window get the same one.
    QIcon icon;
    for (const int size : {16, 24, 32, 48, 64, 128, 256})
        icon.addFile(u":/icons/%1x%1/io.github.inkroom.Inkroom.png"_s.arg(size), QSize(size, size));
    QGuiApplication::setWindowIcon(icon);
    const inkroom::ui::StartupOptions options = inkroom::ui::parseCommandLine(app, arguments);
    if (!options.error.isEmpty()) {
        std::fprintf(stderr, "inkroom: %s\n", qPrintable(options.error));
        return 2;
    }
    if (qEnvironmentVariableIsEmpty("QT_QUICK_CONTROLS_STYLE"))
        QQuickStyle::setStyle(QStringLiteral("Fusion")); // follows the system's light or dark palette

    inkroom::ui::AppController controller(options);
    QQmlApplicationEngine engine;
    inkroom::ui::AppController::attach(engine, &controller);
    engine.load(inkroom::ui::AppController::mainQmlUrl());
    if (engine.rootObjects().isEmpty())
        return 1;
    return app.exec();
}
