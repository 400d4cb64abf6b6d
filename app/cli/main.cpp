#include "cliclient.h"
#include "translations.h"

#include <QCoreApplication>
#include <QGuiApplication>

#include <memory>

int main(int argc, char *argv[])
{
    // An export paints text, which needs fonts: a GUI application, on the offscreen platform unless told otherwise
    // (no display is needed). Everything else stays a plain core application.
    std::unique_ptr<QCoreApplication> app;
    if (inkroom::client::CliClient::needsFonts(argc, argv)) {
        if (qEnvironmentVariableIsEmpty("QT_QPA_PLATFORM"))
            qputenv("QT_QPA_PLATFORM", "offscreen");
        app = std::make_unique<QGuiApplication>(argc, argv);
    } else {
        app = std::make_unique<QCoreApplication>(argc, argv);
    }
    QCoreApplication::setApplicationName(QStringLiteral("inkroom-cli"));
    QCoreApplication::setOrganizationName(QStringLiteral("Inkroom"));
    // English for scripts, whatever the system's language: only its plural forms ("1 change", "12 changes").
    inkroom::i18n::install(*app, QLocale(QLocale::English));
    return inkroom::client::runCli(*app);
}
