// inkroom: the desktop app. Everything it does lives in the libraries; this only wires them up.
#include "appcontroller.h"

#include <QGuiApplication>
#include <QQmlApplicationEngine>
#include <QQuickStyle>
#include <QtQml/qqmlextensionplugin.h>

#include <cstdio>

Q_IMPORT_QML_PLUGIN(InkroomPlugin)
Q_IMPORT_QML_PLUGIN(Inkroom_UiPlugin)
Q_IMPORT_QML_PLUGIN(Inkroom_ClientPlugin)

int main(int argc, char *argv[])
{
    QGuiApplication app(argc, argv);
    inkroom::ui::configureApplication(app);
    const inkroom::ui::StartupOptions options = inkroom::ui::parseCommandLine(app);
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
